import { fileURLToPath } from 'node:url';
import { dirname, resolve } from 'node:path';

/** The repository (package) root: src/core or dist/core are two levels below it. */
export function packageRoot(): string {
  return resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
}

/** The shared data folder: $ARBOR_SHARED, else ../shared beside the repository. */
export function sharedDir(): string {
  return process.env['ARBOR_SHARED'] ?? resolve(packageRoot(), '..', 'shared');
}
