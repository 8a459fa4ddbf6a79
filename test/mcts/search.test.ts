import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EngineError, Rng } from '../../src/core/index.js';
import { Mcts } from '../../src/mcts/index.js';
import type { Evaluator, SearchResult, SearchTree } from '../../src/mcts/index.js';
import { arbGameTree, BANDIT_ROOT, banditEnv, banditEvaluator, leaf, minimax, node, treeEnv, treeEvaluator, treeRoot } from './envs.js';
import type { GameTree, TreeState } from './envs.js';

/**
 * Every expanded node's visits = 1 (its own evaluation) + its children's, except that a proven
 * node stops simulations (it backs up its exact value itself); nothing is left in flight.
 */
function checkVisitSums<A>(t: SearchTree<A>, id = 0): void {
  expect(t.inFlight(id)).toBe(0);
  const ch = t.children(id);
  if (ch.length === 0) return;
  let sum = 0;
  for (const c of ch) {
    sum += t.visits(c);
    checkVisitSums(t, c);
  }
  if (Number.isNaN(t.exact(id))) expect(t.visits(id)).toBe(sum + 1);
  else expect(t.visits(id)).toBeGreaterThanOrEqual(sum + 1);
}

const arbMeans = fc
  .array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 2, maxLength: 6 })
  .filter((ms) => {
    const s = [...ms].sort((a, b) => b - a);
    return s[0]! - s[1]! >= 0.15;
  });
const argmax = (xs: readonly number[]): number => xs.indexOf(Math.max(...xs));

describe('mcts: bandits (best arm known)', () => {
  it('one player: picks the best arm, visits add up', async () => {
    await fc.assert(
      fc.asyncProperty(arbMeans, fc.integer({ min: 0, max: 1000 }), async (means, seed) => {
        const m = new Mcts({ env: banditEnv(1), evaluator: banditEvaluator(means, 1), seed });
        const r = await m.search(BANDIT_ROOT, { simulations: 300 });
        expect(r.action).toBe(`arm${argmax(means)}`);
        expect(r.simulations).toBe(300);
        expect(m.view.visits(0)).toBe(300);
        expect(r.stats.reduce((a, s) => a + s.visits, 0)).toBe(299);
        checkVisitSums(m.view);
        const best = r.stats.find((s) => s.action === r.action)!;
        expect(best.q).toBeCloseTo(means[argmax(means)]!, 5);
      }),
      { numRuns: 25 },
    );
  });

  it('two players: negamax backup picks the arm best for the root mover', async () => {
    await fc.assert(
      fc.asyncProperty(arbMeans, fc.integer({ min: 0, max: 1000 }), fc.integer({ min: 1, max: 8 }), async (means, seed, batchSize) => {
        const centered = means.map((x) => x * 2 - 1);
        const m = new Mcts({ env: banditEnv(2), evaluator: banditEvaluator(centered, 2), seed, batchSize });
        const r = await m.search(BANDIT_ROOT, { simulations: 400 });
        expect(r.action).toBe(`arm${argmax(centered)}`);
        expect(m.view.visits(0)).toBe(400);
        checkVisitSums(m.view);
        for (const s of r.stats) if (s.visits > 0) expect(s.q).toBeCloseTo(centered[Number(String(s.action).slice(3))]!, 5);
        expect(r.value).toBeGreaterThan(Math.max(...centered) - 0.3);
      }),
      { numRuns: 20 },
    );
  });

  it('noisy arms: still the best arm with enough simulations', async () => {
    const means = [0.3, 0.7, 0.45, 0.5];
    for (let seed = 0; seed < 4; seed++) {
      const m = new Mcts({ env: banditEnv(1), evaluator: banditEvaluator(means, 1, 0.3, new Rng(seed)), seed, cPuct: 1 });
      const r = await m.search(BANDIT_ROOT, { simulations: 1000 });
      expect(r.action).toBe('arm1');
    }
  });

  it('policy is the visit distribution over stats order', async () => {
    const m = new Mcts({ env: banditEnv(1), evaluator: banditEvaluator([0.2, 0.8, 0.5], 1) });
    const r = await m.search(BANDIT_ROOT, { simulations: 200 });
    const total = r.stats.reduce((a, s) => a + s.visits, 0);
    r.stats.forEach((s, i) => expect(r.policy[i]).toBeCloseTo(s.visits / total, 6));
    expect(r.pv[0]).toBe(r.action);
    expect(r.pv.slice(1).every((a) => a === 'pull')).toBe(true);
  });
});

describe('mcts: the search contract', () => {
  it('never plays or visits an action the evaluator did not offer', async () => {
    await fc.assert(
      fc.asyncProperty(arbGameTree([-1, 0, 1]), fc.integer({ min: 1, max: 4 }), fc.integer({ min: 0, max: 99 }), async (tree, batchSize, seed) => {
        // treeEnv throws on an action it never offered; the search must stay inside.
        const ev = treeEvaluator({ value: (s) => ((s.path.length * 7 + 3) % 5) / 5 - 0.4 });
        const m = new Mcts({ env: treeEnv(2), evaluator: ev, seed, batchSize, temperature: 1 });
        const r = await m.search(treeRoot(tree), { simulations: 60 });
        expect(ev.seen.get('')).toContain(r.action);
        for (const s of r.stats) expect(ev.seen.get('')).toContain(s.action);
        checkVisitSums(m.view);
      }),
      { numRuns: 60 },
    );
  });

  it('is deterministic under a seed (noise, temperature, batches)', async () => {
    const run = async (seed: number): Promise<SearchResult<string>[]> => {
      const out: SearchResult<string>[] = [];
      const m = new Mcts({ env: banditEnv(2), evaluator: banditEvaluator([0.1, 0.2, 0.3, 0.25], 2, 0.5, new Rng(seed)), seed, dirichlet: { alpha: 0.3, epsilon: 0.25 }, temperature: 1, batchSize: 4 });
      for (let i = 0; i < 3; i++) out.push(await m.search(BANDIT_ROOT, { simulations: 150 }));
      return out;
    };
    const strip = (rs: SearchResult<string>[]): unknown => rs.map((r) => ({ ...r, policy: [...r.policy] }));
    expect(strip(await run(7))).toEqual(strip(await run(7)));
    const many = await Promise.all([1, 2, 3, 4, 5, 6].map(async (s) => JSON.stringify(strip(await run(s)))));
    expect(new Set(many).size).toBeGreaterThan(1);
  });

  it('counts simulations, with or without a root evaluation already done', async () => {
    const m = new Mcts({ env: banditEnv(1), evaluator: banditEvaluator([0.5, 0.6], 1) });
    expect((await m.search(BANDIT_ROOT, { simulations: 1 })).simulations).toBe(1);
    expect(m.view.visits(0)).toBe(1);
    // Same root again: the tree is kept and grows.
    expect((await m.search(BANDIT_ROOT, { simulations: 50 })).simulations).toBe(50);
    expect(m.view.visits(0)).toBe(51);
  });

  it('rejects bad budgets and a terminal root with clear errors', async () => {
    const m = new Mcts({ env: treeEnv(2), evaluator: treeEvaluator() });
    await expect(m.search(treeRoot(node(leaf(1))), { simulations: 0 })).rejects.toMatchObject({ code: 'BAD_ARGUMENT' });
    await expect(m.search(treeRoot(node(leaf(1))), {})).rejects.toMatchObject({ code: 'BAD_ARGUMENT' });
    await expect(m.search(treeRoot(leaf(1)), { simulations: 5 })).rejects.toMatchObject({ code: 'GAME_OVER' });
    expect(() => new Mcts({ env: treeEnv(2), evaluator: treeEvaluator(), batchSize: 0 })).toThrow(EngineError);
  });

  it('stops on an abort signal and on a time limit, with a move', async () => {
    const wide = node(...Array.from({ length: 3 }, () => node(...Array.from({ length: 3 }, () => node(leaf(0), leaf(1), leaf(-1))))));
    const ac = new AbortController();
    ac.abort();
    const m = new Mcts({ env: treeEnv(2), evaluator: treeEvaluator(), stopWhenProven: false });
    const r = await m.search(treeRoot(wide), { simulations: 1000, signal: ac.signal });
    expect(r.simulations).toBe(1); // the root evaluation, so that there is a move
    const r2 = await new Mcts({ env: treeEnv(2), evaluator: treeEvaluator({ async: true }) }).search(treeRoot(wide), { timeMs: 0 });
    expect(r2.simulations).toBeGreaterThanOrEqual(1);
    expect(['m0', 'm1', 'm2']).toContain(r2.action);
  });

  it('recovers from a failing evaluator (error propagates, tree is reset)', async () => {
    let fail = true;
    const inner = treeEvaluator();
    const ev: Evaluator<TreeState, string> = {
      evaluate: (states) => {
        if (fail && states.some((s) => s.path.length === 2)) throw new EngineError('INTERNAL', 'boom');
        return inner.evaluate(states);
      },
    };
    const t = node(node(node(leaf(1), leaf(0)), leaf(0)), leaf(-1));
    const m = new Mcts({ env: treeEnv(2), evaluator: ev });
    await expect(m.search(treeRoot(t), { simulations: 100 })).rejects.toThrow('boom');
    fail = false;
    const r = await m.search(treeRoot(t), { simulations: 100 });
    checkVisitSums(m.view);
    expect(r.proven).not.toBeNull();
  });
});

describe('mcts: lazy, failing and asynchronous transitions', () => {
  it('dead edges are pruned: stepped once, never chosen, absent from the stats', async () => {
    // m0 always fails; the rest is a small game.
    const env = treeEnv(2, { dead: (_s, a) => a === 'm0' });
    const t = node(leaf(1), node(leaf(-1), leaf(0), node(leaf(1), leaf(-1))), node(leaf(0), leaf(1)));
    const m = new Mcts({ env, evaluator: treeEvaluator(), stopWhenProven: false });
    const r = await m.search(treeRoot(t), { simulations: 200 });
    expect(r.action).not.toBe('m0');
    expect(r.stats.map((s) => s.action)).not.toContain('m0');
    for (const [id, n] of env.steps) if (id.endsWith('>m0')) expect(n).toBe(1);
    expect(m.view.isDead(m.view.children(0)[0]!)).toBe(true);
    checkVisitSums(m.view);
  });

  it('one player: a node whose edges all die is a proven failure', async () => {
    const env = treeEnv(1, { dead: (s, a) => s.path === '' || (s.path === '1' && a === 'm0') });
    const t = node(leaf(1), node(leaf(1)));
    const r = await new Mcts({ env, evaluator: treeEvaluator() }).search(treeRoot(t), { simulations: 50 });
    expect(r.proven).toBe('loss');
    expect(r.stats).toEqual([]);
    expect(r.value).toBe(0);
  });

  it('two players: the player who cannot act loses', async () => {
    // At '0' (player 1 to move) every edge dies: a win for the root mover through m0.
    const env = treeEnv(2, { dead: (s) => s.path === '0' });
    const t = node(node(leaf(1), leaf(1)), node(leaf(0), leaf(-1)));
    const r = await new Mcts({ env, evaluator: treeEvaluator() }).search(treeRoot(t), { simulations: 50 });
    expect(r.proven).toBe('win');
    expect(r.action).toBe('m0');
  });

  it('asynchronous steps and evaluations give the same search as synchronous ones', async () => {
    const value = (s: TreeState): number => ((s.path.length * 5 + s.path.split('1').length) % 7) / 7 - 0.4;
    const plain = (r: SearchResult<string>): unknown => ({ ...r, policy: [...r.policy] });
    await fc.assert(
      fc.asyncProperty(arbGameTree([-1, 0, 1], 3), fc.integer({ min: 1, max: 4 }), async (tree, batchSize) => {
        const sync = new Mcts({ env: treeEnv(2), evaluator: treeEvaluator({ value }), batchSize, seed: 3 });
        const a = await sync.search(treeRoot(tree), { simulations: 40 });
        // An asynchronous evaluator changes nothing, whatever the batch size.
        const asyncEval = new Mcts({ env: treeEnv(2), evaluator: treeEvaluator({ value, async: true }), batchSize, seed: 3 });
        expect(plain(await asyncEval.search(treeRoot(tree), { simulations: 40 }))).toEqual(plain(a));
        checkVisitSums(asyncEval.view);
        // Asynchronous steps resolve a round later (terminals are found after the batch is
        // gathered), so leaf by leaf they match the synchronous search at batch size 1.
        const asyncAll = new Mcts({ env: treeEnv(2, { async: true }), evaluator: treeEvaluator({ value, async: true }), batchSize, seed: 3 });
        const c = await asyncAll.search(treeRoot(tree), { simulations: 40 });
        checkVisitSums(asyncAll.view);
        if (batchSize === 1) expect(plain(c)).toEqual(plain(a));
        else if (a.proven !== null && c.proven !== null) expect(c.proven).toBe(a.proven);
      }),
      { numRuns: 15 },
    );
  });
});

describe('mcts: MCTS-Solver', () => {
  it('two players: proves the minimax value and plays an optimal move', async () => {
    await fc.assert(
      fc.asyncProperty(arbGameTree([-1, 0, 1]), fc.integer({ min: 0, max: 50 }), async (tree, seed) => {
        const env = treeEnv(2);
        const m = new Mcts({ env, evaluator: treeEvaluator(), seed });
        const r = await m.search(treeRoot(tree), { simulations: 3000 });
        const v = minimax(tree, 2);
        expect(r.proven).toBe(v > 0 ? 'win' : v < 0 ? 'loss' : 'draw');
        expect(r.value).toBe(v);
        const children = (tree as Extract<GameTree, { kind: 'node' }>).children;
        const chosen = children[Number(r.action.slice(1))]!;
        expect(-minimax(chosen, 2, 1)).toBe(v);
      }),
      { numRuns: 80 },
    );
  });

  it('one player: proves success iff some path reaches reward 1', async () => {
    await fc.assert(
      fc.asyncProperty(arbGameTree([0, 1]), async (tree) => {
        const r = await new Mcts({ env: treeEnv(1), evaluator: treeEvaluator({ value: () => 0.5 }) }).search(treeRoot(tree), { simulations: 3000 });
        const v = minimax(tree, 1);
        expect(r.proven).toBe(v === 1 ? 'win' : 'loss');
        if (v === 1) {
          // The principal variation is a proof: it leads to a reward-1 leaf.
          let t: GameTree = tree;
          for (const a of r.pv) t = (t as Extract<GameTree, { kind: 'node' }>).children[Number(a.slice(1))]!;
          expect(t).toEqual(leaf(1));
        }
      }),
      { numRuns: 60 },
    );
  });

  it('plays a proven win (temperature does not override it) and keeps it', async () => {
    // m0 looks good to the evaluator but is a draw; m1 wins only after a forced line.
    const t = node(node(leaf(0), leaf(0)), node(node(leaf(1)), node(leaf(1))), leaf(-1));
    const ev = treeEvaluator({ value: (s) => (s.path === '0' ? -1 : 0) });
    const m = new Mcts({ env: treeEnv(2), evaluator: ev, cPuct: 0.1, stopWhenProven: false });
    let state = treeRoot(t);
    const r = await m.search(state, { simulations: 400, temperature: 1 });
    expect(r.proven).toBe('win');
    expect(r.action).toBe('m1');
    expect(r.stats.find((s) => s.action === 'm1')!.proven).toBe('win');
    expect(r.stats.find((s) => s.action === 'm2')!.proven).toBe('loss');
    // Keep playing the tree: the win is kept at every move of ours.
    state = { node: (t as Extract<GameTree, { kind: 'node' }>).children[1]!, depth: 1, path: '1' };
    m.advance('m1');
    const opp = await m.search(state, { simulations: 50 });
    expect(opp.proven).toBe('loss');
  });

  it('avoids a proven loss when another move is still open', async () => {
    const t = node(leaf(-1), node(node(leaf(1), leaf(-1)), node(leaf(0), leaf(-1))), leaf(-1));
    const r = await new Mcts({ env: treeEnv(2), evaluator: treeEvaluator() }).search(treeRoot(t), { simulations: 3 });
    expect(r.action).toBe('m1');
  });
});

describe('mcts: root noise, temperature, tree reuse, transpositions', () => {
  it('Dirichlet noise changes the priors at the root only', async () => {
    const t = node(node(leaf(0), leaf(1), leaf(0)), node(leaf(0), leaf(0), leaf(1)), node(leaf(1), leaf(1), leaf(0)));
    const m = new Mcts({ env: treeEnv(2), evaluator: treeEvaluator(), dirichlet: { alpha: 0.3, epsilon: 0.25 }, seed: 5, stopWhenProven: false });
    const r = await m.search(treeRoot(t), { simulations: 30 });
    const v = m.view;
    const rootPriors = v.children(0).map((c) => v.prior(c));
    expect(rootPriors.some((p) => Math.abs(p - 1 / 3) > 1e-3)).toBe(true);
    expect(rootPriors.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
    for (const c of v.children(0)) for (const g of v.children(c)) expect(v.prior(g)).toBeCloseTo(1 / 3, 6);
    // The reported priors are the evaluator's.
    for (const s of r.stats) expect(s.prior).toBeCloseTo(1 / 3, 6);
    // Without noise the tree keeps the raw priors.
    const plain = new Mcts({ env: treeEnv(2), evaluator: treeEvaluator(), stopWhenProven: false });
    await plain.search(treeRoot(t), { simulations: 30 });
    for (const c of plain.view.children(0)) expect(plain.view.prior(c)).toBeCloseTo(1 / 3, 6);
  });

  it('a search with noise: false uses the raw root priors, and the next noisy search mixes fresh noise in', async () => {
    const t = node(node(leaf(0), leaf(1), leaf(0)), node(leaf(0), leaf(0), leaf(1)), node(leaf(1), leaf(1), leaf(0)));
    const m = new Mcts({ env: treeEnv(2), evaluator: treeEvaluator(), dirichlet: { alpha: 0.3, epsilon: 0.25 }, seed: 5, stopWhenProven: false });
    const root = treeRoot(t);
    const priors = (): number[] => m.view.children(0).map((c) => m.view.prior(c));
    await m.search(root, { simulations: 20 });
    const noisy = priors();
    expect(noisy.some((p) => Math.abs(p - 1 / 3) > 1e-3)).toBe(true);
    await m.search(root, { simulations: 20, noise: false }); // same root: the tree is reused
    for (const p of priors()) expect(p).toBeCloseTo(1 / 3, 6);
    await m.search(root, { simulations: 20 });
    expect(priors().some((p) => Math.abs(p - 1 / 3) > 1e-3)).toBe(true);
  });

  it('temperature samples among visited moves; temperature 0 takes the most visited', async () => {
    const means = [0.5, 0.55, 0.6, 0.52];
    const picks = new Set<string>();
    for (let seed = 0; seed < 30; seed++) {
      const m = new Mcts({ env: banditEnv(1), evaluator: banditEvaluator(means, 1), seed, temperature: 1, cPuct: 3 });
      const r = await m.search(BANDIT_ROOT, { simulations: 60 });
      expect(r.stats.find((s) => s.action === r.action)!.visits).toBeGreaterThan(0);
      picks.add(r.action);
    }
    expect(picks.size).toBeGreaterThan(1);
    const m = new Mcts({ env: banditEnv(1), evaluator: banditEvaluator(means, 1), temperature: (ply) => (ply < 1 ? 1 : 0) });
    m.advance('arm0'); // ply 1: temperature 0 from now on (the tree is dropped: no search yet)
    const r = await m.search(BANDIT_ROOT, { simulations: 60 });
    const most = Math.max(...r.stats.map((s) => s.visits));
    expect(r.stats.find((s) => s.action === r.action)!.visits).toBe(most);
  });

  it('tree reuse: advance keeps the subtree and its visits', async () => {
    const t = node(node(node(leaf(1), leaf(0)), node(leaf(-1), leaf(0))), node(node(leaf(0), leaf(1)), node(leaf(0), leaf(-1))));
    const m = new Mcts({ env: treeEnv(2), evaluator: treeEvaluator({ value: (s) => (s.path.length % 3) / 3 }), stopWhenProven: false });
    const r = await m.search(treeRoot(t), { simulations: 40 });
    const before = m.view;
    const c = before.children(0).find((id) => before.action(id) === r.action)!;
    const visits = before.visits(c);
    const grand = before.children(c).map((g) => before.visits(g));
    m.advance(r.action);
    expect(m.view.visits(0)).toBe(visits);
    expect(m.view.children(0).map((g) => m.view.visits(g))).toEqual(grand);
    const i = Number(r.action.slice(1));
    const next = { node: (t as Extract<GameTree, { kind: 'node' }>).children[i]!, depth: 1, path: String(i) };
    const r2 = await m.search(next, { simulations: 10 });
    expect(r2.simulations).toBe(10);
    expect(m.view.visits(0)).toBe(visits + 10);
    checkVisitSums(m.view);
    // An action outside the tree drops it.
    m.advance('m9');
    expect(m.nodeCount).toBe(0);
  });

  it('transpositions share evaluations by key and keep the results', async () => {
    // Pick a, b, c in any order; all three picked is a win. {a,b} is reached as a-b and b-a.
    type S = string; // the sorted picks
    const env = {
      numPlayers: 1 as const,
      node: (s: S) => (s.length === 3 ? { kind: 'terminal' as const, returns: [1] } : { kind: 'decision' as const, player: 0 }),
      step: (s: S, x: string) => ({ kind: 'ok' as const, state: [...s, x].sort().join('') }),
      key: (s: S) => s,
    };
    const count = async (transpositions: boolean): Promise<Map<string, number>> => {
      const seen = new Map<string, number>();
      const evaluator = {
        evaluate: (states: readonly S[]) =>
          states.map((s) => {
            seen.set(s, (seen.get(s) ?? 0) + 1);
            const acts = ['a', 'b', 'c'].filter((x) => !s.includes(x));
            return { actions: acts, priors: new Float32Array(acts.length).fill(1 / acts.length), value: 0.5 };
          }),
      };
      const m = new Mcts({ env, evaluator, transpositions, solver: false });
      const r = await m.search('', { simulations: 60 });
      expect(r.value).toBeGreaterThan(0.5);
      checkVisitSums(m.view);
      return seen;
    };
    const shared = await count(true);
    expect(shared.size).toBe(7); // every non-terminal state
    expect(Math.max(...shared.values())).toBe(1);
    const unshared = await count(false);
    expect(Math.max(...unshared.values())).toBeGreaterThan(1);
    expect(() => new Mcts({ env: { ...env, key: undefined }, evaluator: treeEvaluator() as never, transpositions: true })).toThrow(/needs env.key/);
  });

  it('transpositions on a bigger DAG: equal states in one batch are evaluated once', async () => {
    // States are sets of picked numbers from 0..3; order does not matter.
    const env = {
      numPlayers: 1 as const,
      node: (s: number) => (s === 15 ? { kind: 'terminal' as const, returns: [1] } : { kind: 'decision' as const, player: 0 }),
      step: (s: number, x: number) => ({ kind: 'ok' as const, state: s | (1 << x) }),
      key: (s: number) => s,
    };
    const seen = new Map<number, number>();
    const evaluator = {
      evaluate: (states: readonly number[]) =>
        states.map((s) => {
          seen.set(s, (seen.get(s) ?? 0) + 1);
          const acts = [0, 1, 2, 3].filter((x) => !(s & (1 << x)));
          return { actions: acts, priors: new Float32Array(acts.length).fill(1 / acts.length), value: 0.3 };
        }),
    };
    const m = new Mcts({ env, evaluator, transpositions: true, batchSize: 8, stopWhenProven: false });
    const r = await m.search(0, { simulations: 200 });
    expect(Math.max(...seen.values())).toBe(1);
    expect(r.proven).toBe('win');
    checkVisitSums(m.view);
  });
});
