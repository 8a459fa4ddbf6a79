import { EngineError, IllegalActionError } from '../core/index.js';
import type { Rng } from '../core/index.js';
import type { Environment, Evaluator, Expansion, NodeKind, Step } from '../mcts/index.js';
import type { Action, Game } from './game.js';

/** Decision nodes are shared constants: `node()` runs once per visited state and should not allocate. */
const DECISION: readonly NodeKind[] = Object.freeze([0, 1].map((player) => Object.freeze({ kind: 'decision' as const, player })));

/** A game as a search environment: two players, zero-sum, synchronous steps. */
export function gameEnvironment<S>(game: Game<S>): Environment<S, Action> {
  return {
    numPlayers: 2,
    node(state: S): NodeKind {
      const p = game.toMove(state);
      if (p === 'terminal') return { kind: 'terminal', returns: game.returns(state) };
      return DECISION[p]!;
    },
    step(state: S, action: Action): Step<S> {
      // The search only plays actions the evaluator offered, so an illegal one is a dead edge
      // (reported, pruned) rather than a crash; any other error is a bug and propagates.
      try {
        return { kind: 'ok', state: game.apply(state, action) };
      } catch (e) {
        if (e instanceof IllegalActionError) return { kind: 'dead', reason: e.message };
        throw e;
      }
    },
    key: (state: S) => game.key(state),
  };
}

/**
 * Plain UCT's evaluator: uniform priors over the legal actions and the value of one random
 * playout, from the view of the player to move. Answers synchronously.
 */
export function rolloutEvaluator<S>(game: Game<S>, rng: Rng): Evaluator<S, Action> {
  const uniform: Float32Array[] = [];
  const one = (state: S): Expansion<Action> => {
    const mover = game.toMove(state);
    if (mover === 'terminal') {
      throw new EngineError('BAD_ARGUMENT', `${game.info.name}: rolloutEvaluator got a finished game; the search reads terminal returns from Environment.node`);
    }
    const actions = game.legalActions(state);
    // One shared uniform array per action count: the search never writes an expansion's priors
    // (see Evaluator in mcts/types.ts), and this saves an allocation per simulation.
    const priors = (uniform[actions.length] ??= new Float32Array(actions.length).fill(1 / actions.length));
    return { actions, priors, value: game.playout(state, rng)[mover]! };
  };
  return {
    evaluate(states: readonly S[]): readonly Expansion<Action>[] {
      const out: Expansion<Action>[] = new Array(states.length);
      for (let i = 0; i < states.length; i++) out[i] = one(states[i]!);
      return out;
    },
  };
}
