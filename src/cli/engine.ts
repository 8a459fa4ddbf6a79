/**
 * The CLI's one point of contact with the game library and the search core: every command goes
 * through these few functions, so a change in either contract is absorbed here.
 */
import { EngineError, Rng } from '../core/index.js';
import type { Action, Game, PlayoutPolicy, TicTacToeState } from '../games/index.js';
import { getGame, gameEnvironment, rolloutEvaluator, ticTacToePerfectActions } from '../games/index.js';
import { Mcts } from '../mcts/index.js';
import type { SearchResult } from '../mcts/index.js';
import type { Evaluator } from '../mcts/index.js';
import { initBackend, loadInferenceEngine } from '../policy/index.js';
import { AZ_SEARCH, azEvaluator, resolveModelPath, shippedModelDir } from '../train/index.js';

export type { Action, Game };
export type AnyGame = Game<unknown>;

/** The game named on the command line; UNKNOWN_GAME lists the names that exist. */
export function loadGame(name: string): AnyGame {
  return getGame(name) as AnyGame;
}

export interface SearchBudget {
  readonly simulations?: number;
  readonly timeMs?: number;
}

/** A UCT search (uniform priors, random rollouts) that keeps its tree between moves. */
export interface UctSearch<S> {
  search(state: S, budget: SearchBudget): Promise<SearchResult<Action>>;
  /** Moves the tree's root along an action that was played (tree reuse). */
  advance(action: Action): void;
  /** Drops the tree (a new game). */
  reset(): void;
}

export interface UctOptions {
  /** Exploration constant. */
  readonly c?: number;
  readonly seed: number;
}

export function createUctSearch<S>(game: Game<S>, o: UctOptions): UctSearch<S> {
  const rng = new Rng(o.seed);
  const make = (): Mcts<S, Action> =>
    new Mcts<S, Action>({
      env: gameEnvironment(game),
      evaluator: rolloutEvaluator(game, rng.fork()),
      rng: rng.fork(),
      ...(o.c === undefined ? {} : { cPuct: o.c }),
    });
  let mcts = make();
  return {
    search: (state, budget) => mcts.search(state, budget),
    advance: (action) => mcts.advance(action),
    reset: () => {
      mcts = make();
    },
  };
}

/** Every perfect move (tic-tac-toe only: an exact solve). */
export function perfectActions<S>(game: Game<S>, state: S): readonly Action[] {
  if (game.info.name !== 'tictactoe') throw new EngineError('UNSUPPORTED', `perfect play is available for tictactoe only, not ${game.info.name}`);
  return ticTacToePerfectActions(state as unknown as TicTacToeState);
}

export function requireNonTerminal<S>(game: Game<S>, state: S, where: string): void {
  if (game.isTerminal(state)) throw new EngineError('GAME_OVER', `${where}: the game is already over`);
}

export interface AzOptions {
  /** A checkpoint directory, a run directory (its best net), or `default` (the shipped model). */
  readonly model: string;
  readonly seed: number;
  readonly c?: number;
  /** Share of a playout in each leaf value (default AZ_SEARCH.playoutMix; 0 = the net alone). */
  readonly mix?: number;
  /** How those playouts move (default AZ_SEARCH.playoutPolicy). */
  readonly playouts?: PlayoutPolicy;
}

/** The shipped model for a game, if the repository has one (models/<game>/). */
export function defaultModel(game: AnyGame): string | null {
  return shippedModelDir(game.info.name);
}

/**
 * A network-guided search (AlphaZero PUCT over the policy/value net) with tree reuse. The model is
 * loaded on the first search, through ONNX Runtime when available, so building one costs nothing.
 */
export function createAzSearch<S>(game: Game<S>, o: AzOptions): UctSearch<S> {
  const rng = new Rng(o.seed);
  let evaluator: Promise<Evaluator<S, Action>> | null = null;
  const load = (): Promise<Evaluator<S, Action>> =>
    (evaluator ??= (async () => {
      await initBackend({ log: null });
      const dir = resolveModelPath(o.model, game.info.name);
      const { engine } = await loadInferenceEngine(dir, {
        expect: { game: game.info.name, observationShape: [...game.info.observationShape], numActions: game.info.numDistinctActions },
      });
      return azEvaluator(game, engine, { seed: o.seed, ...(o.mix === undefined ? {} : { mix: o.mix }), ...(o.playouts === undefined ? {} : { playouts: o.playouts }) });
    })());
  let mcts: Mcts<S, Action> | null = null;
  return {
    async search(state, budget) {
      const ev = await load();
      mcts ??= new Mcts<S, Action>({ env: gameEnvironment(game), evaluator: ev, rng: rng.fork(), batchSize: AZ_SEARCH.batchSize, transpositions: AZ_SEARCH.transpositions, cPuct: o.c ?? AZ_SEARCH.cPuct });
      return mcts.search(state, budget);
    },
    advance: (action) => mcts?.advance(action),
    reset: () => {
      mcts = null;
    },
  };
}
