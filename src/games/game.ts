import type { Rng } from '../core/index.js';

/** An action is a distinct move id in [0, numDistinctActions): the policy head's index. */
export type Action = number;
export type Player = number;

/** Fixed facts about a game, apart from any state (OpenSpiel's GameType/Game). */
export interface GameInfo {
  /** Name used on the command line and the wire, e.g. 'connect4', 'tictactoe'. */
  readonly name: string;
  readonly displayName: string;
  readonly numPlayers: 2;
  readonly numDistinctActions: number;
  /** [channels, rows, cols] */
  readonly observationShape: readonly [number, number, number];
  readonly maxGameLength: number;
}

/** A symmetry maps an observation and a policy together (data augmentation). */
export interface Symmetry {
  readonly name: string;
  /** Maps a [C,H,W] observation (row-major) to its image. */
  mapObservation(obs: Float32Array): Float32Array;
  /** Maps a policy over numDistinctActions to its image. */
  mapPolicy(policy: Float32Array): Float32Array;
  /** Maps one action id. */
  mapAction(a: Action): Action;
}

/** Rules of a game. States are immutable values; `apply` returns a new one. */
export interface Game<S> {
  readonly info: GameInfo;
  initialState(): S;
  /** Player to move, or 'terminal'. */
  toMove(s: S): Player | 'terminal';
  /** Legal actions in ascending order; empty iff terminal. */
  legalActions(s: S): readonly Action[];
  /** Throws IllegalActionError (code ILLEGAL_ACTION / GAME_OVER) on an illegal action. */
  apply(s: S, a: Action): S;
  isTerminal(s: S): boolean;
  /** Per player: +1 win, 0 draw, -1 loss; all zero while not terminal. */
  returns(s: S): readonly number[];
  /** Observation from the mover's view, length = product(observationShape). */
  observationTensor(s: S): Float32Array;
  /** Transposition key: equal iff states are equal (for reachable states). */
  key(s: S): number | string;
  /** The board symmetries, the identity first (named 'identity'). */
  readonly symmetries: readonly Symmetry[];
  /** Number of moves played. */
  moveCount(s: S): number;
  /** Random playout to the end; returns per-player returns. The rollout evaluator's hot loop. */
  playout(s: S, rng: Rng): readonly number[];
  /** Optional playout with a cheap game-specific policy (take wins, block threats); the playout mix prefers it. */
  tacticalPlayout?(s: S, rng: Rng): readonly number[];
  actionToString(a: Action): string;
  /** Throws ParseError (MALFORMED_ACTION) on text that names no action. */
  parseAction(text: string): Action;
  /** The standard position notation, e.g. Connect Four's column string '4453'. */
  toNotation(s: S): string;
  /** Throws ParseError (MALFORMED_POSITION) or IllegalActionError naming the offending move. */
  fromNotation(text: string): S;
  /** A human-readable board. */
  render(s: S): string;
}
