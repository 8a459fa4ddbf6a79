/**
 * Locating a Lean installation. Arbor never installs Lean; when it is missing, the error says what
 * is missing and how to get it, so `arbor prove --verifier lean` fails at once and usefully.
 */
import { existsSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { EngineError } from '../core/index.js';
import { whichSync } from './repl-process.js';

export interface LeanInstallation {
  readonly lake: string;
  readonly lean: string;
  /** The Lean project directory (absolute), when one was given. */
  readonly project: string | undefined;
}

const INSTALL_HINT =
  'Install Lean 4 with elan (https://github.com/leanprover/elan): ' +
  '`curl https://raw.githubusercontent.com/leanprover/elan/master/elan-init.sh -sSf | sh`, ' +
  'then open a new shell (elan puts `lake` and `lean` in ~/.elan/bin). ' +
  'The project given with --lean-project must depend on the REPL (https://github.com/leanprover-community/repl, ' +
  'e.g. `require REPL from git "https://github.com/leanprover-community/repl" @ "<tag matching your toolchain>"` in its lakefile) ' +
  'and be built with `lake build` (and `lake exe cache get` for Mathlib).';

/**
 * Checks that `lake` and `lean` are on PATH and, if given, that `project` is a Lake project.
 * Throws EngineError('LEAN_NOT_FOUND') naming each missing piece.
 */
export function findLean(opts?: { readonly project?: string; readonly pathEnv?: string }): LeanInstallation {
  const pathEnv = opts?.pathEnv ?? process.env['PATH'] ?? '';
  const lake = whichSync('lake', pathEnv);
  const lean = whichSync('lean', pathEnv);
  const missing: string[] = [];
  if (lake === undefined) missing.push('`lake`');
  if (lean === undefined) missing.push('`lean`');
  if (missing.length > 0) {
    throw new EngineError('LEAN_NOT_FOUND', `Lean 4 is not installed: ${missing.join(' and ')} not found on PATH. ${INSTALL_HINT}`);
  }
  let project: string | undefined;
  if (opts?.project !== undefined) {
    project = resolve(opts.project);
    if (!existsSync(project) || !statSync(project).isDirectory()) {
      throw new EngineError('LEAN_NOT_FOUND', `Lean project directory ${project} does not exist. ${INSTALL_HINT}`);
    }
    const lakefiles = ['lakefile.lean', 'lakefile.toml'];
    if (!lakefiles.some((f) => existsSync(join(project!, f)))) {
      throw new EngineError('LEAN_NOT_FOUND', `${project} is not a Lake project (no lakefile.lean or lakefile.toml). ${INSTALL_HINT}`);
    }
  }
  return { lake: lake!, lean: lean!, project };
}
