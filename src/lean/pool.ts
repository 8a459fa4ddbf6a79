/**
 * A pool of Lean REPL processes. Work is submitted as *jobs*: a function that gets exclusive use of
 * one process (a `ReplSession`) for a sequence of requests, since env/proofState numbers only mean
 * something inside the process that made them. The pool gives:
 * - a bounded queue (backpressure: reject at once, or wait for room),
 * - fair scheduling: FIFO per client, round-robin between clients,
 * - affinity: a job can ask for the process incarnation (`generation`) that holds its states,
 * - faults: a process that crashes mid-job is replaced and the job retried once on the fresh one;
 *   timeouts kill the process (restarted, header re-run, on next use); recycling after N requests
 *   or when its memory grows past a cap,
 * - clean shutdown: `close()` kills every process group; see process-groups.ts for exit/signals.
 */
import { EngineError } from '../core/index.js';
import { LeanProcessError } from './errors.js';
import { processGroupRssBytes } from './process-groups.js';
import type { ReplRequest, ResponseFor } from './protocol.js';
import { ReplProcess, type ReplProcessOptions, type RequestOptions } from './repl-process.js';

export interface LeanPoolOptions extends ReplProcessOptions {
  /** Number of REPL processes (default 1). */
  readonly workers?: number;
  /** Most jobs waiting in the queue (default 1024). */
  readonly maxQueue?: number;
  /** When the queue is full: `wait` for room (default) or `reject` with LEAN_QUEUE_FULL. */
  readonly onQueueFull?: 'wait' | 'reject';
  /** Restart a process after this many requests, to bound Lean's memory growth (default 2000). */
  readonly recycleAfterRequests?: number;
  /** Restart a process whose group's resident memory exceeds this (checked between jobs, Linux). */
  readonly maxRssBytes?: number;
  /** Observes every process spawned (tests use it to check that none leaks). */
  readonly onSpawn?: (pid: number) => void;
}

/** Exclusive use of one REPL process for the duration of a job. */
export interface ReplSession {
  readonly workerId: number;
  /** Identifies the process incarnation; states from another generation do not exist here. */
  readonly generation: number;
  /** Environment of the header in this process (undefined when there is no header). */
  readonly headerEnv: number | undefined;
  /** 0 on the first run of the job, 1 when retried after a crash. */
  readonly attempt: number;
  request<R extends ReplRequest>(req: R, opts?: RequestOptions): Promise<ResponseFor<R>>;
}

export interface JobOptions {
  /** Fairness key: jobs of one client run in order, clients take turns (default `default`). */
  readonly client?: string;
  /** Prefer (and wait for) the process of this generation while it is alive. */
  readonly affinity?: number;
}

export interface PoolStats {
  readonly workers: number;
  readonly spawned: number;
  readonly jobsDone: number;
  readonly jobsFailed: number;
  readonly retries: number;
  readonly recycled: number;
  readonly queued: number;
  readonly running: number;
}

interface Job {
  readonly run: (s: ReplSession) => Promise<unknown>;
  readonly resolve: (v: unknown) => void;
  readonly reject: (e: unknown) => void;
  readonly client: string;
  readonly affinity: number | undefined;
  attempt: number;
}

interface Worker {
  readonly id: number;
  proc: ReplProcess | undefined;
  generation: number;
  ready: boolean;
  busy: boolean;
  lastRssCheckMs: number;
}

export class LeanPool {
  private readonly opts: LeanPoolOptions;
  private readonly workers: Worker[] = [];
  private readonly queues = new Map<string, Job[]>();
  /** Clients with queued jobs, in round-robin order. */
  private readonly turn: string[] = [];
  private cursor = 0;
  private queued = 0;
  private readonly waiters: (() => void)[] = [];
  private closed = false;
  private closing: Promise<void> | undefined;
  private nextGeneration = 1;
  private readonly counts = { spawned: 0, jobsDone: 0, jobsFailed: 0, retries: 0, recycled: 0 };

  constructor(opts: LeanPoolOptions) {
    this.opts = opts;
    const n = opts.workers ?? 1;
    if (!Number.isInteger(n) || n < 1) throw new EngineError('BAD_ARGUMENT', `LeanPool: workers must be a positive integer, got ${n}`);
    for (let id = 0; id < n; id++) this.workers.push({ id, proc: undefined, generation: 0, ready: false, busy: false, lastRssCheckMs: 0 });
  }

  get size(): number {
    return this.workers.length;
  }

  /** Starts every process now (in parallel) instead of on first use; rejects if one cannot start. */
  async warmup(): Promise<void> {
    await Promise.all(this.workers.map((w) => this.run(async () => undefined, { client: `warmup-${w.id}` })));
  }

  /** One request on any process (no affinity); the answer is validated. */
  request<R extends ReplRequest>(req: R, opts?: RequestOptions & JobOptions): Promise<ResponseFor<R>> {
    return this.run((s) => s.request(req, opts), opts);
  }

  /** Runs `job` with exclusive use of one process; settles exactly once. */
  run<T>(job: (s: ReplSession) => Promise<T>, opts?: JobOptions): Promise<T> {
    if (this.closed) return Promise.reject(closedError());
    const max = this.opts.maxQueue ?? 1024;
    return new Promise<T>((resolve, reject) => {
      const j: Job = {
        run: job,
        resolve: resolve as (v: unknown) => void,
        reject,
        client: opts?.client ?? 'default',
        affinity: opts?.affinity,
        attempt: 0,
      };
      if (this.queued < max) {
        this.enqueue(j, false);
        this.dispatch();
      } else if ((this.opts.onQueueFull ?? 'wait') === 'reject') {
        reject(new EngineError('LEAN_QUEUE_FULL', `Lean pool queue is full (${max} jobs waiting); try again later or raise maxQueue`));
      } else {
        this.waiters.push(() => {
          if (this.closed) reject(closedError());
          else this.enqueue(j, false);
        });
      }
    });
  }

  stats(): PoolStats {
    return { workers: this.workers.length, ...this.counts, queued: this.queued, running: this.workers.filter((w) => w.busy).length };
  }

  /** Pids of the processes currently alive (for tests and diagnostics). */
  livePids(): number[] {
    return this.workers.flatMap((w) => (w.proc !== undefined && w.proc.alive ? [w.proc.pid] : []));
  }

  /** Rejects queued jobs, kills every process group, and resolves when all have exited. */
  close(): Promise<void> {
    if (this.closing !== undefined) return this.closing;
    this.closed = true;
    for (const q of this.queues.values()) for (const j of q) j.reject(closedError());
    this.queues.clear();
    this.turn.length = 0;
    this.queued = 0;
    for (const admit of this.waiters.splice(0)) admit();
    const exits: Promise<void>[] = [];
    for (const w of this.workers) {
      const p = w.proc;
      if (p === undefined) continue;
      // Idle processes get end-of-input (a clean exit); busy or starting ones are killed at once.
      if (w.busy || !w.ready) p.kill('pool closed');
      exits.push(w.busy || !w.ready ? p.whenExited() : p.close(1000));
    }
    this.closing = Promise.all(exits).then(() => undefined);
    return this.closing;
  }

  // -------------------------------------------------------------------------------------------

  private enqueue(j: Job, front: boolean): void {
    let q = this.queues.get(j.client);
    if (q === undefined) {
      q = [];
      this.queues.set(j.client, q);
    }
    if (q.length === 0) this.turn.push(j.client);
    if (front) q.unshift(j);
    else q.push(j);
    this.queued++;
  }

  private liveGenerations(): Set<number> {
    const s = new Set<number>();
    for (const w of this.workers) if (w.proc !== undefined && w.proc.alive) s.add(w.generation);
    return s;
  }

  /** Next job for worker `w`: clients in turn, FIFO within a client, respecting live affinities. */
  private take(w: Worker, live: Set<number>): Job | undefined {
    const wGen = w.proc !== undefined && w.proc.alive ? w.generation : -1;
    for (let k = 0; k < this.turn.length; k++) {
      const idx = (this.cursor + k) % this.turn.length;
      const client = this.turn[idx]!;
      const q = this.queues.get(client)!;
      const at = q.findIndex((j) => j.affinity === undefined || j.affinity === wGen || !live.has(j.affinity));
      if (at < 0) continue;
      const [job] = q.splice(at, 1);
      this.queued--;
      if (q.length === 0) {
        this.queues.delete(client);
        this.turn.splice(idx, 1);
        this.cursor = this.turn.length === 0 ? 0 : idx % this.turn.length;
      } else {
        this.cursor = (idx + 1) % this.turn.length;
      }
      return job;
    }
    return undefined;
  }

  private dispatch(): void {
    if (this.closed) return;
    const max = this.opts.maxQueue ?? 1024;
    for (;;) {
      const live = this.liveGenerations();
      for (const w of this.workers) {
        if (w.busy || this.queued === 0) continue;
        const job = this.take(w, live);
        if (job === undefined) continue;
        w.busy = true;
        void this.execute(w, job);
      }
      // Room freed in the queue goes to callers waiting for it, in order; they may be runnable now.
      let admitted = false;
      while (this.waiters.length > 0 && this.queued < max) {
        this.waiters.shift()!();
        admitted = true;
      }
      if (!admitted || !this.workers.some((w) => !w.busy)) return;
    }
  }

  private async ensureProcess(w: Worker): Promise<ReplProcess> {
    if (w.proc !== undefined && w.proc.alive && w.ready) return w.proc;
    w.ready = false;
    w.generation = this.nextGeneration++;
    w.lastRssCheckMs = 0; // a new process is measured after its first job
    const proc = await ReplProcess.start(this.opts, (p) => {
      w.proc = p;
      this.counts.spawned++;
      if (p.pid > 0) this.opts.onSpawn?.(p.pid);
    });
    if (this.closed) {
      proc.kill('pool closed');
      throw closedError();
    }
    w.ready = true;
    return proc;
  }

  private async execute(w: Worker, job: Job): Promise<void> {
    let proc: ReplProcess | undefined;
    try {
      proc = await this.ensureProcess(w);
    } catch (e) {
      if (this.retry(job, e)) {
        this.release(w);
        return;
      }
      this.counts.jobsFailed++;
      job.reject(e);
      this.release(w);
      return;
    }
    let done = false;
    const session: ReplSession = {
      workerId: w.id,
      generation: w.generation,
      headerEnv: proc.headerEnv,
      attempt: job.attempt,
      request: <R extends ReplRequest>(req: R, ro?: RequestOptions) => {
        if (done) return Promise.reject(new EngineError('INTERNAL', 'ReplSession used after its job ended'));
        if (this.closed) return Promise.reject(closedError());
        return proc.request(req, ro);
      },
    };
    try {
      const value = await job.run(session);
      done = true;
      this.counts.jobsDone++;
      job.resolve(value);
    } catch (e) {
      done = true;
      if (!this.retry(job, e)) {
        this.counts.jobsFailed++;
        job.reject(e);
      }
    }
    this.maintain(w, proc);
    this.release(w);
  }

  /** The process died under the job (not by our timeout or kill): once more, on a fresh process. */
  private retry(job: Job, e: unknown): boolean {
    if (!(e instanceof LeanProcessError && e.retryable && job.attempt === 0 && !this.closed)) return false;
    job.attempt = 1;
    this.counts.retries++;
    this.enqueue(job, true);
    return true;
  }

  /** Recycles a process that served enough requests or grew too big (between jobs only). */
  private maintain(w: Worker, proc: ReplProcess): void {
    if (!proc.alive || this.closed) return;
    let recycle = proc.requestsServed >= (this.opts.recycleAfterRequests ?? 2000);
    const maxRss = this.opts.maxRssBytes;
    if (!recycle && maxRss !== undefined) {
      const now = Date.now();
      if (now - w.lastRssCheckMs >= 1000) {
        w.lastRssCheckMs = now;
        const rss = processGroupRssBytes(proc.pid);
        recycle = rss !== undefined && rss > maxRss;
      }
    }
    if (recycle) {
      this.counts.recycled++;
      w.ready = false;
      void proc.close(1000);
    }
  }

  private release(w: Worker): void {
    w.busy = false;
    this.dispatch();
  }
}

function closedError(): LeanProcessError {
  return new LeanProcessError('the Lean pool is closed', { phase: 'closed' });
}
