/**
 * Proving a whole `.lean` file: every `sorry` theorem is searched (in this thread or in K worker
 * threads), and the file is rewritten with the verified proofs in place of `by sorry`.
 */
import { existsSync } from 'node:fs';
import { cpus } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { ProofEnvironment } from '../environment.js';
import { parseLeanFile, type TheoremItem } from '../parser.js';
import { type ProofReport, type ProveOptions, proveTheorem } from './prover.js';

export interface ProveFileOptions extends Omit<ProveOptions, 'signal'> {
  /** Worker threads (each with its own kernel). 1 = this thread. Only for the kernel verifier. */
  readonly jobs?: number;
  /** Called after each theorem. */
  readonly onResult?: (r: ProofReport, done: number, total: number) => void;
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
  const url = new URL('./prover-worker.js', import.meta.url);
  return existsSync(fileURLToPath(url)) ? url : null;
}

export async function proveFile(text: string, makeEnv: () => ProofEnvironment, opts: ProveFileOptions = {}): Promise<ProveFileResult> {
  const items = parseLeanFile(text);
  const todo: TheoremItem[] = [];
  const reports: (ProofReport | undefined)[] = [];
  let skipped = 0;
  const pre: ProofReport[] = [];
  for (const it of items) {
    if (it.kind === 'theorem') {
      if (it.proof.kind === 'sorry') todo.push(it);
    } else if (it.name !== undefined) {
      skipped++;
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
  const total = todo.length;
  let done = 0;
  const record = (i: number, r: ProofReport): void => {
    reports[i] = r;
    done++;
    opts.onResult?.(r, done, total);
  };
  const jobs = Math.max(1, Math.min(opts.jobs ?? 1, total, cpus().length * 4));
  const workerUrl = jobs > 1 ? proverWorkerUrl() : null;
  const { onResult: _ignored, jobs: _j, ...proveOpts } = opts;
  if (workerUrl === null) {
    const env = makeEnv();
    try {
      for (let i = 0; i < todo.length; i++) {
        const it = todo[i]!;
        record(i, await proveTheorem(env, { name: it.name, header: it.header }, proveOpts));
      }
    } finally {
      await env.close?.();
    }
  } else {
    let next = 0;
    const lane = async (): Promise<void> => {
      const w = new Worker(workerUrl);
      try {
        while (next < todo.length) {
          const i = next++;
          const it = todo[i]!;
          const r = await new Promise<ProofReport>((resolve, reject) => {
            const onMsg = (m: ProofReport): void => {
              w.off('error', onErr);
              resolve(m);
            };
            const onErr = (e: Error): void => {
              w.off('message', onMsg);
              reject(e);
            };
            w.once('message', onMsg);
            w.once('error', onErr);
            w.postMessage({ theorem: { name: it.name, header: it.header }, opts: proveOpts });
          });
          record(i, r);
        }
      } finally {
        await w.terminate();
      }
    };
    await Promise.all(Array.from({ length: jobs }, lane));
  }
  const proved = new Map<string, ProofReport>();
  for (const r of reports) if (r !== undefined && r.status === 'proved' && r.verified && r.script !== null) proved.set(r.name, r);
  return { text: fillProofs(text, todo, proved), reports: [...pre, ...(reports as ProofReport[])], skipped };
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
