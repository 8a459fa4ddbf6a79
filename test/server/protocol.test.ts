import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startServer } from '../../src/server/index.js';
import type { ArborServer, GameView } from '../../src/server/index.js';
import { TestClient } from './client.js';
import type { Reply } from './client.js';

let server: ArborServer;

beforeAll(async () => {
  server = await startServer({
    host: '127.0.0.1',
    port: 0,
    seed: 7,
    limits: { maxGamesPerConnection: 3, maxSimulations: 5000, maxTimeMs: 2000, maxMessageBytes: 2048, detachedGameTtlMs: 60_000 },
  });
});
afterAll(async () => {
  await server.close();
});

const gameOf = (r: Reply): GameView => r['game'] as GameView;

async function create(c: TestClient, bot = 'uct:sims=200', first = 'human', game = 'tictactoe'): Promise<GameView> {
  const r = await c.request({ type: 'create', game, bot, first });
  expect(r.type, JSON.stringify(r)).toBe('game');
  return gameOf(r);
}

describe('server: http', () => {
  it('serves the page, /health as JSON, and refuses traversal and other methods', async () => {
    const page = await fetch(`${server.url}/`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toContain('text/html');
    expect(await page.text()).toContain('<script type="module" src="app.js"></script>');
    const health = await fetch(`${server.url}/health`);
    expect(health.status).toBe(200);
    const h = (await health.json()) as Record<string, unknown>;
    expect(h['status']).toBe('ok');
    expect(typeof (h['memory'] as Record<string, number>)['rssBytes']).toBe('number');
    expect((await fetch(`${server.url}/%2e%2e/package.json`)).status).toBe(404);
    expect((await fetch(`${server.url}/nothing-here.js`)).status).toBe(404);
    expect((await fetch(`${server.url}/health`, { method: 'POST' })).status).toBe(405);
    expect((await fetch(`${server.url}/ws`)).status).toBe(426);
  });
});

describe('server: protocol', () => {
  it('hello lists games, bots and limits; ping answers pong', async () => {
    const c = await TestClient.connect(server.wsUrl);
    const hello = await c.request({ type: 'hello' });
    expect(hello.type).toBe('hello');
    expect((hello['games'] as { name: string }[]).map((g) => g.name)).toEqual(expect.arrayContaining(['tictactoe', 'connect4']));
    expect((hello['bots'] as { kind: string }[]).map((b) => b.kind)).toEqual(expect.arrayContaining(['random', 'uct', 'perfect']));
    expect((hello['limits'] as Record<string, number>)['maxGamesPerConnection']).toBe(3);
    expect((await c.request({ type: 'ping' })).type).toBe('pong');
    await c.close();
  });

  it('plays a whole game: create, play, bot_move with analysis, until a result', async () => {
    const c = await TestClient.connect(server.wsUrl);
    let g = await create(c, 'uct:sims=300');
    expect(g.gameId).toMatch(/^[0-9a-f]{32}$/);
    expect(g.turn).toBe('human');
    expect(g.legal).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8]);
    while (g.status === 'playing') {
      if (g.turn === 'human') {
        const r = await c.request({ type: 'play', gameId: g.gameId, move: g.legal[0] });
        expect(r.type, JSON.stringify(r)).toBe('game');
        g = gameOf(r);
      } else {
        const r = await c.request({ type: 'bot_move', gameId: g.gameId });
        expect(r.type, JSON.stringify(r)).toBe('bot_move');
        const a = r['analysis'] as { simulations: number; proven: string | null; moves: { visits: number; share: number }[]; pv: unknown[]; value: number };
        // A reused subtree may already be proven (MCTS-Solver): then no new simulation is needed.
        expect(a.simulations > 0 || a.proven !== null).toBe(true);
        expect(a.moves.length).toBeGreaterThan(0);
        expect(a.moves.reduce((n, m) => n + m.share, 0)).toBeCloseTo(1, 2);
        expect(a.pv.length).toBeGreaterThan(0);
        expect(Math.abs(a.value)).toBeLessThanOrEqual(1);
        g = gameOf(r);
      }
    }
    expect(g.result).not.toBeNull();
    expect(g.legal).toEqual([]);
    // Playing on a finished game is refused with GAME_OVER.
    const over = await c.request({ type: 'play', gameId: g.gameId, move: 0 });
    expect(over.code).toBe('GAME_OVER');
    await c.close();
  });

  it('perfect bot moving first never loses against anything; moves accept their text form', async () => {
    const c = await TestClient.connect(server.wsUrl);
    let g = await create(c, 'perfect', 'bot');
    expect(g.turn).toBe('bot');
    expect(g.humanPlayer).toBe(1);
    while (g.status === 'playing') {
      const r = g.turn === 'bot' ? await c.request({ type: 'bot_move', gameId: g.gameId }) : await c.request({ type: 'play', gameId: g.gameId, move: String(g.legal[g.legal.length - 1]! + 1) });
      g = gameOf(r);
    }
    expect(g.result!.outcome).not.toBe('win');
    await c.close();
  });

  it('rejects moves out of turn, illegal, malformed; hint with play:false plays nothing', async () => {
    const c = await TestClient.connect(server.wsUrl);
    const g = await create(c, 'random');
    expect((await c.request({ type: 'bot_move', gameId: g.gameId })).code).toBe('NOT_BOT_TURN');
    const hint = await c.request({ type: 'bot_move', gameId: g.gameId, play: false });
    expect(hint.type).toBe('bot_move');
    expect(hint['played']).toBe(false);
    expect(gameOf(hint).moves).toEqual([]);
    expect((await c.request({ type: 'play', gameId: g.gameId, move: 9 })).code).toBe('MALFORMED_MOVE');
    expect((await c.request({ type: 'play', gameId: g.gameId, move: 'z9' })).code).toBe('MALFORMED_MOVE');
    expect((await c.request({ type: 'play', gameId: g.gameId, move: 4 })).type).toBe('game');
    expect((await c.request({ type: 'play', gameId: g.gameId, move: 0 })).code).toBe('NOT_YOUR_TURN');
    await c.request({ type: 'bot_move', gameId: g.gameId });
    expect((await c.request({ type: 'play', gameId: g.gameId, move: 4 })).code).toBe('ILLEGAL_MOVE');
    await c.close();
  });

  it('undo takes back to the human turn; resign ends the game; close removes it', async () => {
    const c = await TestClient.connect(server.wsUrl);
    const g = await create(c, 'random');
    expect((await c.request({ type: 'undo', gameId: g.gameId })).code).toBe('NOTHING_TO_UNDO');
    await c.request({ type: 'play', gameId: g.gameId, move: 0 });
    await c.request({ type: 'bot_move', gameId: g.gameId });
    const u = await c.request({ type: 'undo', gameId: g.gameId });
    expect(u['plies']).toBe(2);
    expect(gameOf(u).moves).toEqual([]);
    expect(gameOf(u).turn).toBe('human');
    const r = await c.request({ type: 'resign', gameId: g.gameId });
    expect(gameOf(r).result).toMatchObject({ reason: 'resign', outcome: 'loss', winner: 1 });
    expect((await c.request({ type: 'undo', gameId: g.gameId })).code).toBe('GAME_OVER');
    expect((await c.request({ type: 'close', gameId: g.gameId })).type).toBe('closed');
    expect((await c.request({ type: 'state', gameId: g.gameId })).code).toBe('NO_SUCH_GAME');
    await c.close();
  });

  it('games are private unless joined by id; joiners see updates; leave detaches', async () => {
    const a = await TestClient.connect(server.wsUrl);
    const b = await TestClient.connect(server.wsUrl);
    const g = await create(a, 'random');
    expect((await b.request({ type: 'state', gameId: g.gameId })).code).toBe('NO_SUCH_GAME');
    expect((await b.request({ type: 'list_games' }))['games']).toEqual([]);
    expect(gameOf(await b.request({ type: 'join', gameId: g.gameId })).gameId).toBe(g.gameId);
    await a.request({ type: 'play', gameId: g.gameId, move: 4 });
    const push = await b.next();
    expect(push).toMatchObject({ type: 'update', event: 'played' });
    expect(gameOf(push).moves.map((m) => m.action)).toEqual([4]);
    expect((await b.request({ type: 'leave', gameId: g.gameId })).type).toBe('left');
    expect((await b.request({ type: 'state', gameId: g.gameId })).code).toBe('NO_SUCH_GAME');
    expect((await b.request({ type: 'join', gameId: '0'.repeat(32) })).code).toBe('NO_SUCH_GAME');
    await a.close();
    // The game outlives its last holder for the detached TTL, so a client can come back.
    expect(gameOf(await b.request({ type: 'join', gameId: g.gameId })).moves.length).toBe(1);
    await b.close();
  });

  it('enforces games per connection, bot budgets and game names', async () => {
    const c = await TestClient.connect(server.wsUrl);
    for (let i = 0; i < 3; i++) await create(c, 'random');
    expect((await c.request({ type: 'create', game: 'tictactoe', bot: 'random' })).code).toBe('TOO_MANY_GAMES');
    const d = await TestClient.connect(server.wsUrl);
    expect((await d.request({ type: 'create', game: 'chess', bot: 'random' })).code).toBe('UNKNOWN_GAME');
    expect((await d.request({ type: 'create', game: 'tictactoe', bot: 'uct:sims=999999' })).code).toBe('OVER_LIMIT');
    expect((await d.request({ type: 'create', game: 'tictactoe', bot: 'uct:time=60' })).code).toBe('OVER_LIMIT');
    expect((await d.request({ type: 'create', game: 'tictactoe', bot: 'random', timeMs: 999999 })).code).toBe('OVER_LIMIT');
    expect((await d.request({ type: 'create', game: 'tictactoe', bot: 'uct:simz=10' })).code).toBe('BAD_BOT_SPEC');
    expect((await d.request({ type: 'create', game: 'tictactoe', bot: 'alphabeta' })).code).toBe('BAD_BOT_SPEC');
    expect((await d.request({ type: 'create', game: 'connect4', bot: 'perfect' })).code).toBe('BAD_BOT_SPEC');
    expect((await d.request({ type: 'create', game: 'connect4', bot: 'az:model=../../etc/passwd' })).code).toBe('BAD_BOT_SPEC');
    expect((await d.request({ type: 'create', game: 'connect4', bot: 'az:model=best' })).code).toBe('UNSUPPORTED');
    const c4 = await create(d, 'uct:sims=100', 'human', 'connect4');
    expect(c4.legal).toEqual([0, 1, 2, 3, 4, 5, 6]);
    await c.close();
    await d.close();
  });

  it('answers bad frames with stable codes and keeps the socket open', async () => {
    const c = await TestClient.connect(server.wsUrl);
    expect((await c.sendRaw('{not json')).code).toBe('BAD_JSON');
    expect((await c.sendRaw('[1,2]')).code).toBe('BAD_MESSAGE');
    expect((await c.sendRaw('{"type":"fly"}')).code).toBe('UNKNOWN_TYPE');
    expect((await c.sendRaw(Buffer.from([1, 2, 3]), true)).code).toBe('BAD_JSON');
    expect((await c.sendRaw(JSON.stringify({ type: 'hello', pad: 'x'.repeat(5000) }))).code).toBe('TOO_LARGE');
    const bad = await c.request({ type: 'play', gameId: 'nope', move: 1 });
    expect(bad.code).toBe('BAD_MESSAGE');
    expect(bad.message).toContain('gameId');
    expect((await c.request({ type: 'hello', extra: 1 })).code).toBe('BAD_MESSAGE');
    expect((await c.request({ type: 'hello' })).type).toBe('hello');
    await c.close();
  });

  it('refuses the bot a second move while it thinks (BUSY), and a time cap bounds thinking', async () => {
    const c = await TestClient.connect(server.wsUrl);
    const r = await c.request({ type: 'create', game: 'connect4', bot: 'uct:sims=5000', first: 'bot', timeMs: 300 });
    const g = gameOf(r);
    const thinking = c.request({ type: 'bot_move', gameId: g.gameId });
    const busy = await c.request({ type: 'undo', gameId: g.gameId, plies: 1 });
    expect(busy.code).toBe('BUSY');
    // The server answers other requests while the bot thinks.
    expect((await c.request({ type: 'state', gameId: g.gameId }))['game']).toMatchObject({ thinking: true });
    const done = await thinking;
    expect(done.type).toBe('bot_move');
    expect((done['analysis'] as { simulations: number }).simulations).toBeGreaterThan(0);
    await c.close();
  });
});

describe('server: auth and shutdown', () => {
  it('requires the token when set (header or query) and closes sockets with 1001 on shutdown', async () => {
    const s = await startServer({ host: '127.0.0.1', port: 0, token: 's3cret' });
    await expect(TestClient.connect(s.wsUrl)).rejects.toThrow('401');
    await expect(TestClient.connect(`${s.wsUrl}?token=wrong`)).rejects.toThrow('401');
    const viaQuery = await TestClient.connect(`${s.wsUrl}?token=s3cret`);
    const viaHeader = await TestClient.connect(s.wsUrl, { Authorization: 'Bearer s3cret' });
    const g = gameOf(await viaHeader.request({ type: 'create', game: 'connect4', bot: 'uct:sims=20000', first: 'bot' }));
    const inFlight = viaHeader.request({ type: 'bot_move', gameId: g.gameId });
    await new Promise((r) => setTimeout(r, 50));
    await s.close();
    expect((await inFlight).code).toBe('ABORTED');
    expect((await viaQuery.closed).code).toBe(1001);
    expect((await viaHeader.closed).code).toBe(1001);
  });

  it('refuses a foreign browser origin but accepts its own page and programs', async () => {
    const s = await startServer({ host: '127.0.0.1', port: 0 });
    const foreign = new WebSocket(s.wsUrl, { headers: { Origin: 'http://evil.example' } });
    const status = await new Promise<number>((resolve) => foreign.on('unexpected-response', (_q, res) => resolve(res.statusCode ?? 0)));
    expect(status).toBe(403);
    const own = await TestClient.connect(s.wsUrl, { Origin: s.url });
    expect((await own.request({ type: 'ping' })).type).toBe('pong');
    await s.close();
  });

  it('closes idle connections with 4408, rate-limits floods and hangs up on them with 1008', async () => {
    const s = await startServer({ host: '127.0.0.1', port: 0, limits: { idleTimeoutMs: 300, messagesPerSecond: 5 } });
    const idle = await TestClient.connect(s.wsUrl);
    expect((await idle.closed).code).toBe(4408);
    await s.close();
    // The flood gets a server whose idle timeout cannot fire first on a loaded machine.
    const f = await startServer({ host: '127.0.0.1', port: 0, limits: { idleTimeoutMs: 60_000, messagesPerSecond: 5 } });
    const flood = await TestClient.connect(f.wsUrl);
    const got: string[] = [];
    flood.ws.on('message', (d) => {
      const m = JSON.parse(d.toString()) as { type: string; code?: string };
      got.push(m.type === 'error' ? m.code! : m.type);
    });
    // A burst of 2x the rate is served (pongs reply asynchronously, so they are awaited before
    // the flood: replies still pending when the server hangs up are dropped with the socket).
    for (let i = 0; i < 10; i++) flood.ws.send('{"type":"ping"}');
    while (got.filter((t) => t === 'pong').length < 10) await new Promise((r) => setTimeout(r, 5));
    // Then refusals, then the hang-up (before all 40 were answered).
    for (let i = 0; i < 40; i++) flood.ws.send('{"type":"ping"}');
    expect((await flood.closed).code).toBe(1008);
    expect(got.filter((t) => t === 'RATE_LIMITED').length).toBeGreaterThanOrEqual(1);
    expect(got.length).toBeLessThan(50);
    await f.close();
  });
});
