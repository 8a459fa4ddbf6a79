import { EngineError } from '../core/index.js';
import type { Evaluator, Expansion } from './types.js';

export interface BatchingOptions {
  /** Largest batch handed to the inner evaluator (default 64). */
  readonly maxBatch?: number;
}

/** One search's handle on a shared `BatchingEvaluator`. Close it when the search is done for good. */
export interface BatchClient<S, A> extends Evaluator<S, A> {
  evaluate(states: readonly S[]): Promise<readonly Expansion<A>[]>;
  close(): void;
}

export interface BatchingStats {
  /** Calls made to the inner evaluator. */
  readonly calls: number;
  /** States evaluated. */
  readonly states: number;
  readonly largestBatch: number;
}

interface Request<S, A> {
  readonly states: readonly S[];
  readonly client: Client | null;
  readonly resolve: (r: readonly Expansion<A>[]) => void;
  readonly reject: (e: unknown) => void;
}

interface Client {
  outstanding: number;
  closed: boolean;
}

/**
 * Merges the `evaluate` calls of several concurrent searches (many games at once, as KataGo's
 * nneval) into batched calls of one inner evaluator, so a network sees real batches.
 *
 * Each search takes a `client()`. Queued states are flushed when the queue reaches `maxBatch`,
 * when every open client is waiting for an answer (nothing more can come), or at the latest on
 * the next macrotask tick (setImmediate), so unregistered callers and idle clients never stall.
 * Requests are never split across inner calls; one larger than `maxBatch` goes alone.
 */
export class BatchingEvaluator<S, A> implements Evaluator<S, A> {
  private readonly maxBatch: number;
  private queue: Request<S, A>[] = [];
  private queued = 0;
  private open = 0;
  private waiting = 0;
  private timer: ReturnType<typeof setImmediate> | null = null;
  private calls = 0;
  private evaluated = 0;
  private largest = 0;

  constructor(
    private readonly inner: Evaluator<S, A>,
    options: BatchingOptions = {},
  ) {
    const m = options.maxBatch ?? 64;
    if (!Number.isInteger(m) || m < 1) throw new EngineError('BAD_CONFIG', `BatchingEvaluator: maxBatch must be an integer >= 1, got ${String(m)}`);
    this.maxBatch = m;
  }

  get stats(): BatchingStats {
    return { calls: this.calls, states: this.evaluated, largestBatch: this.largest };
  }

  /** Registers a search: its evaluate calls count toward "every client is waiting". */
  client(): BatchClient<S, A> {
    const c: Client = { outstanding: 0, closed: false };
    this.open++;
    return {
      evaluate: (states) => {
        if (c.closed) return Promise.reject(new EngineError('BAD_ARGUMENT', 'BatchingEvaluator: evaluate() on a closed client'));
        return this.enqueue(states, c);
      },
      close: () => {
        if (c.closed) return;
        c.closed = true;
        this.open--;
        if (c.outstanding > 0) this.waiting--;
        this.maybeFlush();
      },
    };
  }

  /** Evaluates without registering (flushed by batch size or on the next tick). */
  evaluate(states: readonly S[]): Promise<readonly Expansion<A>[]> {
    return this.enqueue(states, null);
  }

  /** Sends everything queued to the inner evaluator now. */
  flush(): void {
    if (this.timer !== null) {
      clearImmediate(this.timer);
      this.timer = null;
    }
    while (this.queue.length > 0) {
      // Take whole requests up to maxBatch states (at least one request).
      let n = 0;
      let k = 0;
      while (k < this.queue.length && (k === 0 || n + this.queue[k]!.states.length <= this.maxBatch)) {
        n += this.queue[k]!.states.length;
        k++;
      }
      const batch = this.queue.splice(0, k);
      this.queued -= n;
      this.dispatch(batch, n);
    }
  }

  private enqueue(states: readonly S[], client: Client | null): Promise<readonly Expansion<A>[]> {
    return new Promise((resolve, reject) => {
      if (states.length === 0) return resolve([]);
      this.queue.push({ states, client, resolve, reject });
      this.queued += states.length;
      if (client !== null && client.outstanding++ === 0) this.waiting++;
      this.maybeFlush();
      if (this.queue.length > 0 && this.timer === null) {
        this.timer = setImmediate(() => {
          this.timer = null;
          this.flush();
        });
      }
    });
  }

  private maybeFlush(): void {
    if (this.queue.length === 0) return;
    if (this.queued >= this.maxBatch || (this.open > 0 && this.waiting >= this.open)) this.flush();
  }

  private dispatch(batch: Request<S, A>[], n: number): void {
    const states: S[] = new Array<S>(n);
    let j = 0;
    for (const r of batch) for (const s of r.states) states[j++] = s;
    this.calls++;
    this.evaluated += n;
    if (n > this.largest) this.largest = n;
    const settle = (out: readonly Expansion<A>[] | null, error: unknown): void => {
      if (out !== null && (!Array.isArray(out) || out.length !== n)) {
        error = new EngineError('BAD_ARGUMENT', `BatchingEvaluator: inner evaluator returned ${Array.isArray(out) ? out.length : typeof out} expansions for ${n} states`);
        out = null;
      }
      let at = 0;
      for (const r of batch) {
        const c = r.client;
        if (c !== null && !c.closed && --c.outstanding === 0) this.waiting--;
        if (out !== null) r.resolve(out.slice(at, at + r.states.length));
        else r.reject(error);
        at += r.states.length;
      }
    };
    let res: readonly Expansion<A>[] | Promise<readonly Expansion<A>[]>;
    try {
      res = this.inner.evaluate(states);
    } catch (e) {
      settle(null, e);
      return;
    }
    if (Array.isArray(res)) settle(res as readonly Expansion<A>[], null);
    else
      (res as Promise<readonly Expansion<A>[]>).then(
        (out) => settle(out, null),
        (e: unknown) => settle(null, e),
      );
  }
}
