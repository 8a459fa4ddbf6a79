import { readFileSync } from 'node:fs';
import { EngineError } from '../../core/index.js';
import { checkFileThreaded, checkFileWithLean } from '../../proof/index.js';
import { findLean } from '../../lean/index.js';
import { booleanFlag, choiceFlag, intFlag, parseCommandArgs, stringFlag } from '../args.js';
import type { Command } from '../command.js';

const USAGE = 'arbor check FILE.lean [--intuitionistic] [--verifier kernel|lean] [--lean-project DIR] [--workers N] [--json]';

const HELP = `Usage: ${USAGE}

Verifies every theorem of FILE.lean with the embedded kernel: the tactic script (or term) is
replayed from the statement and the resulting proof term is checked by the trusted checker.
Reports per theorem: verified (with the axioms used, as #print axioms would), rejected (with the
reason and position), sorry, unsupported or error.

Options:
  --intuitionistic   reject proofs that use excluded middle (Classical.choice)
  --verifier V       kernel (the default) or lean: the real Lean 4 through the REPL (the file's
                     imports run once as the header; each theorem is judged by Lean's messages
                     in its lines and by #print axioms; needs lake/lean on PATH)
  --lean-project DIR the Lean project that provides the REPL (default: the current directory)
  --workers N        Lean REPL processes (default 1)
  --json             one JSON object per theorem: {"name","status","axioms","reason","line","column","ms"}

Exit status: 0 when every theorem is verified, 1 otherwise, 2 on bad arguments.`;

export const command: Command = {
  name: 'check',
  summary: 'verify the proofs of a .lean file with the embedded kernel, per theorem',
  help: HELP,
  async run(argv) {
    const args = parseCommandArgs(
      'check',
      argv,
      { intuitionistic: { type: 'boolean' }, verifier: { type: 'string' }, 'lean-project': { type: 'string' }, workers: { type: 'string' }, json: { type: 'boolean' } },
      { min: 1, max: 1, usage: USAGE },
    );
    const file = args.positionals[0]!;
    const verifier = choiceFlag(args, 'verifier', ['kernel', 'lean'] as const, 'kernel');
    const leanProject = stringFlag(args, 'lean-project');
    const workers = intFlag(args, 'workers', { min: 1, max: 64 });
    const json = booleanFlag(args, 'json');
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (e) {
      throw new EngineError('IO_ERROR', `cannot read ${file}: ${(e as Error).message}`);
    }
    if (verifier === 'lean') {
      findLean(leanProject !== undefined ? { project: leanProject } : {}); // fails at once, saying what to install
      return checkWithLean(text, json, { ...(leanProject !== undefined ? { project: leanProject } : {}), ...(workers !== undefined ? { workers } : {}) });
    }
    const results = await checkFileThreaded(text, { intuitionistic: booleanFlag(args, 'intuitionistic') });
    let ok = 0;
    for (const r of results) {
      if (r.status === 'verified') ok++;
      if (json) {
        process.stdout.write(
          `${JSON.stringify({ name: r.name, status: r.status, axioms: r.axioms, ...(r.reason !== undefined ? { reason: r.reason } : {}), line: r.at?.line ?? r.line, column: r.at?.column ?? r.column, ms: r.ms })}\n`,
        );
      } else {
        const mark = r.status === 'verified' ? '✓' : '✗';
        const axioms = r.status === 'verified' && r.axioms.length > 0 ? ` [axioms: ${r.axioms.join(', ')}]` : '';
        const where = r.at ? ` at ${r.at.line}:${r.at.column}` : '';
        console.log(`${mark} ${r.name} (line ${r.line}): ${r.status}${axioms}${r.reason !== undefined && r.status !== 'verified' ? `${where} — ${r.reason.split('\n')[0]}` : ''}`);
      }
    }
    if (!json) console.log(`verified ${ok}/${results.length}`);
    return ok === results.length ? 0 : 1;
  },
};

async function checkWithLean(text: string, json: boolean, o: { project?: string; workers?: number }): Promise<number> {
  const r = await checkFileWithLean(text, o);
  let ok = 0;
  for (const t of r.theorems) {
    if (t.status === 'verified') ok++;
    if (json) {
      process.stdout.write(`${JSON.stringify({ name: t.name, status: t.status, axioms: t.axioms, ...(t.reason !== undefined ? { reason: t.reason } : {}), line: t.line })}\n`);
    } else {
      const axioms = t.status === 'verified' && t.axioms.length > 0 ? ` [axioms: ${t.axioms.join(', ')}]` : '';
      console.log(`${t.status === 'verified' ? '✓' : '✗'} ${t.name} (line ${t.line}): ${t.status}${axioms}${t.reason !== undefined && t.status !== 'verified' ? ` — ${t.reason.split('\n')[0]}` : ''}`);
    }
  }
  for (const m of r.otherErrors) console.error(`error outside any theorem${m.line !== undefined ? ` (line ${m.line})` : ''}: ${m.text}`);
  if (!json) console.log(`verified ${ok}/${r.theorems.length} (Lean)`);
  return ok === r.theorems.length && r.otherErrors.length === 0 ? 0 : 1;
}
