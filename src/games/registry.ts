import { EngineError } from '../core/index.js';
import type { Game } from './game.js';
import { connectFour } from './connect-four/connect-four.js';
import { ticTacToe } from './tic-tac-toe/tic-tac-toe.js';

export interface GameEntry {
  /** Canonical name (GameInfo.name). */
  readonly name: string;
  readonly displayName: string;
  /** Other accepted spellings (matched case-insensitively, like the name). */
  readonly aliases: readonly string[];
  readonly game: Game<unknown>;
}

// Game<S> is assignable to Game<unknown> because its methods are declared as methods.
const ENTRIES: readonly GameEntry[] = Object.freeze([
  entry(ticTacToe, ['ttt', 'tic-tac-toe', 'tic_tac_toe']),
  entry(connectFour, ['connect-four', 'connect_four', 'connectfour', 'c4']),
]);

function entry(game: Game<unknown>, aliases: readonly string[]): GameEntry {
  return Object.freeze({ name: game.info.name, displayName: game.info.displayName, aliases: Object.freeze([...aliases]), game });
}

const BY_NAME = new Map<string, Game<unknown>>();
for (const e of ENTRIES) for (const n of [e.name, ...e.aliases]) BY_NAME.set(n.toLowerCase(), e.game);

/** Every game, in a stable order. */
export function listGames(): readonly GameEntry[] {
  return ENTRIES;
}

/** The game called `name` (or an alias, any case); UNKNOWN_GAME lists the names that exist. */
export function getGame(name: string): Game<unknown> {
  const game = BY_NAME.get(name.trim().toLowerCase());
  if (game !== undefined) return game;
  const known = ENTRIES.map((e) => `${e.name} (${e.aliases.join(', ')})`).join('; ');
  throw new EngineError('UNKNOWN_GAME', `unknown game '${name}'; known games: ${known}`);
}
