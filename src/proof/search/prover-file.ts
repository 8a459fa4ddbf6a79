/**
 * Proving a whole `.lean` file: every `sorry` theorem is searched (in this thread or in K worker
 * threads), and the file is rewritten with the verified proofs in place of `by sorry`.
 */
import { cpus } from 'node:os';
import type { ProofEnvironment, TheoremSource } from '../environment.js';
import { compiledWorkerUrl, startKernelWorker } from '../kernel-thread.js';
import { parseLeanFile, type TheoremItem } from '../parser.js';
import { type ProofReport, type ProveOptions, proveTheorem } from './prover.js';

export interface ProveFileOptions extends Omit<ProveOptions, 'signal'> {
  /** Theorems searched at once, each lane a worker thread with its own kernel. Default 1. */
  readonly jobs?: number;
  /**
   * Search in kernel worker threads (a deep-proof stack; see kernel-thread.ts) even with one job.
   * Only for the kernel verifier. Default: when `jobs` > 1.
   */
  readonly workerThreads?: boolean;
  /** Called after each theorem. */
  readonly onResult?: (r: ProofReport, done: number, total: number) => void;
  /** How long past the search time a worker may take to verify before it is stopped. Default: the search time, at least 30 s. */
  readonly graceMs?: number;
  /** The worker script (default: prover-worker.js); tests substitute their own. */
  readonly workerScript?: URL;
}

export interface ProveFileResult {
  /** The file with every proved theorem's `by sorry` replaced. */
  readonly text: string;
  readonly reports: readonly ProofReport[];
  /** Declarations the parser could not read, reported as `unsupported`/`error` (not searched). */
  readonly skipped: number;
}

/** The worker script, when this module runs from compiled JavaScript (not from TS sources). */
export function proverWorkerUrl(): URL | null {
  return compiledWorkerUrl('./prover-worker.js', import.meta.url);
}

export async function proveFile(text: string, makeEnv: () => ProofEnvironment, opts: ProveFileOptions = {}): Promise<ProveFileResult> {
  const items = parseLeanFile(text);
  const todo: TheoremItem[] = [];
  const pre: ProofReport[] = [];
  for (const it of items) {
    if (it.kind === 'theorem') {
      if (it.proof.kind === 'sorry') todo.push(it);
    } else if (it.name !== undefined) {
      const status = it.kind === 'unsupported' ? 'unsupported' : 'error';
      pre.push({
        name: it.name,
        status,
        proof: null,
        script: null,
        axioms: [],
        verified: false,
        expansions: 0,
        ms: 0,
        tactics: 0,
        search: opts.search ?? 'mcts',
        message: `${it.message} (line ${it.line}, column ${it.column})`,
      });
    }
  }
  const reports = await proveTheorems(
    todo.map((it) => ({ name: it.name, header: it.header })),
    makeEnv,
    opts,
  );
  const proved = new Map<string, ProofReport>();
  for (const r of reports) if (r.status === 'proved' && r.verified && r.script !== null) proved.set(r.name, r);
  return { text: fillProofs(text, todo, proved), reports: [...pre, ...reports], skipped: pre.length };
}

/** Proves each theorem, in order of the input (reports come back in that order). */
export async function proveTheorems(todo: readonly TheoremSource[], makeEnv: () => ProofEnvironment, opts: ProveFileOptions = {}): Promise<ProofReport[]> {
  const reports: (ProofReport | undefined)[] = [];
  const total = todo.length;
  let done = 0;
  const record = (i: number, r: ProofReport): void => {
    reports[i] = r;
    done++;
    opts.onResult?.(r, done, total);
  };
  const jobs = Math.max(1, Math.min(opts.jobs ?? 1, total, cpus().length * 4));
  const workerUrl = (opts.workerThreads ?? jobs > 1) ? (opts.workerScript ?? proverWorkerUrl()) : null;
  const { onResult: _ignored, jobs: _j, workerThreads: _w, graceMs, workerScript: _s, ...proveOpts } = opts;
  if (workerUrl === null) {
    const env = makeEnv();
    try {
      for (let i = 0; i < todo.length; i++) record(i, await proveTheorem(env, todo[i]!, proveOpts));
    } finally {
      await env.close?.();
    }
  } else {
    let next = 0;
    // Verification is not interruptible from inside, so a lane stops a worker that gives no
    // verdict in the search's time plus as long again (at least 30 s), and replaces a worker
    // that died (out of memory on a huge proof): that theorem fails, the others go on.
    const searchMs = proveOpts.timeMs ?? 60_000;
    const limitMs = searchMs + (graceMs ?? Math.max(30_000, searchMs));
    const lane = async (): Promise<void> => {
      let w = startKernelWorker(workerUrl);
      try {
        while (next < todo.length) {
          const i = next++;
          const it = todo[i]!;
          const t0 = performance.now();
          let broken = false;
          const r = await new Promise<ProofReport>((resolve) => {
            const fail = (status: 'failed' | 'error', message: string): void => {
              done();
              broken = true;
              resolve({ name: it.name, status, proof: null, script: null, axioms: [], verified: false, expansions: 0, ms: Math.round(performance.now() - t0), tactics: 0, search: proveOpts.search ?? 'mcts', message });
            };
            const onMsg = (m: ProofReport): void => {
              done();
              resolve(m);
            };
            const onErr = (e: Error): void => fail('error', `the kernel worker failed: ${e.message}`);
            const onExit = (code: number): void => fail('error', `the kernel worker exited (code ${code})`);
            const timer = setTimeout(() => fail('failed', `no verdict within ${(limitMs / 1000).toFixed(limitMs < 10_000 ? 1 : 0)} s (search, then verification): stopped`), limitMs);
            const done = (): void => {
              clearTimeout(timer);
              w.off('message', onMsg);
              w.off('error', onErr);
              w.off('exit', onExit);
            };
            w.once('message', onMsg);
            w.once('error', onErr);
            w.once('exit', onExit);
            w.postMessage({ theorem: { name: it.name, header: it.header }, opts: proveOpts });
          });
          if (broken) {
            await w.terminate();
            w = startKernelWorker(workerUrl);
          }
          record(i, r);
        }
      } finally {
        await w.terminate();
      }
    };
    await Promise.all(Array.from({ length: jobs }, lane));
  }
  return reports as ProofReport[];
}

/** Replaces the `by sorry` of each proved theorem by its script, indented under `by`. */
export function fillProofs(text: string, items: readonly TheoremItem[], proved: ReadonlyMap<string, { readonly script: readonly string[] | null }>): string {
  const edits = items
    .filter((it) => proved.get(it.name)?.script)
    .map((it) => ({ span: it.proofSpan, body: proofBlock(proved.get(it.name)!.script!) }))
    .sort((a, b) => b.span.start - a.span.start);
  let out = text;
  for (const e of edits) out = out.slice(0, e.span.start) + e.body + out.slice(e.span.end);
  return out;
}

/** `by` and the tactics, two spaces in; a multi-line tactic keeps its relative indentation. */
export function proofBlock(script: readonly string[]): string {
  const lines = script.flatMap((t) => t.split('\n')).map((l) => `  ${l}`);
  return `by\n${lines.join('\n')}`;
}
