/**
 * Load on the bot API over loopback: many concurrent WebSocket clients playing games against
 * light bots, plus clients sending malformed input and one flooding, against `arbor serve` in
 * its own process (so its memory is the server's alone, read from /health). Reports moves/s,
 * reply latency percentiles, errors by code, and the server's memory at start, middle and end.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import WebSocket from 'ws';
import { Rng, packageRoot } from '../../core/index.js';
import type { BenchContext, BenchSection, BenchSuite } from './types.js';

interface Reply {
  readonly type: string;
  readonly re?: number;
  readonly code?: string;
  readonly game?: { gameId: string; status: string; turn: string | null; legal: number[] };
}

interface Health {
  connections: number;
  games: number;
  thinking: number;
  memory: { rssBytes: number; heapUsedBytes: number };
  cpuMs: number;
  eventLoopDelayMs: { p50: number; p99: number; max: number };
  evaluators: { name: string; calls: number; states: number; largestBatch: number }[];
}

/** A protocol client that times each request from send to reply. */
class Client {
  private nextId = 1;
  private readonly waiting = new Map<number, (r: Reply) => void>();
  /** Error replies without an id (raw garbage) and pushes. */
  readonly unmatched: Reply[] = [];
  closedWith: number | null = null;

  private constructor(readonly ws: WebSocket) {
    ws.on('message', (data) => {
      const r = JSON.parse(data.toString()) as Reply;
      const cb = r.re !== undefined ? this.waiting.get(r.re) : undefined;
      if (cb) {
        this.waiting.delete(r.re!);
        cb(r);
      } else this.unmatched.push(r);
    });
    ws.on('close', (code) => {
      this.closedWith = code;
      for (const cb of this.waiting.values()) cb({ type: 'error', code: `CLOSED_${code}` });
      this.waiting.clear();
    });
    ws.on('error', () => {});
  }

  static connect(url: string): Promise<Client> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(url, { perMessageDeflate: false });
      ws.once('open', () => resolve(new Client(ws)));
      ws.once('error', reject);
    });
  }

  request(msg: Record<string, unknown>): Promise<Reply> {
    if (this.ws.readyState !== WebSocket.OPEN) return Promise.resolve({ type: 'error', code: 'CLOSED' });
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.waiting.set(id, resolve);
      this.ws.send(JSON.stringify({ ...msg, id }));
    });
  }

  sendRaw(data: string | Buffer, binary = false): void {
    if (this.ws.readyState === WebSocket.OPEN) this.ws.send(data, { binary });
  }
}

class Latencies {
  readonly byKind = new Map<string, number[]>();
  add(kind: string, ms: number): void {
    let xs = this.byKind.get(kind);
    if (!xs) this.byKind.set(kind, (xs = []));
    xs.push(ms);
  }
}

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

const availableCores = (): number => cpus().length;
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const mb = (b: number): number => Math.round((b / 2 ** 20) * 10) / 10;
const ms1 = (x: number): number => Math.round(x * 10) / 10;

/** Starts `arbor serve` on a free loopback port and resolves with its URLs. */
function startServerProcess(): Promise<{ child: ChildProcess; url: string; wsUrl: string }> {
  // ARBOR_BENCH_SERVER_NODE_ARGS, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof", profiles the server.
  const nodeArgs = (process.env['ARBOR_BENCH_SERVER_NODE_ARGS'] ?? '').split(/\s+/).filter((a) => a !== '');
  const child = spawn(
    process.execPath,
    [...nodeArgs, join(packageRoot(), 'bin', 'arbor.js'), 'serve', '--host', '127.0.0.1', '--port', '0', '--json', '--max-connections', '2000', '--seed', '1'],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  return new Promise((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    lines.on('line', (line) => {
      try {
        const ev = JSON.parse(line) as { event: string; url: string; wsUrl: string };
        if (ev.event === 'listening') resolve({ child, url: ev.url, wsUrl: ev.wsUrl });
      } catch {
        // not a JSON line
      }
    });
    child.once('exit', (code) => reject(new Error(`arbor serve exited early with code ${code}`)));
    child.once('error', reject);
  });
}

async function health(url: string): Promise<Health> {
  return (await (await fetch(`${url}/health`)).json()) as Health;
}

interface Totals {
  moves: number;
  games: number;
  playerErrors: Map<string, number>;
}

/** One player: games back to back until the deadline, random legal moves against a light bot. */
async function player(c: Client, index: number, deadline: number, lat: Latencies, totals: Totals): Promise<void> {
  const rng = new Rng(1000 + index);
  const timed = async (kind: string, msg: Record<string, unknown>): Promise<Reply> => {
    const t0 = performance.now();
    const r = await c.request(msg);
    lat.add(kind, performance.now() - t0);
    if (r.type === 'error') totals.playerErrors.set(r.code ?? '?', (totals.playerErrors.get(r.code ?? '?') ?? 0) + 1);
    return r;
  };
  let g = 0;
  while (performance.now() < deadline && c.closedWith === null) {
    const game = (index + g) % 2 === 0 ? 'tictactoe' : 'connect4';
    const bot = (index + g) % 4 < 2 ? 'uct:sims=50' : 'random';
    g++;
    const created = await timed('create', { type: 'create', game, bot, first: rng.int(2) === 0 ? 'human' : 'bot' });
    if (created.type === 'error' || !created.game) {
      await sleep(100);
      continue;
    }
    let view = created.game;
    const id = view.gameId;
    while (view.status === 'playing' && performance.now() < deadline) {
      const r =
        view.turn === 'human'
          ? await timed('play', { type: 'play', gameId: id, move: view.legal[rng.int(view.legal.length)] })
          : await timed(`bot_move ${bot}`, { type: 'bot_move', gameId: id });
      if (r.type === 'error' || !r.game) break;
      totals.moves++;
      view = r.game;
    }
    if (view.status === 'over') totals.games++;
    await c.request({ type: 'close', gameId: id });
  }
  c.ws.close();
}

/** Sends a mix of malformed and out-of-place messages at ~rate per second until the deadline. */
async function vandal(c: Client, index: number, deadline: number, perSecond: number, errors: Map<string, number>): Promise<void> {
  const rng = new Rng(5000 + index);
  const created = await c.request({ type: 'create', game: 'tictactoe', bot: 'random' });
  const gameId = created.game?.gameId ?? '0'.repeat(32);
  await c.request({ type: 'play', gameId, move: 4 });
  const finished = await c.request({ type: 'create', game: 'tictactoe', bot: 'random' });
  await c.request({ type: 'resign', gameId: finished.game?.gameId });
  const garbage: (() => void)[] = [
    () => c.sendRaw('{"type": "play", "gameId": '),
    () => c.sendRaw('[1,2,3]'),
    () => c.sendRaw(JSON.stringify({ type: 'teleport' })),
    () => c.sendRaw(JSON.stringify({ type: 'play', gameId, move: 4 })), // occupied
    () => c.sendRaw(JSON.stringify({ type: 'play', gameId, move: 1e300 })),
    () => c.sendRaw(JSON.stringify({ type: 'play', gameId: finished.game?.gameId, move: 0 })),
    () => c.sendRaw(JSON.stringify({ type: 'create', game: 'chess', bot: 'random' })),
    () => c.sendRaw(JSON.stringify({ type: 'create', game: 'connect4', bot: 'uct:sims=99999999' })),
    () => c.sendRaw(JSON.stringify({ type: 'state', gameId: 'f'.repeat(32) })),
    () => c.sendRaw(JSON.stringify({ type: 'hello', pad: 'x'.repeat(8000) })),
    () => c.sendRaw(Buffer.from([0xde, 0xad, 0xbe, 0xef]), true),
  ];
  let sent = 0;
  while (performance.now() < deadline && c.closedWith === null) {
    garbage[rng.int(garbage.length)]!();
    sent++;
    await sleep(1000 / perSecond);
  }
  await sleep(200);
  for (const r of c.unmatched) if (r.type === 'error') errors.set(r.code ?? '?', (errors.get(r.code ?? '?') ?? 0) + 1);
  if (c.unmatched.length < sent * 0.9) errors.set('(no reply)', (errors.get('(no reply)') ?? 0) + sent - c.unmatched.length);
  c.ws.close();
}

/** Bursts far over the rate limit once a second: RATE_LIMITED, then a 1008 close. */
async function flooder(c: Client, deadline: number, errors: Map<string, number>): Promise<number | null> {
  while (performance.now() < deadline && c.closedWith === null) {
    for (let i = 0; i < 200; i++) c.sendRaw('{"type":"ping"}');
    await sleep(1000);
  }
  for (const r of c.unmatched) if (r.type === 'error') errors.set(r.code ?? '?', (errors.get(r.code ?? '?') ?? 0) + 1);
  const closed = c.closedWith;
  c.ws.close();
  return closed;
}

export const serverLoadSuite: BenchSuite = {
  name: 'server',
  async run(ctx: BenchContext): Promise<readonly BenchSection[]> {
    const players = ctx.quick ? 40 : 200;
    const vandals = ctx.quick ? 4 : 10;
    const seconds = ctx.quick ? 8 : 30;
    const { child, url, wsUrl } = await startServerProcess();
    const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
    try {
      const lat = new Latencies();
      const totals: Totals = { moves: 0, games: 0, playerErrors: new Map() };
      const garbageErrors = new Map<string, number>();
      const memory: { phase: string; h: Health }[] = [{ phase: 'idle', h: await health(url) }];
      ctx.log(`server bench: ${players} players + ${vandals} malformed-input clients + 1 flooder for ${seconds} s against ${url}`);
      // Everyone connects first (in waves of 20), then the clock starts for all at once.
      const c0 = performance.now();
      const clients: Client[] = [];
      for (let i = 0; i < players + vandals + 1; i += 20) {
        clients.push(...(await Promise.all(Array.from({ length: Math.min(20, players + vandals + 1 - i) }, () => Client.connect(wsUrl)))));
      }
      const connectMs = performance.now() - c0;
      ctx.log(`  ${clients.length} clients connected in ${(connectMs / 1000).toFixed(1)} s`);
      const t0 = performance.now();
      const deadline = t0 + seconds * 1000;
      const running: Promise<unknown>[] = [];
      for (let i = 0; i < players; i++) running.push(player(clients[i]!, i, deadline, lat, totals));
      for (let i = 0; i < vandals; i++) running.push(vandal(clients[players + i]!, i, deadline, 20, garbageErrors));
      const flood = flooder(clients[players + vandals]!, deadline, garbageErrors);
      await sleep(1000);
      memory.push({ phase: 'start (1 s)', h: await health(url) });
      const healthLat: number[] = [];
      let nextReport = performance.now() + 5000;
      let midTaken = false;
      while (performance.now() < deadline) {
        await sleep(250);
        const h0 = performance.now();
        const h = await health(url);
        healthLat.push(performance.now() - h0);
        if (!midTaken && performance.now() > t0 + (seconds * 1000) / 2) {
          memory.push({ phase: `middle (${Math.round(seconds / 2)} s)`, h });
          midTaken = true;
        }
        if (performance.now() > nextReport) {
          nextReport += 5000;
          const el = (performance.now() - t0) / 1000;
          ctx.log(`  ${el.toFixed(0)} s: ${totals.moves} moves (${Math.round(totals.moves / el)}/s), ${totals.games} games, ${h.connections} connections, ${h.games} games open, rss ${mb(h.memory.rssBytes)} MB`);
        }
      }
      memory.push({ phase: `end (${seconds} s)`, h: await health(url) });
      const load = loadavg()[0]!;
      await Promise.all(running);
      const floodClose = await flood;
      const elapsed = (performance.now() - t0) / 1000;
      await sleep(300);
      memory.push({ phase: 'after clients left', h: await health(url) });

      // Graceful stop: SIGTERM, sockets closed with 1001, exit code 0.
      const s0 = performance.now();
      child.kill('SIGTERM');
      const code = await exited;
      const stopMs = performance.now() - s0;

      const kinds = [...lat.byKind.keys()].sort();
      const allLat = kinds.flatMap((k) => lat.byKind.get(k)!).sort((a, b) => a - b);
      const latencyRows = [
        ...kinds.map((k) => {
          const xs = [...lat.byKind.get(k)!].sort((a, b) => a - b);
          return { request: k, count: xs.length, 'p50 ms': ms1(percentile(xs, 50)), 'p99 ms': ms1(percentile(xs, 99)), 'max ms': ms1(xs[xs.length - 1] ?? NaN) };
        }),
        { request: 'all player requests', count: allLat.length, 'p50 ms': ms1(percentile(allLat, 50)), 'p99 ms': ms1(percentile(allLat, 99)), 'max ms': ms1(allLat[allLat.length - 1] ?? NaN) },
      ];
      const hl = [...healthLat].sort((a, b) => a - b);
      latencyRows.push({ request: 'GET /health (during load)', count: hl.length, 'p50 ms': ms1(percentile(hl, 50)), 'p99 ms': ms1(percentile(hl, 99)), 'max ms': ms1(hl[hl.length - 1] ?? NaN) });

      const end = memory.find((m) => m.phase.startsWith('end'))!.h;
      const startH = memory.find((m) => m.phase === 'idle')!.h;
      const serverCpuS = (end.cpuMs - startH.cpuMs) / 1000;
      const ev = end.evaluators.map((e) => `${e.name}: ${e.states} states in ${e.calls} calls (largest batch ${e.largestBatch})`).join('; ');
      const mid = memory.find((m) => m.phase.startsWith('middle'))?.h;
      const heapGrowth = mid ? end.memory.heapUsedBytes / mid.memory.heapUsedBytes : NaN;
      return [
        {
          title: `Load: ${players} players (uct:sims=50 / random, tic-tac-toe and Connect Four) + ${vandals} malformed-input clients + 1 flooder, ${seconds} s`,
          rows: [
            { metric: 'moves/s (human plays + bot moves)', value: Math.round(totals.moves / elapsed) },
            { metric: 'moves per server CPU-second', value: Math.round(totals.moves / serverCpuS) },
            { metric: 'server CPU seconds (of wall seconds)', value: `${serverCpuS.toFixed(1)} of ${elapsed.toFixed(1)}` },
            { metric: 'moves', value: totals.moves },
            { metric: `time to connect ${players + vandals + 1} clients, s`, value: (connectMs / 1000).toFixed(1) },
            { metric: 'games completed', value: totals.games },
            { metric: 'player requests answered with an error', value: [...totals.playerErrors.values()].reduce((a, b) => a + b, 0) },
            { metric: 'flooder closed with code', value: floodClose === null ? 'not closed' : floodClose },
            { metric: 'server exit code after SIGTERM', value: code === null ? 'killed' : code },
            { metric: 'shutdown time ms', value: Math.round(stopMs) },
          ],
          notes: [
            `machine load average ${load.toFixed(1)} on ${availableCores()} cores during the run: wall-clock latencies include waiting for a CPU`,
            `shared evaluators: ${ev || 'none'}`, `event-loop delay at end: p50 ${end.eventLoopDelayMs.p50} ms, p99 ${end.eventLoopDelayMs.p99} ms, max ${end.eventLoopDelayMs.max} ms`],
        },
        { title: 'Reply latency (send to reply, loopback; bot_move includes thinking)', rows: latencyRows },
        {
          title: 'Errors by code',
          rows: [
            ...[...garbageErrors].sort((a, b) => b[1] - a[1]).map(([c, n]) => ({ source: 'malformed/flood clients', code: c, count: n })),
            ...[...totals.playerErrors].map(([c, n]) => ({ source: 'players', code: c, count: n })),
          ],
        },
        {
          title: 'Server memory (from /health of the server process)',
          rows: memory.map(({ phase, h }) => ({ phase, 'rss MB': mb(h.memory.rssBytes), 'heapUsed MB': mb(h.memory.heapUsedBytes), connections: h.connections, games: h.games, thinking: h.thinking })),
          notes: [
            `heapUsed end/middle: ${Number.isFinite(heapGrowth) ? heapGrowth.toFixed(2) : 'n/a'} (near 1 = stable under steady load)`,
            'games left after the clients: detached games are kept for detachedGameTtlMs (60 s) so a client can rejoin',
          ],
        },
      ];
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  },
};
