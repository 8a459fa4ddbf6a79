// The pool under random interleavings (fast-check model-based commands) of requests that succeed,
// hang, crash, crash once, or answer garbage, from several clients, with processes killed from
// outside: every request settles exactly once with the outcome its kind allows, no request runs
// more than twice, at most `workers` processes live at any time, and none survives close().
// Plus deterministic checks of fairness, backpressure, recycling and affinity.
import { mkdtempSync, readFileSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { isEngineError } from '../../src/core/index.js';
import { LeanPool, type LeanPoolOptions, type ReplResponse } from '../../src/lean/index.js';
import { fakeRepl, pidAlive, waitUntil } from './helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'arbor-lean-pool-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let logN = 0;
function makePool(opts: Partial<LeanPoolOptions>, spawned: number[]): { pool: LeanPool; log: string } {
  const log = join(dir, `log-${logN++}.txt`);
  const pool = new LeanPool({
    ...fakeRepl('--log', log),
    env: { ...process.env, FAKE_REPL_DIR: dir },
    header: 'import Mathlib',
    requestTimeoutMs: 30_000,
    onSpawn: (pid) => spawned.push(pid),
    ...opts,
  });
  return { pool, log };
}

/** How many times the stand-ins received each request (by its cmd text). */
function executions(log: string): Map<string, number> {
  const m = new Map<string, number>();
  if (!existsSync(log)) return m;
  for (const line of readFileSync(log, 'utf8').split('\n')) {
    if (line === '') continue;
    const req = JSON.parse(line.slice(line.indexOf(' ') + 1)) as { cmd?: string };
    if (req.cmd === undefined || req.cmd.startsWith('import')) continue;
    m.set(req.cmd, (m.get(req.cmd) ?? 0) + 1);
  }
  return m;
}

const echoed = (r: ReplResponse): string | undefined => (r.kind === 'command' ? r.messages?.[0]?.data : undefined);

type Kind = 'ok' | 'hang' | 'crash' | 'crashOnce' | 'garbage' | 'badSchema';
interface Rec {
  readonly id: string;
  readonly kind: Kind;
  readonly cmd: string;
  readonly queueFull: boolean;
  killedWhilePending: boolean;
  outcome: { ok: true; value: string | undefined } | { ok: false; code: string } | undefined;
  settled: number;
  readonly done: Promise<void>;
}
interface Real {
  readonly pool: LeanPool;
  readonly recs: Rec[];
  readonly maxQueue: number;
  readonly workers: number;
  readonly onQueueFull: 'wait' | 'reject';
  n: number;
}
type Model = Record<string, never>;

const cmdFor = (kind: Kind, id: string): string =>
  ({ ok: `echo:${id}`, hang: `hang:${id}`, crash: `crash:${id}`, crashOnce: `crash-once:${id}`, garbage: `garbage:${id}`, badSchema: `bad-schema:${id}` })[kind];

class Submit implements fc.AsyncCommand<Model, Real> {
  constructor(readonly kind: Kind, readonly client: string) {}
  check(): boolean {
    return true;
  }
  async run(_m: Model, r: Real): Promise<void> {
    const id = `r${r.n++}-${Math.random().toString(36).slice(2, 8)}`;
    const cmd = cmdFor(this.kind, id);
    // The queue bound is observable synchronously: in reject mode a submission enqueues at once or
    // is refused; in wait mode it waits for room and then runs like any other.
    const queueFull = r.onQueueFull === 'reject' && r.pool.stats().queued >= r.maxQueue;
    const rec: Rec = { id, kind: this.kind, cmd, queueFull, killedWhilePending: false, outcome: undefined, settled: 0, done: Promise.resolve() };
    const p = r.pool.request({ kind: 'command', cmd }, { client: this.client, timeoutMs: this.kind === 'hang' ? 150 : 30_000 });
    (rec as { done: Promise<void> }).done = p.then(
      (v) => {
        rec.settled++;
        rec.outcome = { ok: true, value: echoed(v) };
      },
      (e: unknown) => {
        rec.settled++;
        rec.outcome = { ok: false, code: isEngineError(e) ? e.code : String(e) };
      },
    );
    r.recs.push(rec);
    expect(r.pool.livePids().length).toBeLessThanOrEqual(r.workers);
  }
  toString(): string {
    return `submit(${this.kind}, ${this.client})`;
  }
}

class KillOne implements fc.AsyncCommand<Model, Real> {
  constructor(readonly which: number) {}
  check(): boolean {
    return true;
  }
  async run(_m: Model, r: Real): Promise<void> {
    const pids = r.pool.livePids();
    if (pids.length === 0) return;
    for (const rec of r.recs) if (rec.outcome === undefined) rec.killedWhilePending = true;
    try {
      process.kill(pids[this.which % pids.length]!, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  toString(): string {
    return `kill(${this.which})`;
  }
}

class Pause implements fc.AsyncCommand<Model, Real> {
  constructor(readonly ms: number) {}
  check(): boolean {
    return true;
  }
  async run(_m: Model, r: Real): Promise<void> {
    await new Promise((res) => setTimeout(res, this.ms));
    expect(r.pool.livePids().length).toBeLessThanOrEqual(r.workers);
  }
  toString(): string {
    return `pause(${this.ms})`;
  }
}

const kinds: Kind[] = ['ok', 'ok', 'ok', 'hang', 'crash', 'crashOnce', 'garbage', 'badSchema'];
const commandArb = fc.commands(
  [
    fc.tuple(fc.constantFrom(...kinds), fc.constantFrom('a', 'b', 'c')).map(([k, c]) => new Submit(k, c)),
    fc.nat(3).map((i) => new KillOne(i)),
    fc.constantFrom(0, 5, 40).map((ms) => new Pause(ms)),
  ],
  { maxCommands: 12 },
);

function allowed(rec: Rec): string[] {
  if (rec.queueFull) return ['LEAN_QUEUE_FULL'];
  const base: Record<Kind, string[]> = {
    ok: ['ok'],
    hang: ['LEAN_TIMEOUT'],
    crash: ['LEAN_PROCESS'],
    crashOnce: ['ok'],
    garbage: ['LEAN_PROTOCOL'],
    badSchema: ['LEAN_PROTOCOL'],
  };
  const a = base[rec.kind];
  // A process killed from outside takes down whatever ran on it (retried once, then reported).
  return rec.killedWhilePending ? [...a, 'LEAN_PROCESS'] : a;
}

describe('LeanPool model-based', () => {
  it('every request gets exactly one allowed answer, runs at most twice, and no process leaks', async () => {
    await fc.assert(
      fc.asyncProperty(commandArb, fc.constantFrom<'wait' | 'reject'>('wait', 'reject'), fc.constantFrom(1, 2), async (cmds, onQueueFull, workers) => {
        const spawned: number[] = [];
        const maxQueue = 3;
        const { pool, log } = makePool({ workers, maxQueue, onQueueFull, recycleAfterRequests: 4 }, spawned);
        const real: Real = { pool, recs: [], maxQueue, workers, onQueueFull, n: 0 };
        try {
          await fc.asyncModelRun(() => ({ model: {}, real }), cmds);
          // Nothing may hang: all settle (hangs time out after 150 ms; a guard catches a stuck pool).
          let guard: NodeJS.Timeout | undefined;
          await Promise.race([
            Promise.all(real.recs.map((r) => r.done)),
            new Promise((_, rej) => {
              guard = setTimeout(() => rej(new Error(`unsettled: ${real.recs.filter((r) => r.settled === 0).map((r) => r.cmd).join(', ')}`)), 45_000);
            }),
          ]);
          clearTimeout(guard);
          const runs = executions(log);
          for (const rec of real.recs) {
            expect(rec.settled, rec.cmd).toBe(1);
            const got = rec.outcome!.ok ? 'ok' : rec.outcome!.code;
            expect(allowed(rec), `${rec.cmd}: got ${got}`).toContain(got);
            const out = rec.outcome!;
            if (out.ok) expect(out.value).toBe(rec.id);
            const n = runs.get(rec.cmd) ?? 0;
            expect(n, `${rec.cmd} ran ${n} times`).toBeLessThanOrEqual(2);
            if (rec.queueFull) expect(n).toBe(0);
            if (rec.kind === 'crash' && !rec.queueFull && !rec.killedWhilePending) expect(n, `${rec.cmd} retried once`).toBe(2);
          }
        } finally {
          await pool.close();
        }
        for (const pid of spawned) expect(pidAlive(pid), `pid ${pid} leaked`).toBe(false);
      }),
      { numRuns: 10, endOnFailure: true },
    );
  });
});

describe('LeanPool deterministic', () => {
  const spawned: number[] = [];
  afterAll(() => {
    for (const pid of spawned) expect(pidAlive(pid), `pid ${pid} leaked`).toBe(false);
  });

  it('fair: FIFO within a client, round-robin between clients', async () => {
    const { pool } = makePool({ workers: 1 }, spawned);
    try {
      await pool.warmup();
      const order: string[] = [];
      const blocker = pool.request({ kind: 'command', cmd: 'sleep:300:block' }, { client: 'z' });
      const jobs = [
        ['a', 'a1'],
        ['a', 'a2'],
        ['a', 'a3'],
        ['b', 'b1'],
        ['c', 'c1'],
        ['b', 'b2'],
      ].map(([client, id]) => pool.request({ kind: 'command', cmd: `echo:${id}` }, { client }).then((r) => order.push(echoed(r)!)));
      await Promise.all([blocker, ...jobs]);
      expect(order).toEqual(['a1', 'b1', 'c1', 'a2', 'b2', 'a3']);
    } finally {
      await pool.close();
    }
  });

  it('backpressure: reject mode refuses past maxQueue; wait mode admits in order', async () => {
    const { pool } = makePool({ workers: 1, maxQueue: 2, onQueueFull: 'reject' }, spawned);
    try {
      await pool.warmup();
      const blocker = pool.request({ kind: 'command', cmd: 'sleep:200:block' });
      const a = pool.request({ kind: 'command', cmd: 'echo:a' });
      const b = pool.request({ kind: 'command', cmd: 'echo:b' });
      await expect(pool.request({ kind: 'command', cmd: 'echo:c' })).rejects.toMatchObject({ code: 'LEAN_QUEUE_FULL' });
      expect((await Promise.all([blocker, a, b])).map(echoed)).toEqual(['block', 'a', 'b']);
    } finally {
      await pool.close();
    }
    const w = makePool({ workers: 1, maxQueue: 1, onQueueFull: 'wait' }, spawned);
    try {
      await w.pool.warmup();
      const order: string[] = [];
      const all = ['x', 'y', 'z', 'v'].map((id) => w.pool.request({ kind: 'command', cmd: `echo:${id}` }).then((r) => order.push(echoed(r)!)));
      expect(w.pool.stats().queued).toBeLessThanOrEqual(1);
      await Promise.all(all);
      expect(order).toEqual(['x', 'y', 'z', 'v']);
    } finally {
      await w.pool.close();
    }
  });

  it('recycles a process after N requests and re-runs the header on the new one', async () => {
    const { pool, log } = makePool({ workers: 1, recycleAfterRequests: 3 }, spawned);
    try {
      for (let i = 0; i < 7; i++) expect(echoed(await pool.request({ kind: 'command', cmd: `echo:${i}` }))).toBe(String(i));
      expect(pool.stats()).toMatchObject({ spawned: 3, recycled: 2 });
      const headers = readFileSync(log, 'utf8').split('\n').filter((l) => l.includes('import Mathlib'));
      expect(headers.length).toBe(3);
    } finally {
      await pool.close();
    }
  });

  it('recycles a process whose memory (group RSS) exceeds the cap', async () => {
    // Any real process is above 1 MB resident, so every job ends with a recycle (each new process is checked after its first job).
    const { pool } = makePool({ workers: 1, maxRssBytes: 1024 * 1024 }, spawned);
    try {
      expect(echoed(await pool.request({ kind: 'command', cmd: 'echo:1' }))).toBe('1');
      expect(echoed(await pool.request({ kind: 'command', cmd: 'echo:2' }))).toBe('2');
      expect(pool.stats()).toMatchObject({ spawned: 2, recycled: 2 });
    } finally {
      await pool.close();
    }
  });

  it('affinity: a job runs on the process generation it asks for while that one lives', async () => {
    const { pool } = makePool({ workers: 2 }, spawned);
    try {
      await pool.warmup();
      const gens = new Set<number>();
      const first = await pool.run(async (s) => s.generation);
      for (let i = 0; i < 6; i++) gens.add(await pool.run(async (s) => s.generation, { affinity: first }));
      expect([...gens]).toEqual([first]);
    } finally {
      await pool.close();
    }
  });

  it('close() rejects queued work, kills busy processes, and leaves nothing running', async () => {
    const { pool } = makePool({ workers: 2 }, spawned);
    await pool.warmup();
    const pids = pool.livePids();
    const busy = pool.request({ kind: 'command', cmd: 'hang' });
    const busy2 = pool.request({ kind: 'command', cmd: 'hang' });
    const queued = pool.request({ kind: 'command', cmd: 'echo:late' });
    const outcomes = Promise.allSettled([busy, busy2, queued]);
    await pool.close();
    for (const o of await outcomes) {
      expect(o.status).toBe('rejected');
      if (o.status === 'rejected') expect(o.reason).toMatchObject({ code: 'LEAN_PROCESS' });
    }
    await expect(pool.request({ kind: 'command', cmd: 'echo:after' })).rejects.toThrow(/closed/);
    await waitUntil(() => pids.every((p) => !pidAlive(p)), 'pool processes to exit');
  });
});
