import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { packageRoot } from '../core/index.js';

/** The model shipped for a game (models/<game>/, produced by `arbor train`), if there is one. */
export function shippedModelDir(game: string): string | null {
  const dir = join(packageRoot(), 'models', game);
  return existsSync(join(dir, 'manifest.json')) ? dir : null;
}

/**
 * A model path as users write it: a checkpoint directory, a run directory (its best net), or
 * `default` (the shipped model).
 */
export function resolveModelPath(path: string, game: string): string {
  if (path === 'default') return shippedModelDir(game) ?? join(packageRoot(), 'models', game);
  const p = resolve(path);
  const state = join(p, 'state.json');
  if (!existsSync(join(p, 'manifest.json')) && existsSync(state)) {
    // A run directory: use its best checkpoint.
    try {
      const best = (JSON.parse(readFileSync(state, 'utf8')) as { best?: string }).best;
      if (best) return join(p, best);
    } catch {
      // fall through: the loader names the missing manifest
    }
  }
  return p;
}
