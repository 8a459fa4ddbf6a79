import { IllegalActionError } from '../core/index.js';

/**
 * An action applied to a finished game. It is an IllegalActionError (callers that only ask
 * "was the move legal?" catch one class) with its own stable code, so scripts and the wire
 * protocol can tell "game over" from "bad move".
 */
export class GameOverError extends IllegalActionError {
  override readonly code = 'GAME_OVER' as const;
}
