import { EngineError } from '../core/index.js';
import type { Rng } from '../core/index.js';
import type { Evaluator, Expansion } from '../mcts/index.js';
import type { Action, Game } from './game.js';

/** How the mix's playouts choose moves. */
export const PLAYOUT_POLICIES = ['tactical', 'random'] as const;
export type PlayoutPolicy = (typeof PLAYOUT_POLICIES)[number];

export interface PlayoutMixOptions {
  /** Share of the playout result in the value, in [0, 1]: 0 keeps the inner value, 1 replaces it. */
  readonly weight: number;
  /** Playouts averaged per evaluated state (default 1). */
  readonly playouts?: number;
  /**
   * 'tactical' (the default) plays the game's `tacticalPlayout` (take wins, block threats) where
   * it has one, else random moves; 'random' always plays random moves.
   */
  readonly policy?: PlayoutPolicy;
  readonly rng: Rng;
}

/**
 * AlphaGo's mixed leaf evaluation: the inner evaluator's priors, and its value blended with the
 * result of playouts from the same state, `(1 - weight) * v + weight * z`. A playout costs a few
 * microseconds against tens for a network call, and its noise is independent of the net's
 * errors. Measured with the shipped Connect Four net at 800 simulations (see AZ_SEARCH in
 * src/train): weight 0.5 with random playouts raised the optimal-move rate on the scored
 * positions from 75.8% to 79.6%; tactical playouts raised it further.
 */
export function playoutMixEvaluator<S>(game: Game<S>, inner: Evaluator<S, Action>, o: PlayoutMixOptions): Evaluator<S, Action> {
  const { weight, rng } = o;
  const playouts = o.playouts ?? 1;
  if (!(weight >= 0 && weight <= 1)) throw new EngineError('BAD_CONFIG', `playout mix weight must be in [0, 1], got ${String(weight)}`);
  if (!Number.isInteger(playouts) || playouts < 1) throw new EngineError('BAD_CONFIG', `playouts per evaluation must be a positive integer, got ${String(playouts)}`);
  if (weight === 0) return inner;
  const tactical = (o.policy ?? 'tactical') === 'tactical' && game.tacticalPlayout !== undefined;
  const mix = (states: readonly S[], expansions: readonly Expansion<Action>[]): Expansion<Action>[] => {
    const out: Expansion<Action>[] = new Array(expansions.length);
    for (let i = 0; i < expansions.length; i++) {
      const s = states[i]!;
      const e = expansions[i]!;
      const mover = game.toMove(s);
      if (mover === 'terminal') throw new EngineError('BAD_ARGUMENT', `${game.info.name}: playoutMixEvaluator got a finished game`);
      let z = 0;
      for (let k = 0; k < playouts; k++) z += (tactical ? game.tacticalPlayout!(s, rng) : game.playout(s, rng))[mover]!;
      out[i] = { actions: e.actions, priors: e.priors, value: (1 - weight) * e.value + (weight * z) / playouts };
    }
    return out;
  };
  return {
    evaluate(states) {
      const r = inner.evaluate(states);
      // The caller refills `states` only after this call has answered, so it is still intact here.
      if (typeof (r as PromiseLike<unknown>).then === 'function') return (r as Promise<readonly Expansion<Action>[]>).then((ex) => mix(states, ex));
      return mix(states, r as readonly Expansion<Action>[]);
    },
  };
}
