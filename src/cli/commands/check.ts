import { readFileSync } from 'node:fs';
import { EngineError } from '../../core/index.js';
import { checkFile } from '../../proof/index.js';
import { booleanFlag, choiceFlag, parseCommandArgs } from '../args.js';
import type { Command } from '../command.js';

const USAGE = 'arbor check FILE.lean [--intuitionistic] [--verifier kernel] [--json]';

const HELP = `Usage: ${USAGE}

Verifies every theorem of FILE.lean with the embedded kernel: the tactic script (or term) is
replayed from the statement and the resulting proof term is checked by the trusted checker.
Reports per theorem: verified (with the axioms used, as #print axioms would), rejected (with the
reason and position), sorry, unsupported or error.

Options:
  --intuitionistic   reject proofs that use excluded middle (Classical.choice)
  --verifier V       kernel (the default; the Lean bridge verifies with \`arbor prove --verifier lean\`)
  --json             one JSON object per theorem: {"name","status","axioms","reason","line","column","ms"}

Exit status: 0 when every theorem is verified, 1 otherwise, 2 on bad arguments.`;

export const command: Command = {
  name: 'check',
  summary: 'verify the proofs of a .lean file with the embedded kernel, per theorem',
  help: HELP,
  async run(argv) {
    const args = parseCommandArgs('check', argv, { intuitionistic: { type: 'boolean' }, verifier: { type: 'string' }, json: { type: 'boolean' } }, { min: 1, max: 1, usage: USAGE });
    const file = args.positionals[0]!;
    choiceFlag(args, 'verifier', ['kernel'] as const, 'kernel');
    const json = booleanFlag(args, 'json');
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (e) {
      throw new EngineError('IO_ERROR', `cannot read ${file}: ${(e as Error).message}`);
    }
    const results = checkFile(text, { intuitionistic: booleanFlag(args, 'intuitionistic') });
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
