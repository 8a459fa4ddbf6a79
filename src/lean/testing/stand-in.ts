/**
 * Locates the replay stand-in (`replay-repl.mjs`, a plain Node script beside this file in the
 * source tree). It is not compiled by tsc, so from `dist/` it is found in the source checkout
 * (`<package root>/src/lean/testing/`); the benchmark and the tests both run it this way.
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { EngineError, packageRoot } from '../../core/index.js';
import type { ReplCommand } from '../repl-process.js';

export function replayStandInPath(): string {
  const candidates = [
    join(dirname(fileURLToPath(import.meta.url)), 'replay-repl.mjs'),
    join(packageRoot(), 'src', 'lean', 'testing', 'replay-repl.mjs'),
  ];
  const found = candidates.find((p) => existsSync(p));
  if (found === undefined) throw new EngineError('IO_ERROR', `replay stand-in not found (looked at ${candidates.join(', ')}); it ships with the source checkout`);
  return found;
}

/** A REPL command running the stand-in with `args` (see replay-repl.mjs for the modes). */
export function replayStandInCommand(args: readonly string[]): ReplCommand {
  return { command: process.execPath, args: [replayStandInPath(), ...args] };
}
