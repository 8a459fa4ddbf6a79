import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { Rng, isEngineError } from '../core/index.js';
import { BatchingEvaluator, rolloutEvaluator } from './engine.js';
import type { Action, AnyGame, Evaluator, Expansion } from './engine.js';
import { WireError } from './protocol.js';

/** One search's handle on a shared evaluator (a BatchingEvaluator client fits). */
export interface SearchClient {
  evaluate(states: readonly unknown[]): readonly Expansion<Action>[] | Promise<readonly Expansion<Action>[]>;
  close(): void;
}

/** An evaluator shared by every game that uses it. */
export interface SharedEvaluator {
  client(): SearchClient;
  readonly stats: { readonly calls: number; readonly states: number; readonly largestBatch: number };
}

/**
 * Rollouts shared without batching: a playout is pure CPU per state, so merging calls buys
 * nothing and a promise per leaf cost 2-4x the CPU of the search itself (measured). Answers
 * synchronously; the bot's SlicedEvaluator still yields to the event loop every few ms.
 */
class DirectShared implements SharedEvaluator {
  private calls = 0;
  private states = 0;
  private largest = 0;

  constructor(private readonly inner: Evaluator<unknown, Action>) {}

  get stats(): SharedEvaluator['stats'] {
    return { calls: this.calls, states: this.states, largestBatch: this.largest };
  }

  client(): SearchClient {
    return {
      evaluate: (states) => {
        this.calls++;
        this.states += states.length;
        if (states.length > this.largest) this.largest = states.length;
        return this.inner.evaluate(states);
      },
      close: () => {},
    };
  }
}

type Shared = SharedEvaluator;

/**
 * The evaluators every game on the server shares: one per (game, evaluator). A network is loaded
 * once and sits behind one BatchingEvaluator, so a hundred games against it make bigger batches,
 * not a hundred copies; rollouts share one rollout engine, called directly (see DirectShared).
 */
export class SharedEvaluators {
  private readonly byKey = new Map<string, Shared>();
  private readonly loading = new Map<string, Promise<Shared>>();
  private readonly rng: Rng;

  constructor(seed: number) {
    this.rng = new Rng(seed);
  }

  rollouts(game: AnyGame): Shared {
    const key = `rollout:${game.info.name}`;
    let ev = this.byKey.get(key);
    if (!ev) {
      ev = new DirectShared(rolloutEvaluator(game, this.rng.fork()));
      this.byKey.set(key, ev);
    }
    return ev;
  }

  /**
   * The network evaluator for checkpoint `modelsDir/name` on `game`, loaded once (ONNX Runtime,
   * else tfjs) and shared by every game using it. Throws WireError BAD_BOT_SPEC when the model is
   * missing or does not fit the game.
   */
  network(game: AnyGame, name: string, modelsDir: string): Promise<Shared> {
    const key = `net:${game.info.name}:${name}`;
    const ready = this.byKey.get(key);
    if (ready) return Promise.resolve(ready);
    let p = this.loading.get(key);
    if (!p) {
      p = this.load(game, name, join(modelsDir, name)).then(
        (ev) => {
          this.byKey.set(key, ev);
          this.loading.delete(key);
          return ev;
        },
        (e: unknown) => {
          this.loading.delete(key); // a later request may try again (the file may appear)
          throw e;
        },
      );
      this.loading.set(key, p);
    }
    return p;
  }

  private async load(game: AnyGame, name: string, dir: string): Promise<Shared> {
    try {
      await fs.stat(join(dir, 'manifest.json'));
    } catch {
      throw new WireError('BAD_BOT_SPEC', `no model "${name}" in this server's models directory (expected a checkpoint folder with manifest.json)`);
    }
    // Loaded on first use only: a server that never sees an az bot never pays for tfjs.
    const policy = await import('../policy/index.js');
    await policy.initBackend({ log: null });
    let engine;
    try {
      ({ engine } = await policy.loadInferenceEngine(dir, {
        expect: { observationShape: game.info.observationShape, numActions: game.info.numDistinctActions },
      }));
    } catch (e) {
      if (isEngineError(e)) throw new WireError('BAD_BOT_SPEC', `model "${name}" cannot play ${game.info.name}: ${e.message.replace(dir, name)}`);
      throw e;
    }
    // The same leaf evaluation as `arbor play` (network value mixed with a random playout).
    const { azEvaluator } = await import('../train/index.js');
    const net: Evaluator<unknown, Action> = azEvaluator(game, engine, { seed: this.rng.nextU32() });
    return new BatchingEvaluator<unknown, Action>(net, { maxBatch: 64 });
  }

  /** Each shared evaluator with its batching figures, for /health. */
  stats(): { name: string; calls: number; states: number; largestBatch: number }[] {
    return [...this.byKey].map(([name, ev]) => ({ name, ...ev.stats }));
  }
}
