import { commandRegistry } from './commands/registry.js';
import { isEngineError } from '../core/index.js';

const VERSION = '0.1.0';

/** Mistakes in the command line itself exit with 2 (as getopt tools do); other failures with 1. */
const USAGE_ERRORS: ReadonlySet<string> = new Set(['BAD_ARGUMENT', 'BAD_PLAYER_SPEC', 'UNKNOWN_GAME']);

function usage(): string {
  const names = Object.keys(commandRegistry).sort();
  const width = Math.max(8, ...names.map((n) => n.length));
  const lines = names.map((n) => `  ${n.padEnd(width)}  ${commandRegistry[n]![0]}`);
  return [
    'arbor — one tree search for board games and formal proofs',
    '',
    'Usage: arbor <command> [options]     (arbor <command> --help for details)',
    '',
    'Commands:',
    ...lines,
    '',
    'Options:',
    '  --help, -h     show this help',
    '  --version      print the version',
  ].join('\n');
}

export async function main(argv: readonly string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    console.log(usage());
    return name === undefined ? 2 : 0;
  }
  if (name === '--version') {
    console.log(VERSION);
    return 0;
  }
  const entry = commandRegistry[name];
  if (!entry) {
    console.error(`arbor: unknown command '${name}'. Run 'arbor --help' for the list.`);
    return 2;
  }
  const command = await entry[1]();
  if (rest.includes('--help') || rest.includes('-h')) {
    console.log(command.help);
    return 0;
  }
  try {
    return await command.run(rest);
  } catch (e) {
    if (isEngineError(e)) {
      console.error(`arbor ${name}: error [${e.code}]: ${e.message}`);
      return USAGE_ERRORS.has(e.code) ? 2 : 1;
    }
    throw e;
  }
}
