import { readFileSync } from 'node:fs';
import { EngineError, writeFileAtomicSync } from '../../core/index.js';
import { KernelEnvironment, createLeanEnvironment, proveFile, type ProofEnvironment, type ProofReport } from '../../proof/index.js';
import { booleanFlag, choiceFlag, intFlag, parseCommandArgs, positiveFlag, stringFlag } from '../args.js';
import type { Command } from '../command.js';
import { splitLeanHeader } from '../../lean/index.js';
import { progressBar } from '../progress.js';

const USAGE =
  'arbor prove FILE.lean [--budget N] [--time S] [--jobs K] [--intuitionistic] [--out FILE | --in-place] [--search mcts|best-first] [--verifier kernel|lean] [--json]';

const HELP = `Usage: ${USAGE}

Searches a proof for every theorem of FILE.lean whose proof is \`by sorry\`, with the tree search
over tactic candidates (propositional structure is solved in one step, then checked tactic by
tactic). Every proof reported is re-verified from scratch by the verifier; only then is it
written into the output file.

Options:
  --budget N          expansions (proof states evaluated) per theorem (default 2000)
  --time S            search seconds per theorem (default 60); with the kernel, a verification
                      still running after as long again (at least 30 s) is stopped and the
                      theorem reported failed
  --jobs K            theorems searched in parallel worker threads (default 1; kernel only)
  --intuitionistic    no classical axioms: excluded middle and by_cases are refused
  --out FILE          where to write the file with proofs (default FILE.proved.lean)
  --in-place          overwrite FILE.lean itself
  --search KIND       mcts (default) or best-first (the baseline)
  --verifier V        kernel (default: the embedded checker) or lean (a Lean 4 REPL)
  --lean-project DIR  with --verifier lean: the Lean project with the REPL
  --workers N         with --verifier lean: REPL processes (default 1)
  --seed N            search seed (default 1)
  --json              one JSON object per theorem on stdout:
                      {"name","status":"proved"|"failed"|"unsupported"|"error","proof","axioms",
                       "verified","expansions","ms","tactics","search","message"}

Exit status: 0 when every sorry theorem was proved, 1 otherwise, 2 on bad arguments.`;

/** The verifier behind the search. The Lean bridge plugs in here (its own options pass through). */
export function environmentFor(verifier: 'kernel' | 'lean', o: { intuitionistic: boolean; leanProject?: string; workers?: number; header?: string }): () => ProofEnvironment {
  if (verifier === 'kernel') return () => new KernelEnvironment({ intuitionistic: o.intuitionistic });
  return () =>
    createLeanEnvironment({
      ...(o.leanProject !== undefined ? { project: o.leanProject } : {}),
      ...(o.workers !== undefined ? { workers: o.workers } : {}),
      // The file's imports (e.g. `import Mathlib`) run once per REPL process, as the header.
      ...(o.header !== undefined ? { header: o.header } : {}),
    });
}

function humanLine(r: ProofReport): string {
  const mark = r.status === 'proved' ? '✓' : r.status === 'failed' ? '✗' : '?';
  const axioms = r.axioms.length > 0 ? ` [axioms: ${r.axioms.join(', ')}]` : '';
  const why = r.status === 'proved' ? '' : ` — ${r.message ?? ''}`;
  return `${mark} ${r.name}: ${r.status} in ${r.ms} ms, ${r.expansions} expansions, ${r.tactics} tactics${axioms}${why}`;
}

export const command: Command = {
  name: 'prove',
  summary: 'fill in the `sorry` proofs of a .lean file by proof search (kernel-verified)',
  help: HELP,
  async run(argv) {
    const args = parseCommandArgs(
      'prove',
      argv,
      {
        budget: { type: 'string' },
        time: { type: 'string' },
        jobs: { type: 'string' },
        intuitionistic: { type: 'boolean' },
        out: { type: 'string' },
        'in-place': { type: 'boolean' },
        search: { type: 'string' },
        verifier: { type: 'string' },
        'lean-project': { type: 'string' },
        workers: { type: 'string' },
        seed: { type: 'string' },
        json: { type: 'boolean' },
      },
      { min: 1, max: 1, usage: USAGE },
    );
    const file = args.positionals[0]!;
    const budget = intFlag(args, 'budget', { min: 1, default: 2000 });
    const timeS = positiveFlag(args, 'time') ?? 60;
    const jobs = intFlag(args, 'jobs', { min: 1, max: 256, default: 1 });
    const intuitionistic = booleanFlag(args, 'intuitionistic');
    const search = choiceFlag(args, 'search', ['mcts', 'best-first'] as const, 'mcts');
    const verifier = choiceFlag(args, 'verifier', ['kernel', 'lean'] as const, 'kernel');
    const json = booleanFlag(args, 'json');
    const inPlace = booleanFlag(args, 'in-place');
    const outFlag = stringFlag(args, 'out');
    const seed = intFlag(args, 'seed', { min: 0, default: 1 });
    if (inPlace && outFlag !== undefined) throw new EngineError('BAD_ARGUMENT', '--out and --in-place exclude each other');
    if (jobs > 1 && verifier !== 'kernel') throw new EngineError('BAD_ARGUMENT', '--jobs needs --verifier kernel (the Lean verifier parallelises with --workers)');
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (e) {
      throw new EngineError('IO_ERROR', `cannot read ${file}: ${(e as Error).message}`);
    }
    const out = inPlace ? file : (outFlag ?? file.replace(/(\.lean)?$/, '.proved.lean'));
    const leanProject = stringFlag(args, 'lean-project');
    const workers = intFlag(args, 'workers', { min: 1 });
    const makeEnv = environmentFor(verifier, {
      intuitionistic,
      ...(verifier === 'lean' ? { header: splitLeanHeader(text).header } : {}),
      ...(leanProject !== undefined ? { leanProject } : {}),
      ...(workers !== undefined ? { workers } : {}),
    });
    let bar: ReturnType<typeof progressBar> | null = null;
    const result = await proveFile(text, makeEnv, {
      budget,
      timeMs: timeS * 1000,
      jobs,
      workerThreads: verifier === 'kernel',
      intuitionistic,
      search,
      seed,
      onResult: (r, done, total) => {
        bar ??= progressBar({ total, label: 'prove', enabled: !json, detail: true });
        bar.update(done, { detail: `${r.name} ${r.status}` });
        if (json) process.stdout.write(`${JSON.stringify(publicReport(r))}\n`);
      },
    });
    (bar as ReturnType<typeof progressBar> | null)?.stop();
    const searched = result.reports.filter((r) => r.search !== undefined);
    if (json) {
      for (const r of result.reports.slice(0, result.skipped)) process.stdout.write(`${JSON.stringify(publicReport(r))}\n`);
    } else {
      for (const r of searched) console.log(humanLine(r));
    }
    const proved = result.reports.filter((r) => r.status === 'proved').length;
    const total = result.reports.length;
    if (proved > 0 || inPlace || outFlag !== undefined) {
      try {
        writeFileAtomicSync(out, result.text);
      } catch (e) {
        throw new EngineError('IO_ERROR', `cannot write ${out}: ${(e as Error).message}`);
      }
    }
    if (!json) console.log(`proved ${proved}/${total} (${search}, budget ${budget} expansions, ${timeS} s each); wrote ${out}`);
    else process.stderr.write(`proved ${proved}/${total}; wrote ${out}\n`);
    return proved === total ? 0 : 1;
  },
};

function publicReport(r: ProofReport): Record<string, unknown> {
  return {
    name: r.name,
    status: r.status,
    proof: r.proof,
    axioms: r.axioms,
    verified: r.verified,
    expansions: r.expansions,
    ms: r.ms,
    tactics: r.tactics,
    search: r.search,
    ...(r.message !== undefined ? { message: r.message } : {}),
  };
}
