/**
 * Proving one theorem: start it in a proof environment, search (MCTS or best-first over the same
 * generator), and re-verify the script found from scratch. `verified: true` comes only from the
 * environment's `verify` verdict, never from "no goals left" alone.
 */
import { EngineError } from '../../core/index.js';
import { Mcts } from '../../mcts/index.js';
import type { ProofEnvironment, ProofState, TheoremSource } from '../environment.js';
import { type Candidate, type GeneratorOptions, TacticGenerator } from './generator.js';
import { GeneratorEvaluator, newCounters, proofSearchEnvironment, type SearchCounters } from './search-env.js';

export type SearchKind = 'mcts' | 'best-first';

export interface ProveOptions {
  readonly search?: SearchKind;
  /** Expansion budget (states evaluated by the generator). Default 2000. */
  readonly budget?: number;
  /** Wall-clock budget in ms. Default 60 000. */
  readonly timeMs?: number;
  /** Forbid classical axioms (search never tries them; verification rejects them). */
  readonly intuitionistic?: boolean;
  readonly generator?: Partial<GeneratorOptions>;
  readonly seed?: number;
  /** Stops the search early. */
  readonly signal?: AbortSignal;
}

export type ProofStatus = 'proved' | 'failed' | 'unsupported' | 'error';

export interface ProofReport {
  readonly name: string;
  readonly status: ProofStatus;
  /** The tactic script, one tactic per line (multi-line tactics keep their own lines). */
  readonly proof: string | null;
  readonly script: readonly string[] | null;
  readonly axioms: readonly string[];
  readonly verified: boolean;
  readonly expansions: number;
  readonly ms: number;
  /** Tactic applications sent to the environment. */
  readonly tactics: number;
  readonly search: SearchKind;
  /** Why it failed, was unsupported or errored. */
  readonly message?: string;
}

/** Axioms that do not give excluded middle (Lean's `propext` and `Quot.sound`). */
export const INTUITIONISTIC_ALLOWED: readonly string[] = ['propext', 'Quot.sound'];

export async function proveTheorem(env: ProofEnvironment, theorem: TheoremSource, opts: ProveOptions = {}): Promise<ProofReport> {
  const t0 = performance.now();
  const search: SearchKind = opts.search ?? 'mcts';
  const base = { name: theorem.name, search };
  const ms = (): number => Math.round(performance.now() - t0);
  const started = await env.start(theorem);
  if (started.kind !== 'ok') {
    const where = started.kind === 'unsupported' && started.line !== undefined ? ` (line ${started.line}, column ${started.column ?? 0})` : '';
    return {
      ...base,
      status: started.kind === 'unsupported' ? 'unsupported' : 'error',
      proof: null,
      script: null,
      axioms: [],
      verified: false,
      expansions: 0,
      ms: ms(),
      tactics: 0,
      message: `${started.message}${where}`,
    };
  }
  const counters = newCounters();
  // The root's solver call may use half the time: on propositional problems it is the search.
  const timeMs = opts.timeMs ?? 60_000;
  const gen = new TacticGenerator({
    intuitionistic: opts.intuitionistic ?? false,
    firstSolverMs: Math.max(2000, timeMs / 2),
    firstSolverNodes: 5_000_000,
    ...opts.generator,
  });
  const allowed = opts.intuitionistic ? { allowedAxioms: INTUITIONISTIC_ALLOWED } : undefined;
  // Fast path: when the root's best candidate is the propositional solver's complete script,
  // hand it straight to `verify` (which replays it from scratch anyway) instead of replaying it
  // twice. Counted as one expansion; if the verifier rejects it, the search runs as usual.
  const root = started.state;
  if (root.goals.length === 1) {
    counters.expansions++;
    const g = gen.generate(root);
    const best = g.candidates.find((c) => c.rule === 'prop' || c.rule === 'prop-classical');
    if (best !== undefined) {
      const t1 = performance.now();
      const v = await env.verify(theorem, best.tactics, allowed);
      counters.envMs += performance.now() - t1;
      counters.tactics += best.tactics.length;
      if (v.kind === 'verified') {
        return { ...base, status: 'proved', proof: scriptText(best.tactics), script: best.tactics, axioms: v.axioms, verified: true, expansions: counters.expansions, ms: ms(), tactics: counters.tactics };
      }
    }
    if (g.refuted) {
      return { ...base, status: 'failed', proof: null, script: null, axioms: [], verified: false, expansions: counters.expansions, ms: ms(), tactics: counters.tactics, message: 'refuted: the goal is a propositional non-theorem (complete solver)' };
    }
  }
  // The search gets what is left of the time (the root's solver call may have used half).
  const rest = { ...opts, timeMs: Math.max(0, timeMs - (performance.now() - t0)) };
  const found = search === 'mcts' ? await mctsSearch(env, started.state, gen, counters, rest) : await bestFirstSearch(env, started.state, gen, counters, rest);
  if (found === null) {
    return { ...base, status: 'failed', proof: null, script: null, axioms: [], verified: false, expansions: counters.expansions, ms: ms(), tactics: counters.tactics, message: 'no proof found within the budget' };
  }
  const script = found.script;
  const verdict = await env.verify(theorem, script, allowed);
  if (verdict.kind !== 'verified') {
    // The search's steps were accepted but the from-scratch check was not: never a proof.
    return {
      ...base,
      status: 'failed',
      proof: scriptText(script),
      script,
      axioms: [],
      verified: false,
      expansions: counters.expansions,
      ms: ms(),
      tactics: counters.tactics,
      message: `verification rejected the script: ${verdict.reason}`,
    };
  }
  return { ...base, status: 'proved', proof: scriptText(script), script, axioms: verdict.axioms, verified: true, expansions: counters.expansions, ms: ms(), tactics: counters.tactics };
}

/** One tactic per line; a multi-line tactic keeps its lines. */
export function scriptText(script: readonly string[]): string {
  return script.join('\n');
}

async function mctsSearch(
  env: ProofEnvironment,
  root: ProofState,
  gen: TacticGenerator,
  counters: SearchCounters,
  opts: ProveOptions,
): Promise<ProofState | null> {
  if (root.goals.length === 0) return root;
  const senv = proofSearchEnvironment(env, counters, performance.now() + (opts.timeMs ?? 60_000));
  const abort = new AbortController();
  senv.onSolved = () => abort.abort();
  opts.signal?.addEventListener('abort', () => abort.abort(), { once: true });
  const mcts = new Mcts<ProofState, Candidate>({
    env: senv,
    evaluator: new GeneratorEvaluator(gen, counters),
    transpositions: true,
    solver: true,
    stopWhenProven: true,
    // Priors from templates are rough: explore a little more than AlphaZero's default.
    cPuct: 1.5,
    fpu: { kind: 'reduction', value: 0.2 },
    seed: opts.seed ?? 1,
  });
  const budget = opts.budget ?? 2000;
  const deadline = performance.now() + (opts.timeMs ?? 60_000);
  // Simulations that end at a proven or terminal node do not expand anything: bound them too.
  let sims = 0;
  while (senv.solved === null && counters.expansions < budget && !abort.signal.aborted) {
    const timeMs = deadline - performance.now();
    if (timeMs <= 0) break;
    const before = counters.expansions;
    const left = budget - counters.expansions;
    let r;
    try {
      r = await mcts.search(root, { simulations: Math.max(1, Math.min(left, 256)), timeMs, signal: abort.signal });
    } catch (e) {
      // No candidate at the root (e.g. a goal the complete propositional solver refuted).
      if (e instanceof EngineError && e.code === 'GAME_OVER') break;
      throw e;
    }
    sims += r.simulations;
    if (r.proven !== null) break; // proven (found) or refuted (every branch dead)
    if (counters.expansions === before) break; // nothing left to expand
    if (sims > 50 * budget) break;
  }
  return senv.solved;
}

interface Edge {
  readonly from: ProofState;
  readonly cand: Candidate;
  /** Priority: cumulative -log(prior) of the path, plus the parent's -log(value). */
  readonly cost: number;
  readonly depthCost: number;
}

/** A binary min-heap on `cost`. */
class Heap {
  private readonly a: Edge[] = [];
  get size(): number {
    return this.a.length;
  }
  push(e: Edge): void {
    const a = this.a;
    a.push(e);
    let i = a.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (a[p]!.cost <= a[i]!.cost) break;
      [a[p], a[i]] = [a[i]!, a[p]!];
      i = p;
    }
  }
  pop(): Edge | undefined {
    const a = this.a;
    if (a.length === 0) return undefined;
    const top = a[0]!;
    const last = a.pop()!;
    if (a.length > 0) {
      a[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < a.length && a[l]!.cost < a[m]!.cost) m = l;
        if (r < a.length && a[r]!.cost < a[m]!.cost) m = r;
        if (m === i) break;
        [a[m], a[i]] = [a[i]!, a[m]!];
        i = m;
      }
    }
    return top;
  }
}

/**
 * The baseline: best-first over the same generator. Edges are tried lazily in order of the
 * path's cumulative -log prior plus the parent's -log value; a state seen before is skipped.
 */
export async function bestFirstSearch(
  env: ProofEnvironment,
  root: ProofState,
  gen: TacticGenerator,
  counters: SearchCounters,
  opts: ProveOptions,
): Promise<ProofState | null> {
  if (root.goals.length === 0) return root;
  const senv = proofSearchEnvironment(env, counters, performance.now() + (opts.timeMs ?? 60_000));
  const budget = opts.budget ?? 2000;
  const deadline = performance.now() + (opts.timeMs ?? 60_000);
  const seen = new Set<string>([root.key]);
  const heap = new Heap();
  const evaluator = new GeneratorEvaluator(gen, counters);
  const expand = (s: ProofState, depthCost: number): void => {
    const [exp] = evaluator.evaluate([s]);
    const value = exp!.value;
    exp!.actions.forEach((cand, i) => {
      const p = Math.max(exp!.priors[i]!, 1e-6);
      const dc = depthCost - Math.log(p);
      heap.push({ from: s, cand, cost: dc - Math.log(Math.max(value, 1e-6)), depthCost: dc });
    });
  };
  expand(root, 0);
  while (heap.size > 0 && counters.expansions < budget) {
    if (opts.signal?.aborted || performance.now() > deadline) break;
    const e = heap.pop()!;
    const r = await senv.step(e.from, e.cand);
    if (r.kind === 'dead') continue;
    const s = r.state;
    if (s.goals.length === 0) return s;
    if (seen.has(s.key)) continue;
    seen.add(s.key);
    expand(s, e.depthCost);
  }
  return senv.solved;
}
