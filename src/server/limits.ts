import { z } from 'zod';

/**
 * Every budget the server enforces. All are configurable (`arbor serve --max-...`); the defaults
 * suit one machine serving a few hundred people playing light bots.
 */
export interface Limits {
  /** Largest accepted message, in UTF-8 bytes; larger ones get TOO_LARGE and the socket stays up. */
  readonly maxMessageBytes: number;
  /** Games one connection may hold (created or joined) at once. */
  readonly maxGamesPerConnection: number;
  /** Games alive on the server at once. */
  readonly maxGames: number;
  /** Open WebSocket connections at once; more are refused at the upgrade with HTTP 503. */
  readonly maxConnections: number;
  /** Upper bound on simulations per bot move, whatever the bot spec asks. */
  readonly maxSimulations: number;
  /** Upper bound on thinking time per bot move, in ms. */
  readonly maxTimeMs: number;
  /** A connection that sends nothing for this long is closed (code 4408). */
  readonly idleTimeoutMs: number;
  /** WebSocket ping period; a peer that misses a pong for a whole period is dropped. */
  readonly pingIntervalMs: number;
  /** A game no connection holds any more is deleted after this long (so a client can rejoin). */
  readonly detachedGameTtlMs: number;
  /** Token bucket per connection: sustained messages per second (burst = 2x). */
  readonly messagesPerSecond: number;
}

export const defaultLimits: Limits = {
  maxMessageBytes: 4096,
  maxGamesPerConnection: 8,
  maxGames: 2000,
  maxConnections: 1024,
  maxSimulations: 20_000,
  maxTimeMs: 10_000,
  idleTimeoutMs: 300_000,
  pingIntervalMs: 30_000,
  detachedGameTtlMs: 60_000,
  messagesPerSecond: 50,
};

const positiveInt = z.number().int().positive().max(Number.MAX_SAFE_INTEGER);

export const limitsSchema = z
  .object({
    maxMessageBytes: positiveInt.max(1 << 20),
    maxGamesPerConnection: positiveInt,
    maxGames: positiveInt,
    maxConnections: positiveInt,
    maxSimulations: positiveInt,
    maxTimeMs: positiveInt,
    idleTimeoutMs: positiveInt,
    pingIntervalMs: positiveInt,
    detachedGameTtlMs: z.number().int().nonnegative(),
    messagesPerSecond: positiveInt,
  })
  .strict();

/** Merges overrides into the defaults and validates the result (throws a ZodError naming the field). */
export function resolveLimits(overrides: Partial<Limits> = {}): Limits {
  return limitsSchema.parse({ ...defaultLimits, ...overrides });
}
