import { EngineError } from '../core/index.js';
import type { Rng } from '../core/index.js';
import type { Evaluator, Expansion } from '../mcts/index.js';
import type { Action, Game } from './game.js';

export interface PlayoutMixOptions {
  /** Share of the playout result in the value, in [0, 1]: 0 keeps the inner value, 1 replaces it. */
  readonly weight: number;
  /** Random playouts averaged per evaluated state (default 1). */
  readonly playouts?: number;
  readonly rng: Rng;
}

/**
 * AlphaGo's mixed leaf evaluation: the inner evaluator's priors, and its value blended with the
 * result of random playouts from the same state, `(1 - weight) * v + weight * z`. A playout
 * costs a few microseconds against tens for a network call, and its noise is independent of
 * the net's errors; with the shipped Connect Four net at 800 simulations, weight 0.5 raised the
 * optimal-move rate on the scored positions from 75.8% to 79.6% (see AZ_SEARCH in src/train).
 */
export function playoutMixEvaluator<S>(game: Game<S>, inner: Evaluator<S, Action>, o: PlayoutMixOptions): Evaluator<S, Action> {
  const { weight, rng } = o;
  const playouts = o.playouts ?? 1;
  if (!(weight >= 0 && weight <= 1)) throw new EngineError('BAD_CONFIG', `playout mix weight must be in [0, 1], got ${String(weight)}`);
  if (!Number.isInteger(playouts) || playouts < 1) throw new EngineError('BAD_CONFIG', `playouts per evaluation must be a positive integer, got ${String(playouts)}`);
  if (weight === 0) return inner;
  const mix = (states: readonly S[], expansions: readonly Expansion<Action>[]): Expansion<Action>[] => {
    const out: Expansion<Action>[] = new Array(expansions.length);
    for (let i = 0; i < expansions.length; i++) {
      const s = states[i]!;
      const e = expansions[i]!;
      const mover = game.toMove(s);
      if (mover === 'terminal') throw new EngineError('BAD_ARGUMENT', `${game.info.name}: playoutMixEvaluator got a finished game`);
      let z = 0;
      for (let k = 0; k < playouts; k++) z += game.playout(s, rng)[mover]!;
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
