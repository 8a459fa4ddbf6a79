/**
 * The server's one point of contact with the game library and the search core, so a change in
 * either contract is absorbed here.
 */
import { isEngineError } from '../core/index.js';
import type { Action, Game, TicTacToeState } from '../games/index.js';
import { getGame, listGames, gameEnvironment, rolloutEvaluator, solveTicTacToe } from '../games/index.js';
import { Mcts, BatchingEvaluator } from '../mcts/index.js';
import type { Evaluator, Expansion, SearchResult } from '../mcts/index.js';

export type { Action, Game, Evaluator, Expansion, SearchResult };
export type AnyGame = Game<unknown>;
export { Mcts, BatchingEvaluator, gameEnvironment, rolloutEvaluator };

/** The game called `name` (or an alias), or null. */
export function findGame(name: string): AnyGame | null {
  try {
    return getGame(name);
  } catch (e) {
    if (isEngineError(e) && e.code === 'UNKNOWN_GAME') return null;
    throw e;
  }
}

export function gameNames(): readonly string[] {
  return listGames().map((e) => e.name);
}

export function allGames(): readonly AnyGame[] {
  return listGames().map((e) => e.game);
}

/** Exact per-move values for the mover, where the game library can solve the game; else null. */
export function solveExactly(game: AnyGame, state: unknown): { value: number; actionValues: readonly { action: Action; value: number }[] } | null {
  if (game.info.name !== 'tictactoe') return null;
  return solveTicTacToe(state as TicTacToeState);
}
