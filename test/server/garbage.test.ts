import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, wireErrorCodes } from '../../src/server/index.js';
import type { ArborServer, GameView } from '../../src/server/index.js';
import { TestClient } from './client.js';
import type { Reply } from './client.js';

/**
 * Throws generated garbage at a live server: each message must get exactly one error reply with
 * a known code, the connection must stay up, existing games must be untouched, and a well-formed
 * game afterwards must still complete.
 */

let server: ArborServer;
let c: TestClient;
let live: GameView; // a game in progress, human to move, with cells 4 and the bot's reply taken
let finished: GameView; // a game that is over

const LIMIT = 4096;

beforeAll(async () => {
  server = await startServer({ host: '127.0.0.1', port: 0, seed: 3, limits: { maxMessageBytes: LIMIT, messagesPerSecond: 100_000, maxGamesPerConnection: 4 } });
  c = await TestClient.connect(server.wsUrl);
  live = (await c.request({ type: 'create', game: 'tictactoe', bot: 'random' }))['game'] as GameView;
  await c.request({ type: 'play', gameId: live.gameId, move: 4 });
  live = (await c.request({ type: 'bot_move', gameId: live.gameId }))['game'] as GameView;
  finished = (await c.request({ type: 'create', game: 'tictactoe', bot: 'random' }))['game'] as GameView;
  finished = (await c.request({ type: 'resign', gameId: finished.gameId }))['game'] as GameView;
});
afterAll(async () => {
  await c?.close();
  await server?.close();
});

const isJson = (s: string): boolean => {
  try {
    JSON.parse(s);
    return true;
  } catch {
    return false;
  }
};

const knownTypes = ['hello', 'ping', 'list_games', 'create', 'play', 'bot_move', 'resign', 'undo', 'state', 'join', 'leave', 'close'];
const hex32 = fc.stringMatching(/^[0-9a-f]{32}$/);
const notAnInteger = fc.oneof(fc.double({ noInteger: true, noNaN: true }), fc.boolean(), fc.constant(null), fc.array(fc.nat(), { maxLength: 3 }), fc.object({ maxDepth: 1 }));

/** A frame to send: text (JSON or not) or binary bytes. */
type Frame = { readonly data: string | Buffer; readonly binary: boolean; readonly what: string };
const text = (what: string) => (data: unknown): Frame => ({ data: typeof data === 'string' ? data : JSON.stringify(data), binary: false, what });

function garbage(): fc.Arbitrary<Frame> {
  const occupied = live.moves.map((m) => m.action);
  return fc.oneof(
    fc.string({ maxLength: 60 }).filter((s) => !isJson(s)).map(text('invalid JSON')),
    fc.oneof(fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.array(fc.anything({ maxDepth: 2 }), { maxLength: 4 }), fc.string({ maxLength: 20 })).map((v) => text('not an object')(JSON.stringify(v))),
    fc.record({ type: fc.string({ maxLength: 40 }).filter((t) => !knownTypes.includes(t)) }).map(text('unknown type')),
    fc.record({ type: fc.anything({ maxDepth: 1 }).filter((t) => typeof t !== 'string') }).map(text('type not a string')),
    fc.record({ type: fc.constantFrom(...knownTypes), bogus: fc.jsonValue({ maxDepth: 1 }) }).map(text('extra field')), // JSON values: an undefined would vanish in JSON.stringify
    fc.record({ type: fc.constantFrom('play', 'bot_move', 'resign', 'undo', 'state', 'join', 'leave', 'close'), gameId: fc.oneof(fc.string({ maxLength: 40 }).filter((s) => !/^[0-9a-f]{32}$/.test(s)), fc.integer(), fc.constant(null)) }).map(text('bad game id')),
    fc.record({ type: fc.constantFrom('play', 'bot_move', 'resign', 'undo', 'state', 'leave', 'close'), gameId: hex32.filter((id) => id !== live.gameId && id !== finished.gameId) }).map(text('unknown game id')),
    fc.record({ type: fc.constant('play'), gameId: fc.constant(live.gameId), move: notAnInteger }).map(text('move of wrong type')),
    fc.record({ type: fc.constant('play'), gameId: fc.constant(live.gameId), move: fc.oneof(fc.integer({ min: 9, max: Number.MAX_SAFE_INTEGER }), fc.constant(1e308), fc.constant(-1), fc.bigInt({ min: 10n ** 20n, max: 10n ** 40n }).map((b) => b.toString())) })
      .map((m) => text('huge or negative move')(JSON.stringify(m).replace(/"move":"(\d+)"/, '"move":$1'))),
    fc.record({ type: fc.constant('play'), gameId: fc.constant(live.gameId), move: fc.constantFrom(...occupied) }).map(text('illegal move')),
    fc.record({ type: fc.constant('play'), gameId: fc.constant(live.gameId), move: fc.string({ minLength: 1, maxLength: 16 }).filter((s) => !/^\s*[1-9]\s*$/.test(s)) }).map(text('malformed move text')),
    fc.record({ type: fc.constantFrom('play', 'bot_move', 'resign', 'undo'), gameId: fc.constant(finished.gameId), move: fc.constant(0) }).map((m) => text('finished game')(m.type === 'play' ? m : { type: m.type, gameId: m.gameId })),
    fc.record({ type: fc.constant('create'), game: fc.string({ maxLength: 80 }).filter((g) => !['tictactoe', 'ttt', 'tic-tac-toe', 'tic_tac_toe', 'connect4', 'connect-four', 'connect_four', 'connectfour', 'c4'].includes(g.trim().toLowerCase())), bot: fc.constant('random') }).map(text('unknown game')),
    fc.record({ type: fc.constant('create'), game: fc.constant('tictactoe'), bot: fc.string({ maxLength: 80 }).filter((b) => !/^\s*(random|uct|perfect)\s*(:|$)/i.test(b)) }).map(text('bad bot spec')),
    fc.record({ type: fc.constant('create'), game: fc.constant('tictactoe'), bot: fc.constant('uct'), timeMs: fc.oneof(fc.integer({ max: 0 }), fc.double({ noInteger: true }), fc.integer({ min: 10_001 })) }).map(text('bad time per move')),
    fc.record({ type: fc.constant('create'), game: fc.constant('connect4'), bot: fc.integer({ min: 20_001, max: 2 ** 40 }).map((n) => `uct:sims=${n}`) }).map(text('sims over limit')),
    fc.uint8Array({ minLength: 1, maxLength: 64 }).map((b) => ({ data: Buffer.from(b), binary: true, what: 'binary frame' })),
    fc.integer({ min: LIMIT + 1, max: 3 * LIMIT }).map((n) => text('oversized')({ type: 'hello', pad: 'x'.repeat(n) })),
  );
}

describe('server: garbage in, error replies out', () => {
  it('answers every malformed, illegal or out-of-place message with one error and keeps going', async () => {
    const codes = new Set<string>(wireErrorCodes);
    const seen = new Map<string, number>();
    await fc.assert(
      fc.asyncProperty(garbage(), async (frame) => {
        const reply: Reply = await c.sendRaw(frame.data, frame.binary);
        expect(reply.type, `${frame.what}: ${String(frame.data).slice(0, 200)} -> ${JSON.stringify(reply)}`).toBe('error');
        expect(codes.has(reply.code!), `unknown code ${reply.code}`).toBe(true);
        expect(typeof reply.message).toBe('string');
        seen.set(reply.code!, (seen.get(reply.code!) ?? 0) + 1);
      }),
      { numRuns: 400 },
    );
    // Enough variety that the generators reach the interesting refusals.
    for (const code of ['BAD_JSON', 'BAD_MESSAGE', 'UNKNOWN_TYPE', 'TOO_LARGE', 'NO_SUCH_GAME', 'ILLEGAL_MOVE', 'MALFORMED_MOVE', 'GAME_OVER', 'UNKNOWN_GAME', 'BAD_BOT_SPEC']) {
      expect(seen.get(code) ?? 0, `no ${code} reply among ${JSON.stringify([...seen])}`).toBeGreaterThan(0);
    }

    // The games are untouched: the live one has its two moves, the finished one is still over.
    const liveNow = (await c.request({ type: 'state', gameId: live.gameId }))['game'] as GameView;
    expect(liveNow.moves).toEqual(live.moves);
    expect(((await c.request({ type: 'state', gameId: finished.gameId }))['game'] as GameView).status).toBe('over');

    // And a well-formed game still completes on the same connection.
    let g = (await c.request({ type: 'create', game: 'tictactoe', bot: 'uct:sims=100' }))['game'] as GameView;
    while (g.status === 'playing') {
      const r = g.turn === 'human' ? await c.request({ type: 'play', gameId: g.gameId, move: g.legal[0] }) : await c.request({ type: 'bot_move', gameId: g.gameId });
      expect(r.type, JSON.stringify(r)).not.toBe('error');
      g = r['game'] as GameView;
    }
    expect(g.result).not.toBeNull();
    const health = await (await fetch(`${server.url}/health`)).json() as { status: string; connections: number };
    expect(health).toMatchObject({ status: 'ok', connections: 1 });
  });
});
