import { describe, expect, it } from 'vitest';
import { EngineError } from '../../src/core/index.js';
import { BatchingEvaluator, Mcts } from '../../src/mcts/index.js';
import type { Evaluator, Expansion, SearchResult } from '../../src/mcts/index.js';
import { arbGameTree, leaf, node, treeEnv, treeEvaluator, treeRoot } from './envs.js';
import type { GameTree, TreeState } from './envs.js';
import fc from 'fast-check';

const plain = (r: SearchResult<string>): unknown => ({ ...r, policy: [...r.policy] });
const value = (s: TreeState): number => ((s.path.length * 3 + s.path.split('0').length * 5) % 9) / 9 - 0.45;

/** An inner evaluator that records its batch sizes; optionally asynchronous. */
function recording(async: boolean): Evaluator<TreeState, string> & { batches: number[] } {
  const inner = treeEvaluator({ value });
  const ev = {
    batches: [] as number[],
    evaluate(states: readonly TreeState[]): readonly Expansion<string>[] | Promise<readonly Expansion<string>[]> {
      ev.batches.push(states.length);
      const out = inner.evaluate(states) as readonly Expansion<string>[];
      return async ? new Promise((r) => setTimeout(() => r(out), 1)) : out;
    },
  };
  return ev;
}

describe('BatchingEvaluator', () => {
  it('several concurrent searches share batches and get the results they would get alone', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(arbGameTree([-1, 0, 1], 4), { minLength: 2, maxLength: 5 }), fc.boolean(), fc.integer({ min: 1, max: 4 }), async (trees, async, batchSize) => {
        const alone: unknown[] = [];
        for (const [i, t] of trees.entries()) {
          const m = new Mcts({ env: treeEnv(2), evaluator: treeEvaluator({ value }), batchSize, seed: i });
          alone.push(plain(await m.search(treeRoot(t), { simulations: 50 })));
        }
        const inner = recording(async);
        const shared = new BatchingEvaluator(inner, { maxBatch: 64 });
        const clients = trees.map(() => shared.client());
        const together = await Promise.all(
          trees.map(async (t, i) => {
            const m = new Mcts({ env: treeEnv(2), evaluator: clients[i]!, batchSize, seed: i });
            const r = await m.search(treeRoot(t), { simulations: 50 });
            clients[i]!.close();
            return plain(r);
          }),
        );
        expect(together).toEqual(alone);
        const st = shared.stats;
        expect(st.states).toBe(inner.batches.reduce((a, b) => a + b, 0));
        expect(st.largestBatch).toBeGreaterThan(1); // the first round alone merges every root
        expect(st.calls).toBeLessThan(st.states);
      }),
      { numRuns: 20 },
    );
  });

  it('flushes at maxBatch, splits only between requests, and answers unregistered callers on the next tick', async () => {
    const inner = recording(false);
    const b = new BatchingEvaluator(inner, { maxBatch: 4 });
    const s = (p: string): TreeState => ({ node: node(leaf(0), leaf(1)), depth: p.length, path: p });
    const p1 = b.evaluate([s('a'), s('b'), s('c')]);
    expect(inner.batches).toEqual([]); // 3 < 4: waits for more
    const p2 = b.evaluate([s('d'), s('e')]); // 5 >= 4: flush, as [3] then [2]
    expect(inner.batches).toEqual([3, 2]);
    const [r1, r2] = await Promise.all([p1, p2]);
    expect(r1.length).toBe(3);
    expect(r2.length).toBe(2);
    const p3 = b.evaluate([s('f')]);
    expect(inner.batches).toEqual([3, 2]);
    expect((await p3).length).toBe(1); // flushed by the tick
    expect(inner.batches).toEqual([3, 2, 1]);
  });

  it('flushes as soon as every open client is waiting', async () => {
    const inner = recording(false);
    const b = new BatchingEvaluator(inner, { maxBatch: 100 });
    const c1 = b.client();
    const c2 = b.client();
    const s: TreeState = treeRoot(node(leaf(0)));
    const p1 = c1.evaluate([s]);
    expect(inner.batches).toEqual([]);
    const p2 = c2.evaluate([s, s]);
    expect(inner.batches).toEqual([3]); // both waiting: no need to wait for the tick
    await Promise.all([p1, p2]);
    c2.close();
    const p3 = c1.evaluate([s]); // c1 is the only open client now
    expect(inner.batches).toEqual([3, 1]);
    await p3;
    c1.close();
    await expect(c1.evaluate([s])).rejects.toBeInstanceOf(EngineError);
  });

  it('an inner failure rejects every request of the batch, and searches see it', async () => {
    const bad: Evaluator<TreeState, string> = {
      evaluate: () => Promise.reject(new EngineError('INTERNAL', 'network on fire')),
    };
    const b = new BatchingEvaluator(bad);
    const tree: GameTree = node(leaf(1), leaf(-1));
    const m1 = new Mcts({ env: treeEnv(2), evaluator: b.client() });
    const m2 = new Mcts({ env: treeEnv(2), evaluator: b.client() });
    const rs = await Promise.allSettled([m1.search(treeRoot(tree), { simulations: 5 }), m2.search(treeRoot(tree), { simulations: 5 })]);
    expect(rs.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    const wrong: Evaluator<TreeState, string> = { evaluate: () => [] };
    await expect(new BatchingEvaluator(wrong).evaluate([treeRoot(tree)])).rejects.toThrow(/returned 0 expansions for 1 states/);
    expect(() => new BatchingEvaluator(wrong, { maxBatch: 0 })).toThrow(EngineError);
  });
});
