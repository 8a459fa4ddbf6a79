import type { Command } from '../command.js';
import { booleanFlag, parseCommandArgs } from '../args.js';
import { ParseError, sharedDir } from '../../core/index.js';
import { benchRegistry } from '../bench/registry.js';
import type { BenchSection } from '../bench/types.js';
import { formatTable, seconds } from '../format.js';

const USAGE = 'arbor bench [suite...] [--quick] [--json] [--list]';

const help = `${USAGE}

Runs benchmark suites and prints their tables (progress and notes go to stderr). With no suite
named, runs them all in order; 'npm run bench' is the full run.

Options:
  --quick         smaller workloads (samples), for a smoke run in a minute or two
  --json          print one JSON object {suites: [{name, timeMs, sections}]} instead of tables
  --list          list the suites and exit
  -h, --help      show this help

Shared data is read from $ARBOR_SHARED, else ../shared beside the repository.

Examples:
  arbor bench --list
  arbor bench search --quick
  npm run bench`;

export const command: Command = {
  name: 'bench',
  summary: 'benchmarks: search speed (vs raw playouts, vs boardgame.io), playing strength',
  help,
  async run(argv) {
    const args = parseCommandArgs('bench', argv, { quick: { type: 'boolean' }, json: { type: 'boolean' }, list: { type: 'boolean' } }, {
      min: 0,
      max: 64,
      usage: USAGE,
    });
    const names = Object.keys(benchRegistry);
    if (booleanFlag(args, 'list')) {
      console.log(names.join('\n'));
      return 0;
    }
    const chosen = args.positionals.length === 0 ? names : [...args.positionals];
    for (const n of chosen) {
      if (!benchRegistry[n]) throw new ParseError('BAD_ARGUMENT', `unknown bench suite '${n}' (known: ${names.join(', ') || 'none'})`);
    }
    const quick = booleanFlag(args, 'quick');
    const json = booleanFlag(args, 'json');
    const ctx = { quick, sharedDir: sharedDir(), log: (line: string) => process.stderr.write(`${line}\n`) };
    const out: { name: string; timeMs: number; sections: readonly BenchSection[] }[] = [];
    for (const n of chosen) {
      const suite = await benchRegistry[n]!();
      ctx.log(`bench ${suite.name}${quick ? ' (quick)' : ''}...`);
      const t0 = performance.now();
      const sections = await suite.run(ctx);
      const timeMs = performance.now() - t0;
      out.push({ name: suite.name, timeMs, sections });
      if (!json) {
        console.log(`== ${suite.name}${quick ? ' (quick)' : ''}: ${seconds(timeMs)}`);
        for (const s of sections) {
          console.log('');
          console.log(`-- ${s.title}`);
          console.log(formatTable(s.rows));
          for (const note of s.notes ?? []) console.log(`   ${note}`);
        }
        console.log('');
      }
    }
    if (json) console.log(JSON.stringify({ quick, suites: out }));
    return 0;
  },
};
