/**
 * Tiny environments for the search core's tests (mctx-style bandits and synthetic game trees),
 * with exact references (best arm, minimax) to check the search against.
 */
import fc from 'fast-check';
import { Rng } from '../../src/core/index.js';
import type { Environment, Evaluator, Expansion, NodeKind, Step } from '../../src/mcts/index.js';

// --- bandits --------------------------------------------------------------------------------

/**
 * A bandit: the root offers one action per arm; an arm's state is a chain (one action, "pull",
 * leading deeper) whose evaluation is the arm's mean. With two players, the arm states belong
 * to player 1, whose value is the negated mean.
 */
export interface BanditState {
  readonly arm: number; // -1 at the root
  readonly depth: number;
}

export function banditEnv(numPlayers: 1 | 2): Environment<BanditState, string> {
  const decision = (p: number): NodeKind => ({ kind: 'decision', player: p });
  return {
    numPlayers,
    node: (s) => decision(numPlayers === 2 && s.arm >= 0 && s.depth % 2 === 1 ? 1 : 0),
    step: (s, a) => {
      if (s.arm < 0) {
        const arm = Number(a.slice(3));
        return { kind: 'ok', state: { arm, depth: 1 } };
      }
      if (a !== 'pull') throw new Error(`bandit: action ${a} was never offered at depth ${s.depth}`);
      return { kind: 'ok', state: { arm: s.arm, depth: s.depth + 1 } };
    },
    key: (s) => `${s.arm}/${s.depth}`,
  };
}

/** Evaluations of a bandit: values are the arm mean (+ optional noise), from the mover's view. */
export function banditEvaluator(means: readonly number[], numPlayers: 1 | 2, noise = 0, rng = new Rng(1)): Evaluator<BanditState, string> & { calls: number; states: number } {
  const rootActions = means.map((_, i) => `arm${i}`);
  const ev = {
    calls: 0,
    states: 0,
    evaluate(states: readonly BanditState[]): Expansion<string>[] {
      ev.calls++;
      ev.states += states.length;
      return states.map((s) => {
        if (s.arm < 0) return { actions: rootActions, priors: new Float32Array(means.length).fill(1 / means.length), value: 0 };
        let v = means[s.arm]! + (noise > 0 ? (rng.next() * 2 - 1) * noise : 0);
        if (numPlayers === 1) v = Math.min(1, Math.max(0, v));
        // Player 1 moves at odd depths: its view is the negation of player 0's.
        const mover = numPlayers === 2 && s.depth % 2 === 1 ? 1 : 0;
        return { actions: ['pull'], priors: new Float32Array([1]), value: mover === 1 ? -v : v };
      });
    },
  };
  return ev;
}

export const BANDIT_ROOT: BanditState = { arm: -1, depth: 0 };

// --- synthetic game trees -------------------------------------------------------------------

export type GameTree = { readonly kind: 'leaf'; readonly value: number } | { readonly kind: 'node'; readonly children: readonly GameTree[] };

/** A state is a path in the tree; player to move alternates (2 players) or is always 0. */
export interface TreeState {
  readonly node: GameTree;
  readonly depth: number;
  readonly path: string;
}

export function treeRoot(t: GameTree): TreeState {
  return { node: t, depth: 0, path: '' };
}

export function treeEnv(numPlayers: 1 | 2, opts: { dead?: (s: TreeState, a: string) => boolean; async?: boolean } = {}): Environment<TreeState, string> & { steps: Map<string, number> } {
  const steps = new Map<string, number>();
  const step = (s: TreeState, a: string): Step<TreeState> => {
    const id = `${s.path}>${a}`;
    steps.set(id, (steps.get(id) ?? 0) + 1);
    if (s.node.kind !== 'node') throw new Error(`tree env: step from a leaf at ${s.path}`);
    const i = Number(a.slice(1));
    const child = s.node.children[i];
    if (!a.startsWith('m') || child === undefined) throw new Error(`tree env: action ${a} was never offered at '${s.path}'`);
    if (opts.dead?.(s, a)) return { kind: 'dead', reason: `${a} fails at '${s.path}'` };
    return { kind: 'ok', state: { node: child, depth: s.depth + 1, path: s.path + i } };
  };
  return {
    numPlayers,
    steps,
    node: (s) => {
      if (s.node.kind === 'leaf') return { kind: 'terminal', returns: numPlayers === 2 ? [s.node.value, -s.node.value] : [s.node.value] };
      return { kind: 'decision', player: numPlayers === 2 ? s.depth % 2 : 0 };
    },
    step: opts.async ? (s, a) => Promise.resolve().then(() => step(s, a)) : step,
    key: (s) => s.path,
  };
}

/** Uniform priors, a fixed uninformative value (or a deterministic pseudo-random one). */
export function treeEvaluator(opts: { async?: boolean; value?: (s: TreeState) => number } = {}): Evaluator<TreeState, string> & { calls: number; states: number; seen: Map<string, readonly string[]> } {
  const seen = new Map<string, readonly string[]>();
  const one = (s: TreeState): Expansion<string> => {
    if (s.node.kind !== 'node') throw new Error(`tree evaluator: asked about terminal '${s.path}'`);
    const k = s.node.children.length;
    const actions = Array.from({ length: k }, (_, i) => `m${i}`);
    seen.set(s.path, actions);
    return { actions, priors: new Float32Array(k).fill(1 / k), value: opts.value?.(s) ?? 0 };
  };
  const ev = {
    calls: 0,
    states: 0,
    seen,
    evaluate(states: readonly TreeState[]) {
      ev.calls++;
      ev.states += states.length;
      const out = states.map(one);
      return opts.async ? new Promise<Expansion<string>[]>((r) => setTimeout(() => r(out), 0)) : out;
    },
  };
  return ev;
}

/** Exact value for the player to move (negamax) or the best reward (one player). */
export function minimax(t: GameTree, numPlayers: 1 | 2, depth = 0): number {
  if (t.kind === 'leaf') return numPlayers === 2 ? (depth % 2 === 0 ? t.value : -t.value) : t.value;
  let best = -Infinity;
  for (const c of t.children) {
    const v = minimax(c, numPlayers, depth + 1);
    best = Math.max(best, numPlayers === 2 ? -v : v);
  }
  return best;
}

/** Random game trees: branching 1-3, depth <= maxDepth, leaf values from `values`. */
export function arbGameTree(values: readonly number[], maxDepth = 4): fc.Arbitrary<GameTree> {
  const leaf = fc.constantFrom(...values).map((value): GameTree => ({ kind: 'leaf', value }));
  const tree = (d: number): fc.Arbitrary<GameTree> =>
    d === 0 ? leaf : fc.oneof({ weight: 1, arbitrary: leaf }, { weight: 3, arbitrary: fc.array(tree(d - 1), { minLength: 1, maxLength: 3 }).map((children): GameTree => ({ kind: 'node', children })) });
  return fc.array(tree(maxDepth - 1), { minLength: 2, maxLength: 3 }).map((children): GameTree => ({ kind: 'node', children }));
}

export const leaf = (value: number): GameTree => ({ kind: 'leaf', value });
export const node = (...children: GameTree[]): GameTree => ({ kind: 'node', children });
