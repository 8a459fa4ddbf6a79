import { EngineError } from '../core/index.js';
import type { Action, Game } from './engine.js';
import type { Player } from './players.js';

export interface PlayedGame {
  /** Per seat (0 moves first): +1 win, 0 draw, -1 loss. */
  readonly returns: readonly number[];
  readonly actions: readonly Action[];
  /** Thinking time per seat, summed over the game. */
  readonly thinkMs: readonly [number, number];
  /** Moves made per seat. */
  readonly moves: readonly [number, number];
  /** The final position in the game's notation (the move list, for Connect Four). */
  readonly notation: string;
}

/** Plays one game between two players (seat 0 moves first), telling both of every move. */
export async function playOneGame<S>(game: Game<S>, seats: readonly [Player<S>, Player<S>]): Promise<PlayedGame> {
  for (const p of seats) p.reset();
  let state = game.initialState();
  const actions: Action[] = [];
  const thinkMs: [number, number] = [0, 0];
  const moves: [number, number] = [0, 0];
  for (;;) {
    const seat = game.toMove(state);
    if (seat === 'terminal') break;
    const player = seats[seat as 0 | 1];
    const t0 = performance.now();
    const { action } = await player.chooseAction(state);
    thinkMs[seat as 0 | 1] += performance.now() - t0;
    moves[seat as 0 | 1] += 1;
    if (!game.legalActions(state).includes(action)) {
      // A player that returns an illegal move is a bug in that player, not a loss on the board.
      throw new EngineError('INTERNAL', `player ${player.name} chose illegal action ${game.actionToString(action)} at ${game.toNotation(state) || 'the start'}`);
    }
    state = game.apply(state, action);
    actions.push(action);
    for (const p of seats) p.advance?.(action);
  }
  return { returns: game.returns(state), actions, thinkMs, moves, notation: game.toNotation(state) };
}
