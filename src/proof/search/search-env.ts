/**
 * A ProofEnvironment seen as a one-player search environment: states are proof states, actions
 * are tactic candidates (possibly macros), applying one is a verifier call that may fail (a dead
 * edge), a state without goals is terminal with reward 1, and states with the same goals (the
 * environment's `key`) are merged.
 */
import type { Environment, Evaluator, Expansion, NodeKind, Step } from '../../mcts/index.js';
import type { ProofEnvironment, ProofState } from '../environment.js';
import type { Candidate, TacticGenerator } from './generator.js';

export interface SearchCounters {
  /** Tactic applications sent to the environment. */
  tactics: number;
  /** Of which failed. */
  failed: number;
  /** States evaluated by the generator (the search's expansions). */
  expansions: number;
  /** Milliseconds spent inside the environment (tactic applications). */
  envMs: number;
}

export function newCounters(): SearchCounters {
  return { tactics: 0, failed: 0, expansions: 0, envMs: 0 };
}

export interface ProofSearchEnvironment extends Environment<ProofState, Candidate> {
  readonly counters: SearchCounters;
  /** The first finished state reached (its script is a complete proof), if any. */
  readonly solved: ProofState | null;
  /** Called once when a finished state is first reached. */
  onSolved?: (s: ProofState) => void;
}

const DECISION: NodeKind = { kind: 'decision', player: 0 };
const DONE: NodeKind = { kind: 'terminal', returns: [1] };

/**
 * `deadline` (a `performance.now()` time): past it, steps stop between tactics and end dead, so
 * one expansion that applies long candidate scripts to a huge goal cannot run far past the
 * search's time (the search reads its clock only between simulations).
 */
export function proofSearchEnvironment(env: ProofEnvironment, counters: SearchCounters = newCounters(), deadline = Infinity): ProofSearchEnvironment {
  const self: ProofSearchEnvironment & { solved: ProofState | null } = {
    numPlayers: 1,
    counters,
    solved: null,
    node(s: ProofState): NodeKind {
      return s.goals.length === 0 ? DONE : DECISION;
    },
    async step(s: ProofState, a: Candidate): Promise<Step<ProofState>> {
      let cur = s;
      for (const tactic of a.tactics) {
        if (performance.now() > deadline) return { kind: 'dead', reason: 'out of time' };
        counters.tactics++;
        const t0 = performance.now();
        const r = await env.tryTactic(cur, tactic);
        counters.envMs += performance.now() - t0;
        if (r.kind !== 'success') {
          counters.failed++;
          const why =
            r.kind === 'failure' ? (r.messages[0]?.text ?? 'failed') : r.kind === 'parseError' ? `parse error: ${r.message}` : `timeout after ${r.afterMs} ms`;
          return { kind: 'dead', reason: `${tactic.split('\n')[0]}: ${why}` };
        }
        cur = r.state;
        if (cur.goals.length === 0) break;
      }
      if (cur.goals.length === 0 && self.solved === null) {
        self.solved = cur;
        self.onSolved?.(cur);
      }
      return { kind: 'ok', state: cur };
    },
    key(s: ProofState): string {
      return s.key;
    },
  };
  return self;
}

/** The generator as a batched evaluator (priors normalised over each state's candidates). */
export class GeneratorEvaluator implements Evaluator<ProofState, Candidate> {
  constructor(
    private readonly gen: TacticGenerator,
    private readonly counters: SearchCounters,
  ) {}

  evaluate(states: readonly ProofState[]): readonly Expansion<Candidate>[] {
    return states.map((s) => {
      this.counters.expansions++;
      const g = this.gen.generate(s);
      const priors = new Float32Array(g.candidates.length);
      let sum = 0;
      for (const c of g.candidates) sum += c.score;
      g.candidates.forEach((c, i) => (priors[i] = sum > 0 ? c.score / sum : 1 / g.candidates.length));
      return { actions: g.candidates, priors, value: g.value };
    });
  }
}
