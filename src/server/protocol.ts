import { z } from 'zod';

/**
 * The wire protocol (docs/protocol.md is the reference, with an example of every message).
 * Client messages are JSON objects `{ type, id?, ... }`; every reply echoes `id` as `re`.
 * Parsing happens here, at the boundary: the rest of the server sees only validated values.
 */

export const PROTOCOL_VERSION = 1;

/** Stable error codes on the wire. Clients match on these, never on the text. */
export const wireErrorCodes = [
  'BAD_JSON', // not JSON, or a binary frame
  'BAD_MESSAGE', // JSON, but not a valid message (missing/wrong fields)
  'UNKNOWN_TYPE', // `type` names no message
  'TOO_LARGE', // over the server's maxMessageBytes
  'RATE_LIMITED', // too many messages per second on this connection
  'UNKNOWN_GAME', // no game of that name (create)
  'BAD_BOT_SPEC', // the bot spec does not parse or names an unknown bot
  'OVER_LIMIT', // a budget asked for is over the server's limit (simulations, time)
  'TOO_MANY_GAMES', // games per connection or on the server
  'NO_SUCH_GAME', // no game with that id among this connection's games
  'MALFORMED_MOVE', // the move text names no action of this game
  'ILLEGAL_MOVE', // a real action, not legal here
  'NOT_YOUR_TURN', // the human played while the bot is to move
  'NOT_BOT_TURN', // asked the bot to play while the human is to move
  'GAME_OVER', // the game has ended
  'NOTHING_TO_UNDO', // undo with too few moves played
  'BUSY', // the bot is thinking on this game; wait for its reply
  'UNSUPPORTED', // valid, but not available on this server (e.g. no models directory)
  'ABORTED', // a bot move abandoned (game closed, server shutting down)
  'SHUTTING_DOWN', // the server is stopping and takes no new work
  'INTERNAL', // a bug: the text says what failed; the connection stays up
] as const;
export type WireErrorCode = (typeof wireErrorCodes)[number];

/** A failure meant for the client: a stable code and a clear text. */
export class WireError extends Error {
  constructor(
    readonly code: WireErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'WireError';
  }
}

export const requestIdSchema = z.union([z.string().max(64), z.number().int().min(0).max(Number.MAX_SAFE_INTEGER)]);
export type RequestId = z.infer<typeof requestIdSchema>;

/** Game ids are 128 random bits in hex: unguessable, and cheap to validate. */
export const gameIdSchema = z.string().regex(/^[0-9a-f]{32}$/, 'a game id is 32 lowercase hex digits');

const base = { id: requestIdSchema.optional() };
const onGame = { ...base, gameId: gameIdSchema };

export const clientMessageSchemas = {
  hello: z.object({ ...base, type: z.literal('hello') }).strict(),
  ping: z.object({ ...base, type: z.literal('ping') }).strict(),
  list_games: z.object({ ...base, type: z.literal('list_games') }).strict(),
  create: z
    .object({
      ...base,
      type: z.literal('create'),
      game: z.string().min(1).max(64),
      bot: z.string().min(1).max(256),
      /** Who makes the first move; default 'human'. */
      first: z.enum(['human', 'bot', 'random']).optional(),
      /** Thinking time per bot move in ms (a cap next to the spec's simulations). */
      timeMs: z.number().int().positive().max(Number.MAX_SAFE_INTEGER).optional(),
    })
    .strict(),
  play: z
    .object({
      ...onGame,
      type: z.literal('play'),
      /** An action id, or its text (e.g. '4' for Connect Four's fourth column, 'b2' for tic-tac-toe). */
      move: z.union([z.number().int().min(0).max(Number.MAX_SAFE_INTEGER), z.string().min(1).max(16)]),
    })
    .strict(),
  bot_move: z
    .object({
      ...onGame,
      type: z.literal('bot_move'),
      /** false: analyse the position for whoever is to move (a hint) without playing. Default true. */
      play: z.boolean().optional(),
    })
    .strict(),
  resign: z.object({ ...onGame, type: z.literal('resign') }).strict(),
  undo: z
    .object({
      ...onGame,
      type: z.literal('undo'),
      /** Plies to take back; default: back to the human's previous turn. */
      plies: z.number().int().positive().max(1000).optional(),
    })
    .strict(),
  state: z.object({ ...onGame, type: z.literal('state') }).strict(),
  join: z.object({ ...onGame, type: z.literal('join') }).strict(),
  leave: z.object({ ...onGame, type: z.literal('leave') }).strict(),
  close: z.object({ ...onGame, type: z.literal('close') }).strict(),
} as const;

export type ClientMessageType = keyof typeof clientMessageSchemas;
export type ClientMessage = { [K in ClientMessageType]: z.infer<(typeof clientMessageSchemas)[K]> }[ClientMessageType];
export type ClientMessageOf<K extends ClientMessageType> = z.infer<(typeof clientMessageSchemas)[K]>;

export type ParsedMessage =
  | { readonly success: true; readonly message: ClientMessage }
  | { readonly success: false; readonly re: RequestId | undefined; readonly error: WireError };

/** Parses one text frame. Never throws: every failure is an error value with the request id if one was readable. */
export function parseClientMessage(text: string): ParsedMessage {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    return fail(undefined, 'BAD_JSON', `message is not valid JSON: ${(e as Error).message}`);
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    return fail(undefined, 'BAD_MESSAGE', `message must be a JSON object, got ${raw === null ? 'null' : Array.isArray(raw) ? 'an array' : typeof raw}`);
  }
  const obj = raw as Record<string, unknown>;
  const idParse = requestIdSchema.safeParse(obj['id']);
  const re = idParse.success ? idParse.data : undefined;
  if (obj['id'] !== undefined && !idParse.success) {
    return fail(undefined, 'BAD_MESSAGE', 'field "id" must be a string of at most 64 characters or a non-negative safe integer');
  }
  const type = obj['type'];
  if (typeof type !== 'string') {
    return fail(re, 'BAD_MESSAGE', 'field "type" (a string) is required');
  }
  if (!Object.hasOwn(clientMessageSchemas, type)) {
    const shown = type.length > 32 ? `${type.slice(0, 32)}...` : type;
    return fail(re, 'UNKNOWN_TYPE', `unknown message type "${shown}"; known: ${Object.keys(clientMessageSchemas).join(', ')}`);
  }
  const schema = clientMessageSchemas[type as ClientMessageType];
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    return fail(re, 'BAD_MESSAGE', `invalid "${type}" message: ${describeIssues(parsed.error)}`);
  }
  return { success: true, message: parsed.data as ClientMessage };
}

function fail(re: RequestId | undefined, code: WireErrorCode, message: string): ParsedMessage {
  return { success: false, re, error: new WireError(code, message) };
}

function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 3)
    .map((i) => {
      const where = i.path.length > 0 ? `field "${i.path.join('.')}"` : 'message';
      return `${where}: ${i.message}`;
    })
    .join('; ');
}

// ---- Server -> client messages (TypeScript shapes; the docs show examples) ----

export interface GameSummary {
  readonly name: string;
  readonly displayName: string;
  readonly numActions: number;
  readonly rows: number;
  readonly cols: number;
  readonly maxGameLength: number;
}

export interface BotSummary {
  readonly kind: string;
  readonly description: string;
  readonly example: string;
  /** Parameters the spec accepts, with meaning. */
  readonly params: Readonly<Record<string, string>>;
}

export interface MoveAnalysis {
  readonly action: number;
  readonly text: string;
  readonly visits: number;
  /** visits / total visits at the root. */
  readonly share: number;
  /** Mean return for the bot (the side to move at analysis) after this move, in [-1,1]; null if unvisited. */
  readonly q: number | null;
  /** (q+1)/2: the chance to win, counting a draw as half; null if unvisited. */
  readonly winChance: number | null;
  readonly prior: number;
  readonly proven: 'win' | 'loss' | 'draw' | null;
}

export interface Analysis {
  /** The player whose view `value` is from (the one to move when the analysis ran). */
  readonly player: number;
  readonly simulations: number;
  readonly timeMs: number;
  /** Root value for `player`, in [-1,1]. */
  readonly value: number;
  readonly winChance: number;
  readonly proven: 'win' | 'loss' | 'draw' | null;
  /** Best move first. */
  readonly pv: readonly { readonly action: number; readonly text: string }[];
  /** Every legal move at the root, in action order. */
  readonly moves: readonly MoveAnalysis[];
}

export interface PlayedMove {
  readonly ply: number;
  readonly action: number;
  readonly text: string;
  readonly by: 'human' | 'bot';
}

export interface GameResult {
  /** Winning player, or null for a draw. */
  readonly winner: number | null;
  readonly reason: 'rules' | 'resign';
  /** Per player: +1 win, 0 draw, -1 loss. */
  readonly returns: readonly number[];
  /** From the human's side. */
  readonly outcome: 'win' | 'loss' | 'draw';
}

export interface GameView {
  readonly gameId: string;
  readonly game: string;
  readonly bot: string;
  readonly humanPlayer: number;
  readonly botPlayer: number;
  /** Per-move thinking time cap, ms, if any. */
  readonly timeMs: number | null;
  readonly status: 'playing' | 'over';
  /** Player to move, or null when over. */
  readonly toMove: number | null;
  readonly turn: 'human' | 'bot' | null;
  readonly legal: readonly number[];
  readonly moves: readonly PlayedMove[];
  readonly notation: string;
  readonly board: string;
  readonly result: GameResult | null;
  readonly thinking: boolean;
  readonly lastAnalysis: Analysis | null;
  readonly createdAt: string;
}
