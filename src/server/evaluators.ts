import { Rng } from '../core/index.js';
import { BatchingEvaluator, rolloutEvaluator } from './engine.js';
import type { Action, AnyGame } from './engine.js';

/**
 * The evaluators every game on the server shares: one per (game, evaluator kind), so a hundred
 * games against the same bot make bigger batches, not a hundred copies (for a network, one model
 * in memory; for rollouts, one rollout engine).
 */
export class SharedEvaluators {
  private readonly byGame = new Map<string, BatchingEvaluator<unknown, Action>>();
  private readonly rng: Rng;

  constructor(seed: number) {
    this.rng = new Rng(seed);
  }

  rollouts(game: AnyGame): BatchingEvaluator<unknown, Action> {
    const key = `rollout:${game.info.name}`;
    let ev = this.byGame.get(key);
    if (!ev) {
      ev = new BatchingEvaluator<unknown, Action>(rolloutEvaluator(game, this.rng.fork()));
      this.byGame.set(key, ev);
    }
    return ev;
  }

  /** Each shared evaluator with its batching figures, for /health. */
  stats(): { name: string; calls: number; states: number; largestBatch: number }[] {
    return [...this.byGame].map(([name, ev]) => ({ name, ...ev.stats }));
  }
}
