import { EngineError } from '../core/index.js';
import type { Action, Symmetry } from './game.js';

/**
 * A board symmetry given as two permutations: `cellImage[i]` is where board cell i (row-major
 * over rows x cols) goes, `actionImage[a]` is where action a goes. Every plane of a [C,H,W]
 * observation moves by the same cell permutation, so observation and policy move together.
 */
export function permutationSymmetry(
  name: string,
  channels: number,
  cellImage: readonly number[],
  actionImage: readonly number[],
): Symmetry {
  const cells = Int32Array.from(cellImage);
  const actions = Int32Array.from(actionImage);
  assertPermutation(name, 'cell', cells);
  assertPermutation(name, 'action', actions);
  const plane = cells.length;
  const obsLength = channels * plane;
  return {
    name,
    mapObservation(obs: Float32Array): Float32Array {
      if (obs.length !== obsLength) {
        throw new EngineError('BAD_ARGUMENT', `symmetry ${name}: observation has length ${obs.length}, expected ${obsLength}`);
      }
      const out = new Float32Array(obsLength);
      for (let ch = 0, base = 0; ch < channels; ch++, base += plane) {
        for (let i = 0; i < plane; i++) out[base + cells[i]!] = obs[base + i]!;
      }
      return out;
    },
    mapPolicy(policy: Float32Array): Float32Array {
      if (policy.length !== actions.length) {
        throw new EngineError('BAD_ARGUMENT', `symmetry ${name}: policy has length ${policy.length}, expected ${actions.length}`);
      }
      const out = new Float32Array(actions.length);
      for (let a = 0; a < actions.length; a++) out[actions[a]!] = policy[a]!;
      return out;
    },
    mapAction(a: Action): Action {
      const image = actions[a];
      if (image === undefined || !Number.isInteger(a)) {
        throw new EngineError('BAD_ARGUMENT', `symmetry ${name}: action ${a} is not in [0, ${actions.length})`);
      }
      return image;
    },
  };
}

function assertPermutation(name: string, what: string, p: Int32Array): void {
  const seen = new Uint8Array(p.length);
  for (const x of p) {
    if (x < 0 || x >= p.length || seen[x]) throw new EngineError('INTERNAL', `symmetry ${name}: ${what} map is not a permutation`);
    seen[x] = 1;
  }
}
