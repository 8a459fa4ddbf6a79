/**
 * The game library: rules as `Game` values (states are immutable plain data), a registry by
 * name, and the adapters to the search core (environment, plain-UCT rollout evaluator).
 */
export type { Action, Player, Game, GameInfo, Symmetry } from './game.js';
export { GameOverError } from './errors.js';
export { permutationSymmetry } from './symmetry.js';
export type { ConnectFourState } from './connect-four/connect-four.js';
export { connectFour } from './connect-four/connect-four.js';
export type { TicTacToeState } from './tic-tac-toe/tic-tac-toe.js';
export { ticTacToe } from './tic-tac-toe/tic-tac-toe.js';
export type { TicTacToeSolution } from './tic-tac-toe/solver.js';
export { solveTicTacToe, ticTacToePerfectActions } from './tic-tac-toe/solver.js';
export type { GameEntry } from './registry.js';
export { getGame, listGames } from './registry.js';
export { gameEnvironment, rolloutEvaluator } from './environment.js';
export type { PlayoutMixOptions } from './playout-mix.js';
export { PLAYOUT_POLICIES, playoutMixEvaluator, type PlayoutPolicy } from './playout-mix.js';
