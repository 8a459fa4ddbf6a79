import { describe, expect, it } from 'vitest';
import {
  KernelEnvironment,
  fillProofs,
  newCounters,
  parseLeanFile,
  proofSearchEnvironment,
  proveTheorem,
  solveGoal,
  type ProofEnvironment,
  type ProofState,
  type ProofStateId,
  type TacticResult,
} from '../../src/proof/index.js';
import { parseExpr, printExpr } from '../../src/proof/search/lean-expr.js';
import { TacticGenerator } from '../../src/proof/search/generator.js';

const kernel = new KernelEnvironment();
const kernelI = new KernelEnvironment({ intuitionistic: true });

describe('lean-expr', () => {
  it.each([
    'p → q → p',
    '(p → q) → p',
    '¬(p ∧ q) ↔ ¬p ∨ ¬q',
    '∀ x : α, P x → ∃ y : α, R x y',
    '(∀ x : α, P x) → P a',
    'a + b * c = c * b + a',
    'Nat.succ n ≠ 0',
    '¬¬p',
  ])('reads and prints %s', (text) => {
    const e = parseExpr(text);
    expect(e).not.toBeNull();
    expect(parseExpr(printExpr(e!))).toEqual(e);
  });
  it('respects precedences', () => {
    expect(printExpr(parseExpr('p ∧ q ∨ r')!)).toBe('p ∧ q ∨ r');
    const e = parseExpr('p ∨ q ∧ r')!;
    expect(e.k === 'bin' && e.op).toBe('∨');
    expect(parseExpr('p → (q')).toBeNull();
  });
});

describe('propositional solver', () => {
  const P = [{ name: 'p', type: 'Prop' }, { name: 'q', type: 'Prop' }];
  it('proves intuitionistic tautologies without classical steps', () => {
    const r = solveGoal({ hyps: P, target: '((p → q) → p) → ¬¬p' }, { classical: false, maxNodes: 1000 });
    expect(r?.kind).toBe('proved');
  });
  it('refutes excluded middle intuitionistically, proves it classically', () => {
    expect(solveGoal({ hyps: P, target: 'p ∨ ¬p' }, { classical: false, maxNodes: 1000 })?.kind).toBe('refuted');
    const c = solveGoal({ hyps: P, target: 'p ∨ ¬p' }, { classical: true, maxNodes: 1000 });
    expect(c?.kind).toBe('proved');
    expect(c?.kind === 'proved' && c.classical).toBe(true);
  });
  it('refutes a classical non-tautology', () => {
    expect(solveGoal({ hyps: P, target: '(p → q) → q' }, { classical: true, maxNodes: 1000 })?.kind).toBe('refuted');
  });
});

const header = (s: string): { name: string; header: string } => {
  const [it] = parseLeanFile(`${s} := by sorry`);
  if (it?.kind !== 'theorem') throw new Error(`bad test theorem ${s}`);
  return { name: it.name, header: it.header };
};

describe('proveTheorem with the kernel', () => {
  for (const search of ['mcts', 'best-first'] as const) {
    it(`${search}: proves and re-verifies propositional and first-order goals`, async () => {
      for (const s of [
        'theorem t1 (p q : Prop) : p ∧ q → q ∧ p',
        'theorem t2 (p q r : Prop) : (p → q) → (q → r) → p → r',
        'theorem t3 (α : Type) (P : α → Prop) (a : α) : (∀ x : α, P x) → P a',
        'theorem t4 (α : Type) (P Q : α → Prop) : (∃ x : α, P x ∧ Q x) → ∃ x : α, P x',
      ]) {
        const r = await proveTheorem(kernelI, header(s), { search, budget: 200, timeMs: 20_000, intuitionistic: true });
        expect(r.status, `${s}: ${r.message}`).toBe('proved');
        expect(r.verified).toBe(true);
        expect(r.axioms).not.toContain('Classical.choice');
        // The script checks again from scratch.
        expect((await kernelI.verify(header(s), r.script!)).kind).toBe('verified');
      }
    });
  }
  it('proves a classical theorem only without --intuitionistic', async () => {
    const t = header('theorem c1 (p : Prop) : ¬¬p → p');
    const r = await proveTheorem(kernel, t, { budget: 50, timeMs: 10_000 });
    expect(r.status).toBe('proved');
    expect(r.axioms).toContain('Classical.choice');
    const ri = await proveTheorem(kernelI, t, { budget: 50, timeMs: 10_000, intuitionistic: true });
    expect(ri.status).toBe('failed');
    expect(ri.verified).toBe(false);
  });
  it('reports unsupported statements', async () => {
    const r = await proveTheorem(kernel, { name: 'u', header: 'theorem u (s : String) : s = s' }, { budget: 5 });
    expect(['unsupported', 'error']).toContain(r.status);
    expect(r.verified).toBe(false);
  });
});

/**
 * A stand-in environment whose tactics "close" any goal but whose verifier rejects everything:
 * the prover must never report such a proof as verified.
 */
class LyingEnvironment implements ProofEnvironment {
  readonly name = 'kernel' as const;
  private id = 0;
  private state(goals: number, script: readonly string[]): ProofState {
    const g = Array.from({ length: goals }, () => ({ hyps: [{ name: 'p', type: 'Prop' }, { name: 'h', type: 'p' }], target: 'p' }));
    return { id: this.id++ as ProofStateId, goals: g, key: `${goals}`, script };
  }
  async start() {
    return { kind: 'ok' as const, state: this.state(1, []) };
  }
  async tryTactic(s: ProofState, tactic: string): Promise<TacticResult> {
    return { kind: 'success', state: this.state(0, [...s.script, tactic]), messages: [] };
  }
  async verify() {
    return { kind: 'rejected' as const, reason: 'stand-in rejects', messages: [] };
  }
}

describe('verification is the only source of verified: true', () => {
  it.each(['mcts', 'best-first'] as const)('%s', async (search) => {
    const r = await proveTheorem(new LyingEnvironment(), { name: 'x', header: 'theorem x (p : Prop) : p' }, { search, budget: 10 });
    expect(r.verified).toBe(false);
    expect(r.status).toBe('failed');
    expect(r.message).toMatch(/verification rejected/);
  });
});

describe('generator', () => {
  it('offers intro, hypotheses and the solver macro, and refutes closed propositional non-theorems', () => {
    const gen = new TacticGenerator({ intuitionistic: true });
    const s: ProofState = {
      id: 1 as ProofStateId,
      key: 'k',
      script: [],
      goals: [{ hyps: [{ name: 'p', type: 'Prop' }, { name: 'q', type: 'Prop' }, { name: 'h', type: 'p ∧ q' }], target: 'q ∧ p' }],
    };
    const g = gen.generate(s);
    const rules = g.candidates.map((c) => c.rule);
    expect(rules).toContain('prop');
    expect(rules).toContain('obtain');
    expect(rules).toContain('constructor');
    const bad = gen.generate({ ...s, goals: [{ hyps: [{ name: 'p', type: 'Prop' }], target: 'p ∨ ¬p' }] });
    expect(bad.refuted).toBe(true);
    expect(bad.candidates).toHaveLength(0);
  });
});

describe('fillProofs', () => {
  it('replaces by sorry with the indented script, leaving other theorems alone', () => {
    const text = 'theorem a (p : Prop) : p → p := by sorry\n\ntheorem b (p : Prop) : p := by sorry\n';
    const items = parseLeanFile(text).filter((i) => i.kind === 'theorem');
    const out = fillProofs(text, items as never, new Map([['a', { script: ['intro h', 'exact h'] }]]));
    expect(out).toBe('theorem a (p : Prop) : p → p := by\n  intro h\n  exact h\n\ntheorem b (p : Prop) : p := by sorry\n');
  });
});

describe('the proof search environment under a deadline', () => {
  it('stops applying a candidate\'s tactics once the deadline has passed, ending the step dead', async () => {
    const [it0] = parseLeanFile('theorem t (p : Prop) : p → p := by sorry');
    if (it0?.kind !== 'theorem') throw new Error('bad test theorem');
    const st = await kernel.start({ name: it0.name, header: it0.header });
    if (st.kind !== 'ok') throw new Error('start failed');
    let calls = 0;
    // Each tactic takes 30 ms and changes nothing: a long candidate on a slow goal.
    const slow = {
      ...kernel,
      tryTactic: async (s: typeof st.state) => {
        calls++;
        await new Promise((r) => setTimeout(r, 30));
        return { kind: 'success' as const, state: s };
      },
    } as unknown as KernelEnvironment;
    const senv = proofSearchEnvironment(slow, newCounters(), performance.now() + 100);
    const r = await senv.step(st.state, { tactics: Array.from({ length: 50 }, () => 'skip'), score: 1, rule: 'test' });
    expect(r).toEqual({ kind: 'dead', reason: 'out of time' });
    expect(calls).toBeGreaterThan(1);
    expect(calls).toBeLessThan(10);
    // Without a deadline the same candidate runs to its end.
    const free = proofSearchEnvironment(slow, newCounters());
    calls = 0;
    expect((await free.step(st.state, { tactics: ['skip', 'skip', 'skip'], score: 1, rule: 'test' })).kind).toBe('ok');
    expect(calls).toBe(3);
  });
});
