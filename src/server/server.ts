import { createHash, randomInt, timingSafeEqual } from 'node:crypto';
import { promises as fs, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import type { RawData, WebSocket } from 'ws';
import { isEngineError, packageRoot } from '../core/index.js';
import { botSummaries, createBot } from './bots.js';
import { allGames, findGame, gameNames } from './engine.js';
import { SharedEvaluators } from './evaluators.js';
import { resolveLimits } from './limits.js';
import type { Limits } from './limits.js';
import { PROTOCOL_VERSION, WireError, parseClientMessage } from './protocol.js';
import type { ClientMessage, ClientMessageOf, GameSummary, GameView, RequestId, WireErrorCode } from './protocol.js';
import { GameSession } from './session.js';
import type { Holder } from './session.js';
import { securityHeaders, serveStatic } from './static.js';

export interface ServerOptions {
  /** Interface to listen on; default 127.0.0.1 (loopback only). */
  readonly host?: string;
  /** Port; 0 picks a free one. Default 8080. */
  readonly port?: number;
  /** When set, WebSocket clients must present it (Authorization: Bearer T, or ?token=T). */
  readonly token?: string | null;
  readonly limits?: Partial<Limits>;
  /** The web page's folder; default <package>/web. */
  readonly webDir?: string;
  /** Folder of named models for `az` bots; null: none. */
  readonly modelsDir?: string | null;
  /** Browser origins allowed to open a WebSocket besides the page's own; '*' allows any. */
  readonly allowedOrigins?: readonly string[] | '*';
  readonly seed?: number;
  /** One line per notable event (start, stop, internal errors). */
  readonly log?: (line: string) => void;
}

export interface Health {
  readonly status: 'ok' | 'shutting_down';
  readonly version: string;
  readonly protocol: number;
  readonly uptimeS: number;
  readonly connections: number;
  readonly games: number;
  readonly thinking: number;
  readonly evaluators: readonly { readonly name: string; readonly calls: number; readonly states: number; readonly largestBatch: number }[];
  readonly memory: { readonly rssBytes: number; readonly heapUsedBytes: number; readonly heapTotalBytes: number };
  /** CPU time this process has used (user + system), ms: rates per CPU-second survive a busy machine. */
  readonly cpuMs: number;
  readonly eventLoopDelayMs: { readonly p50: number; readonly p99: number; readonly max: number };
  readonly limits: Limits;
}

export interface ArborServer {
  /** http://host:port */
  readonly url: string;
  /** ws://host:port/ws */
  readonly wsUrl: string;
  readonly port: number;
  readonly limits: Limits;
  health(): Health;
  /** Stops: abandons bot moves in flight, closes every socket with 1001, stops listening. */
  close(): Promise<void>;
}

/** Close codes the server uses (besides ws's own 1009 for frames over the hard cap). */
export const closeCodes = {
  goingAway: 1001, // server shutting down
  policy: 1008, // message flood
  tryAgainLater: 1013, // client does not read its replies
  idle: 4408, // idle timeout
} as const;

const PING_MISSES_ALLOWED = 1;
/** A client with this much unread output is dropped: it would otherwise grow our memory. */
const MAX_BUFFERED_BYTES = 4 << 20;

class Connection implements Holder {
  readonly games = new Map<string, GameSession>();
  tokens: number;
  lastRefill = Date.now();
  missedPings = 0;
  refused = 0;
  idleTimer: NodeJS.Timeout | null = null;

  constructor(
    readonly connectionId: number,
    readonly ws: WebSocket,
    readonly rate: number,
  ) {
    this.tokens = 2 * rate;
  }

  /** Token bucket: `rate` messages per second sustained, bursts of 2x. */
  take(): boolean {
    const now = Date.now();
    this.tokens = Math.min(2 * this.rate, this.tokens + ((now - this.lastRefill) / 1000) * this.rate);
    this.lastRefill = now;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    this.refused = 0;
    return true;
  }

  /** Counts a refused message; true once the refusals in a row exceed a second's budget. */
  refuse(): boolean {
    return ++this.refused > this.rate;
  }
}

function readVersion(): string {
  try {
    return (JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')) as { version?: string }).version ?? 'unknown';
  } catch {
    return 'unknown';
  }
}

function digest(s: string): Buffer {
  return createHash('sha256').update(s).digest();
}

export async function startServer(opts: ServerOptions = {}): Promise<ArborServer> {
  const limits = resolveLimits(opts.limits);
  const host = opts.host ?? '127.0.0.1';
  const webDir = resolve(opts.webDir ?? join(packageRoot(), 'web'));
  const modelsDir = opts.modelsDir ? resolve(opts.modelsDir) : null;
  const log = opts.log ?? (() => {});
  const tokenDigest = opts.token ? digest(opts.token) : null;
  const allowedOrigins = opts.allowedOrigins ?? [];
  const version = readVersion();
  const startedAt = Date.now();
  const evaluators = new SharedEvaluators(opts.seed ?? randomInt(2 ** 31));
  let seedCounter = opts.seed ?? randomInt(2 ** 31);
  const sessions = new Map<string, GameSession>();
  const connections = new Set<Connection>();
  let nextConnectionId = 1;
  let shuttingDown = false;
  const loopDelay = monitorEventLoopDelay({ resolution: 10 });
  loopDelay.enable();

  const gameSummaries: GameSummary[] = allGames().map((g) => {
    const [, rows, cols] = g.info.observationShape;
    return { name: g.info.name, displayName: g.info.displayName, numActions: g.info.numDistinctActions, rows, cols, maxGameLength: g.info.maxGameLength };
  });

  const health = (): Health => {
    const mem = process.memoryUsage();
    const cpu = process.cpuUsage();
    let thinking = 0;
    for (const s of sessions.values()) if (s.isThinking) thinking++;
    const ms = (ns: number): number => Math.round(ns / 1e4) / 100;
    return {
      status: shuttingDown ? 'shutting_down' : 'ok',
      version,
      protocol: PROTOCOL_VERSION,
      uptimeS: Math.round((Date.now() - startedAt) / 100) / 10,
      connections: connections.size,
      games: sessions.size,
      thinking,
      evaluators: evaluators.stats(),
      memory: { rssBytes: mem.rss, heapUsedBytes: mem.heapUsed, heapTotalBytes: mem.heapTotal },
      cpuMs: Math.round((cpu.user + cpu.system) / 1000),
      eventLoopDelayMs: { p50: ms(loopDelay.percentile(50)), p99: ms(loopDelay.percentile(99)), max: ms(loopDelay.max) },
      limits,
    };
  };

  // ---- HTTP ----

  const sendJson = (res: ServerResponse, status: number, body: unknown): void => {
    const text = JSON.stringify(body);
    res.writeHead(status, { ...securityHeaders, 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store', 'Content-Length': Buffer.byteLength(text) });
    res.end(text);
  };

  const onRequest = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.setHeader('Allow', 'GET, HEAD');
      sendJson(res, 405, { error: 'METHOD_NOT_ALLOWED', message: `${req.method ?? '?'} is not allowed; use GET` });
      return;
    }
    if (url.pathname === '/health') {
      sendJson(res, shuttingDown ? 503 : 200, health());
      return;
    }
    if (url.pathname === '/ws') {
      sendJson(res, 426, { error: 'UPGRADE_REQUIRED', message: '/ws is the WebSocket endpoint; connect with a WebSocket client' });
      return;
    }
    if (await serveStatic(webDir, req, res, url.pathname)) return;
    sendJson(res, 404, { error: 'NOT_FOUND', message: `nothing at ${url.pathname}` });
  };

  const httpServer: Server = createServer((req, res) => {
    onRequest(req, res).catch((e: unknown) => {
      log(`http error: ${(e as Error).stack ?? String(e)}`);
      if (!res.headersSent) sendJson(res, 500, { error: 'INTERNAL', message: 'internal error' });
      else res.destroy();
    });
  });

  // ---- WebSocket upgrade: path, auth, origin, capacity ----

  const wss = new WebSocketServer({
    noServer: true,
    // Frames up to the hard cap are read and answered TOO_LARGE (the socket stays up); beyond it
    // ws closes the socket with 1009, since reading them at all would cost memory.
    maxPayload: Math.max(1 << 20, limits.maxMessageBytes * 16),
    perMessageDeflate: false,
  });

  const reject = (socket: Duplex, status: number, text: string, body: object): void => {
    const payload = JSON.stringify(body);
    socket.end(
      `HTTP/1.1 ${status} ${text}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(payload)}\r\nConnection: close\r\n\r\n${payload}`,
    );
  };

  const authorized = (req: IncomingMessage, url: URL): boolean => {
    if (!tokenDigest) return true;
    const auth = req.headers.authorization;
    const fromHeader = auth?.startsWith('Bearer ') ? auth.slice(7).trim() : null;
    const given = fromHeader ?? url.searchParams.get('token');
    return given !== null && timingSafeEqual(digest(given), tokenDigest);
  };

  const originAllowed = (req: IncomingMessage): boolean => {
    const origin = req.headers.origin;
    if (origin === undefined || allowedOrigins === '*') return true; // programs send no Origin
    if (allowedOrigins.includes(origin)) return true;
    try {
      return new URL(origin).host === req.headers.host; // the page served by this server
    } catch {
      return false;
    }
  };

  httpServer.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => socket.destroy());
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname !== '/ws') return reject(socket, 404, 'Not Found', { error: 'NOT_FOUND', message: 'the WebSocket endpoint is /ws' });
    if (shuttingDown) return reject(socket, 503, 'Service Unavailable', { error: 'SHUTTING_DOWN', message: 'server is shutting down' });
    if (!authorized(req, url)) return reject(socket, 401, 'Unauthorized', { error: 'UNAUTHORIZED', message: 'a token is required: Authorization: Bearer TOKEN, or ?token=TOKEN' });
    if (!originAllowed(req)) return reject(socket, 403, 'Forbidden', { error: 'FORBIDDEN_ORIGIN', message: `origin ${req.headers.origin ?? ''} is not allowed` });
    if (connections.size >= limits.maxConnections) {
      return reject(socket, 503, 'Service Unavailable', { error: 'TOO_MANY_CONNECTIONS', message: `the server holds its limit of ${limits.maxConnections} connections; retry later` });
    }
    wss.handleUpgrade(req, socket, head, (ws) => onConnection(ws));
  });

  // ---- connections ----

  const send = (conn: Connection, msg: object): void => {
    const ws = conn.ws;
    if (ws.readyState !== ws.OPEN) return;
    if (ws.bufferedAmount > MAX_BUFFERED_BYTES) {
      ws.close(closeCodes.tryAgainLater, 'too much unread output');
      return;
    }
    ws.send(JSON.stringify(msg));
  };

  const sendError = (conn: Connection, re: RequestId | undefined, code: WireErrorCode, message: string): void => {
    send(conn, { type: 'error', ...(re === undefined ? {} : { re }), code, message });
  };

  /** Tells the other holders of a game that it changed. */
  const broadcast = (session: GameSession, except: Connection | null, msg: object): void => {
    for (const h of session.holders) if (h !== except) send(h as Connection, msg);
  };

  const deleteSession = (session: GameSession, reason: string): void => {
    session.close(reason);
    sessions.delete(session.id);
  };

  /** Drops one connection's hold on a game; a game no one holds lives on for the TTL (rejoin). */
  const detach = (conn: Connection, session: GameSession): void => {
    conn.games.delete(session.id);
    session.holders.delete(conn);
    if (session.holders.size > 0) return;
    session.abort('no client holds the game any more');
    if (limits.detachedGameTtlMs === 0 || shuttingDown) {
      deleteSession(session, 'detached');
      return;
    }
    session.detachedTimer = setTimeout(() => {
      if (session.holders.size === 0) deleteSession(session, 'detached game expired');
    }, limits.detachedGameTtlMs);
    session.detachedTimer.unref();
  };

  const attach = (conn: Connection, session: GameSession): void => {
    if (session.detachedTimer) {
      clearTimeout(session.detachedTimer);
      session.detachedTimer = null;
    }
    session.holders.add(conn);
    conn.games.set(session.id, session);
  };

  const ownGame = (conn: Connection, gameId: string): GameSession => {
    const s = conn.games.get(gameId);
    // Same answer for "exists but not yours" and "does not exist": ids are capabilities.
    if (!s) throw new WireError('NO_SUCH_GAME', `no game ${gameId} on this connection (create one, or join it by id)`);
    return s;
  };

  const checkRoom = (conn: Connection): void => {
    if (conn.games.size >= limits.maxGamesPerConnection) {
      throw new WireError('TOO_MANY_GAMES', `this connection holds ${conn.games.size} games, its limit (maxGamesPerConnection); close or leave one first`);
    }
  };

  const handlers: { [K in ClientMessage['type']]: (conn: Connection, m: ClientMessageOf<K>) => object | Promise<object> } = {
    hello: async () => ({ type: 'hello', server: 'arbor', version, protocol: PROTOCOL_VERSION, games: gameSummaries, bots: botSummaries(), models: await listModels(modelsDir), limits }),
    ping: () => ({ type: 'pong', time: Date.now() }),
    list_games: (conn) => ({ type: 'games', games: [...conn.games.values()].map((s) => s.view()) }),
    create: async (conn, m) => {
      checkRoom(conn);
      if (sessions.size >= limits.maxGames) throw new WireError('TOO_MANY_GAMES', `the server holds its limit of ${limits.maxGames} games; retry later`);
      const game = findGame(m.game);
      if (!game) throw new WireError('UNKNOWN_GAME', `unknown game "${m.game.slice(0, 64)}"; known: ${gameNames().join(', ')}`);
      if (m.timeMs !== undefined && m.timeMs > limits.maxTimeMs) {
        throw new WireError('OVER_LIMIT', `timeMs ${m.timeMs} is over this server's limit maxTimeMs=${limits.maxTimeMs}`);
      }
      const bot = await createBot(game, m.bot, { limits, evaluators, seed: seedCounter++, modelsDir });
      // Loading a model takes a while: the limits may have been reached meanwhile.
      if (conn.games.size >= limits.maxGamesPerConnection || sessions.size >= limits.maxGames || conn.ws.readyState !== conn.ws.OPEN) {
        bot.dispose();
        checkRoom(conn);
        if (sessions.size >= limits.maxGames) throw new WireError('TOO_MANY_GAMES', `the server holds its limit of ${limits.maxGames} games; retry later`);
        throw new WireError('ABORTED', 'the connection closed while the bot was being prepared');
      }
      const first = m.first ?? 'human';
      const humanPlayer = first === 'human' ? 0 : first === 'bot' ? 1 : randomInt(2);
      const session = new GameSession(game, bot, humanPlayer, m.timeMs ?? null);
      sessions.set(session.id, session);
      attach(conn, session);
      return { type: 'game', event: 'created', game: session.view() };
    },
    play: (conn, m) => {
      const s = ownGame(conn, m.gameId);
      s.play(m.move);
      const view = s.view();
      broadcast(s, conn, { type: 'update', event: 'played', game: view });
      return { type: 'game', event: 'played', game: view };
    },
    bot_move: async (conn, m) => {
      const s = ownGame(conn, m.gameId);
      const play = m.play ?? true;
      const { action, text, analysis } = await s.botMove(play);
      const view = s.view();
      if (play) broadcast(s, conn, { type: 'update', event: 'bot_moved', game: view });
      return { type: 'bot_move', played: play, move: { action, text }, analysis, game: view };
    },
    resign: (conn, m) => {
      const s = ownGame(conn, m.gameId);
      s.resign();
      const view = s.view();
      broadcast(s, conn, { type: 'update', event: 'resigned', game: view });
      return { type: 'game', event: 'resigned', game: view };
    },
    undo: (conn, m) => {
      const s = ownGame(conn, m.gameId);
      const plies = s.undo(m.plies);
      const view = s.view();
      broadcast(s, conn, { type: 'update', event: 'undone', game: view });
      return { type: 'game', event: 'undone', plies, game: view };
    },
    state: (conn, m) => ({ type: 'game', event: 'state', game: ownGame(conn, m.gameId).view() }),
    join: (conn, m) => {
      const s = sessions.get(m.gameId);
      if (!s) throw new WireError('NO_SUCH_GAME', `no game ${m.gameId} on this server (it may have been closed or expired)`);
      if (!conn.games.has(s.id)) {
        checkRoom(conn);
        attach(conn, s);
      }
      return { type: 'game', event: 'joined', game: s.view() };
    },
    leave: (conn, m) => {
      const s = ownGame(conn, m.gameId);
      detach(conn, s);
      return { type: 'left', gameId: s.id };
    },
    close: (conn, m) => {
      const s = ownGame(conn, m.gameId);
      for (const h of [...s.holders]) (h as Connection).games.delete(s.id);
      broadcast(s, conn, { type: 'closed', gameId: s.id, reason: 'closed by another client' });
      deleteSession(s, 'closed by a client');
      return { type: 'closed', gameId: s.id };
    },
  };

  const dispatch = async (conn: Connection, m: ClientMessage): Promise<void> => {
    try {
      if (shuttingDown) throw new WireError('SHUTTING_DOWN', 'the server is shutting down');
      const handler = handlers[m.type] as (conn: Connection, m: ClientMessage) => object | Promise<object>;
      const reply = await handler(conn, m);
      send(conn, m.id === undefined ? reply : { ...reply, re: m.id });
    } catch (e) {
      if (e instanceof WireError) {
        sendError(conn, m.id, e.code, e.message);
      } else if (isEngineError(e)) {
        sendError(conn, m.id, mapEngineCode(e.code), e.message);
      } else {
        log(`internal error on "${m.type}": ${(e as Error)?.stack ?? String(e)}`);
        sendError(conn, m.id, 'INTERNAL', `internal error while handling "${m.type}": ${(e as Error)?.message ?? String(e)}`);
      }
    }
  };

  const onMessage = (conn: Connection, data: RawData, isBinary: boolean): void => {
    conn.idleTimer?.refresh();
    const size = Array.isArray(data) ? data.reduce((n, b) => n + b.length, 0) : (data as Buffer | ArrayBuffer).byteLength;
    if (!conn.take()) {
      // Replies to a flood would amplify it: past a second's worth of refusals, hang up.
      if (conn.refuse()) {
        conn.ws.close(closeCodes.policy, 'message flood');
        return;
      }
      sendError(conn, undefined, 'RATE_LIMITED', `more than ${limits.messagesPerSecond} messages per second; slow down`);
      return;
    }
    if (size > limits.maxMessageBytes) {
      sendError(conn, undefined, 'TOO_LARGE', `message of ${size} bytes is over this server's limit of ${limits.maxMessageBytes} bytes`);
      return;
    }
    if (isBinary) {
      sendError(conn, undefined, 'BAD_JSON', 'binary frames are not accepted; send JSON text frames');
      return;
    }
    const text = Array.isArray(data) ? Buffer.concat(data).toString('utf8') : Buffer.from(data as Buffer).toString('utf8');
    const parsed = parseClientMessage(text);
    if (!parsed.success) {
      sendError(conn, parsed.re, parsed.error.code, parsed.error.message);
      return;
    }
    void dispatch(conn, parsed.message);
  };

  const onConnection = (ws: WebSocket): void => {
    const conn = new Connection(nextConnectionId++, ws, limits.messagesPerSecond);
    connections.add(conn);
    conn.idleTimer = setTimeout(() => ws.close(closeCodes.idle, `idle for ${limits.idleTimeoutMs} ms`), limits.idleTimeoutMs);
    conn.idleTimer.unref();
    ws.on('message', (data, isBinary) => onMessage(conn, data, isBinary));
    ws.on('pong', () => {
      conn.missedPings = 0;
    });
    ws.on('error', () => {
      // ws reports protocol violations (bad UTF-8, frames over the hard cap) here, then closes.
    });
    ws.on('close', () => {
      connections.delete(conn);
      if (conn.idleTimer) clearTimeout(conn.idleTimer);
      for (const s of [...conn.games.values()]) detach(conn, s);
    });
  };

  const pingTimer = setInterval(() => {
    for (const conn of connections) {
      if (conn.missedPings > PING_MISSES_ALLOWED) {
        conn.ws.terminate();
        continue;
      }
      conn.missedPings++;
      conn.ws.ping();
    }
  }, limits.pingIntervalMs);
  pingTimer.unref();

  await new Promise<void>((resolve, rejectListen) => {
    httpServer.once('error', rejectListen);
    httpServer.listen(opts.port ?? 8080, host, () => {
      httpServer.off('error', rejectListen);
      resolve();
    });
  });
  const port = (httpServer.address() as AddressInfo).port;
  const hostInUrl = host.includes(':') ? `[${host}]` : host;
  const url = `http://${hostInUrl}:${port}`;

  let closing: Promise<void> | null = null;
  const close = (): Promise<void> => {
    closing ??= (async () => {
      shuttingDown = true;
      clearInterval(pingTimer);
      for (const s of sessions.values()) s.abort('server shutting down');
      // Let the abandoned moves' ABORTED replies go out before the sockets close.
      await new Promise((r) => setImmediate(r));
      await new Promise((r) => setImmediate(r));
      const closed = [...connections].map(
        (c) =>
          new Promise<void>((resolve) => {
            if (c.ws.readyState === c.ws.CLOSED) return resolve();
            c.ws.once('close', () => resolve());
            c.ws.close(closeCodes.goingAway, 'server shutting down');
          }),
      );
      const timeout = new Promise<void>((r) => setTimeout(r, 2000).unref());
      await Promise.race([Promise.all(closed), timeout]);
      for (const c of connections) c.ws.terminate();
      for (const s of [...sessions.values()]) deleteSession(s, 'server shutting down');
      wss.close();
      await new Promise<void>((resolve) => {
        httpServer.close(() => resolve());
        httpServer.closeAllConnections();
      });
      loopDelay.disable();
    })();
    return closing;
  };

  return { url, wsUrl: `${url.replace('http', 'ws')}/ws`, port, limits, health, close };
}

/** Checkpoint folders (with a manifest.json) in the models directory, for az:model=NAME. */
async function listModels(dir: string | null): Promise<{ name: string; game: string | null }[]> {
  if (dir === null) return [];
  let names: string[];
  try {
    names = (await fs.readdir(dir, { withFileTypes: true })).filter((d) => d.isDirectory() && !d.name.startsWith('.')).map((d) => d.name);
  } catch {
    return [];
  }
  const out: { name: string; game: string | null }[] = [];
  for (const name of names.sort()) {
    try {
      const { game } = JSON.parse(await fs.readFile(join(dir, name, 'manifest.json'), 'utf8')) as { game?: unknown };
      out.push({ name, game: typeof game === 'string' ? game : null });
    } catch {
      // not a checkpoint
    }
  }
  return out;
}

function mapEngineCode(code: string): WireErrorCode {
  switch (code) {
    case 'ILLEGAL_ACTION':
      return 'ILLEGAL_MOVE';
    case 'MALFORMED_ACTION':
      return 'MALFORMED_MOVE';
    case 'GAME_OVER':
      return 'GAME_OVER';
    case 'UNKNOWN_GAME':
      return 'UNKNOWN_GAME';
    case 'BAD_PLAYER_SPEC':
      return 'BAD_BOT_SPEC';
    case 'UNSUPPORTED':
      return 'UNSUPPORTED';
    default:
      return 'INTERNAL';
  }
}
