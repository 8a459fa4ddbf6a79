import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { Rng, isEngineError } from '../core/index.js';
import { BatchingEvaluator, rolloutEvaluator } from './engine.js';
import type { Action, AnyGame, Evaluator } from './engine.js';
import { WireError } from './protocol.js';

type Shared = BatchingEvaluator<unknown, Action>;

/**
 * The evaluators every game on the server shares: one per (game, evaluator), so a hundred games
 * against the same bot make bigger batches, not a hundred copies (for a network, one model in
 * memory and one inference session; for rollouts, one rollout engine).
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
      ev = new BatchingEvaluator<unknown, Action>(rolloutEvaluator(game, this.rng.fork()));
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
    const net: Evaluator<unknown, Action> = new policy.NetworkEvaluator<unknown>({
      encode: (s) => game.observationTensor(s),
      legalActions: (s) => game.legalActions(s),
      net: engine,
    });
    return new BatchingEvaluator<unknown, Action>(net, { maxBatch: 64 });
  }

  /** Each shared evaluator with its batching figures, for /health. */
  stats(): { name: string; calls: number; states: number; largestBatch: number }[] {
    return [...this.byKey].map(([name, ev]) => ({ name, ...ev.stats }));
  }
}
