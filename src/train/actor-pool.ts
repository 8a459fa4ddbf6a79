import { Worker } from 'node:worker_threads';
import { EngineError } from '../core/index.js';
import type { ActorMessage, ActorRequest } from './actor-protocol.js';
import type { TrainConfig } from './config.js';
import type { Sample } from './replay-buffer.js';
import { compiledModule } from './worker-path.js';

export interface FinishedGame {
  readonly samples: Sample[];
  readonly result: number;
  readonly moves: number;
}

/** Self-play actors in worker threads, one per core, kept alive across generations. */
export class ActorPool {
  private readonly workers: Worker[] = [];
  private readonly busy = new Set<Promise<unknown>>();
  private closed = false;

  constructor(
    readonly size: number,
    private readonly observationSize: number,
    private readonly numActions: number,
  ) {
    const file = compiledModule('train/actor-worker.js');
    for (let i = 0; i < size; i++) this.workers.push(new Worker(file));
  }

  /**
   * Plays `games` games split over the workers. `onGame` sees them in a fixed order, whatever the
   * timing: round robin over the workers, each worker's games in the order it finished them (its
   * own order is deterministic), so a run's replay buffer and training do not depend on which
   * thread was faster. A game that finished ahead of its turn waits (at most what one worker
   * runs ahead of another), and like a game in flight is lost if the process is killed.
   */
  async play(o: {
    game: string;
    checkpoint: string;
    games: number;
    seed: number;
    config: TrainConfig['selfPlay'];
    onGame: (g: FinishedGame) => void;
  }): Promise<{ games: number; positions: number }> {
    if (this.closed) throw new EngineError('INTERNAL', 'actor pool is closed');
    const share = (i: number): number => Math.floor(o.games / this.size) + (i < o.games % this.size ? 1 : 0);
    const waiting: FinishedGame[][] = this.workers.map(() => []);
    const delivered: number[] = this.workers.map(() => 0);
    // Games each worker will send: its share, or fewer once it stopped early.
    const expected: number[] = this.workers.map((_, i) => share(i));
    let turn = 0;
    // Delivers games while the worker whose turn it is has one ready; workers with all their
    // games delivered lose their turn.
    const flush = (): void => {
      for (let skipped = 0; skipped < this.size; ) {
        if (delivered[turn]! >= expected[turn]!) {
          turn = (turn + 1) % this.size;
          skipped++;
          continue;
        }
        const g = waiting[turn]!.shift();
        if (g === undefined) return;
        delivered[turn]!++;
        turn = (turn + 1) % this.size;
        skipped = 0;
        o.onGame(g);
      }
    };
    // A failed worker ends the generation: what finished is saved, in whatever order.
    const drain = (): void => {
      for (const q of waiting) for (let g = q.shift(); g !== undefined; g = q.shift()) o.onGame(g);
    };
    const runs = this.workers.map(
      (w, i) =>
        new Promise<{ games: number; positions: number }>((resolve, reject) => {
          const n = share(i);
          if (n === 0) return resolve({ games: 0, positions: 0 });
          const onMessage = (m: ActorMessage): void => {
            if (m.type === 'game') {
              waiting[i]!.push(this.unpack(m));
              flush();
            } else if (m.type === 'done') {
              cleanup();
              expected[i] = m.games;
              flush();
              resolve({ games: m.games, positions: m.positions });
            } else {
              cleanup();
              drain();
              reject(new EngineError('INTERNAL', `self-play actor ${i} failed: ${m.message}`));
            }
          };
          const onError = (e: Error): void => {
            cleanup();
            drain();
            reject(new EngineError('INTERNAL', `self-play actor ${i} crashed: ${e.message}`, { cause: e }));
          };
          const onExit = (code: number): void => {
            cleanup();
            drain();
            reject(new EngineError('INTERNAL', `self-play actor ${i} exited with code ${code}`));
          };
          const cleanup = (): void => {
            w.off('message', onMessage);
            w.off('error', onError);
            w.off('exit', onExit);
          };
          w.on('message', onMessage);
          w.on('error', onError);
          w.on('exit', onExit);
          const req: ActorRequest = { type: 'play', game: o.game, checkpoint: o.checkpoint, games: n, seed: o.seed * 1000 + i, config: o.config };
          w.postMessage(req);
        }),
    );
    for (const r of runs) {
      const settled = r.then(
        () => undefined,
        () => undefined,
      );
      this.busy.add(settled);
      void settled.then(() => this.busy.delete(settled));
    }
    const done = await Promise.all(runs);
    return { games: done.reduce((a, d) => a + d.games, 0), positions: done.reduce((a, d) => a + d.positions, 0) };
  }

  private unpack(m: Extract<ActorMessage, { type: 'game' }>): FinishedGame {
    const os = this.observationSize;
    const na = this.numActions;
    const per = os + na + 1;
    const samples: Sample[] = [];
    for (let i = 0; i < m.count; i++) {
      const o = i * per;
      samples.push({ observation: m.packed.subarray(o, o + os), policy: m.packed.subarray(o + os, o + os + na), value: m.packed[o + os + na]! });
    }
    return { samples, result: m.result, moves: m.moves };
  }

  /**
   * Stops the actors: busy ones are told to stop before their next move (the games in flight are
   * dropped) and are terminated once idle. Terminating a worker in the middle of an ONNX Runtime
   * call aborts the whole process, so that is only the last resort after a grace period.
   */
  async close(graceMs = 20_000): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.busy.size > 0) {
      const stop: ActorRequest = { type: 'stop' };
      for (const w of this.workers) w.postMessage(stop);
      let timer: ReturnType<typeof setTimeout> | undefined;
      await Promise.race([Promise.all([...this.busy]), new Promise((r) => (timer = setTimeout(r, graceMs)))]);
      clearTimeout(timer);
    }
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}
