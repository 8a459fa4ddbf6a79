/** Tactic behaviour, goal display and failure messages, through KernelEnvironment. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { KernelEnvironment, type ProofState } from '../../src/proof/index.js';

const env = new KernelEnvironment();
const intu = new KernelEnvironment({ intuitionistic: true });

function start(header: string, e = env): ProofState {
  const s = e.startSync({ name: 't', header: `theorem t ${header}` });
  if (s.kind !== 'ok') throw new Error(JSON.stringify(s));
  return s.state;
}
function step(st: ProofState, tac: string, e = env): ProofState {
  const r = e.tryTacticSync(st, tac);
  if (r.kind !== 'success') throw new Error(`${tac}: ${JSON.stringify(r)}`);
  return r.state;
}
function fails(st: ProofState, tac: string, re?: RegExp, e = env): void {
  const r = e.tryTacticSync(st, tac);
  expect(r.kind, tac).not.toBe('success');
  if (re && r.kind === 'failure') expect(r.messages[0]!.text).toMatch(re);
}
/** Runs a script and checks it both closes the goals and verifies from scratch. */
function proves(header: string, script: string[], e = env): readonly string[] {
  let st = start(header, e);
  for (const t of script) st = step(st, t, e);
  expect(st.goals, script.join('; ')).toEqual([]);
  const v = e.verifySync({ name: 't', header: `theorem t ${header}` }, script);
  if (v.kind !== 'verified') throw new Error(v.reason);
  return v.axioms;
}
const targets = (st: ProofState) => st.goals.map((g) => g.target);

describe('propositional and first-order tactics', () => {
  it('intro, constructor, left/right, exfalso, assumption, contradiction, trivial', () => {
    proves('(p q : Prop) : p → q → p ∧ q', ['intro hp hq', 'constructor', 'assumption', 'assumption']);
    proves('(p q : Prop) : p → p ∨ q', ['intro h', 'left', 'exact h']);
    proves('(p q : Prop) : q → p ∨ q', ['intro h', 'right', 'exact h']);
    proves('(p q : Prop) : p → ¬p → q', ['intro h hn', 'exfalso', 'exact hn h']);
    proves('(p q : Prop) : p → ¬p → q', ['intro h hn', 'contradiction']);
    proves('(p : Prop) : False → p', ['intro h', 'contradiction']);
    proves('(n : Nat) (p : Prop) (h : n + 1 = 0) : p', ['contradiction']);
    proves('(n : Nat) (p : Prop) (h : 0 = Nat.succ n) : p', ['contradiction']);
    proves('(p : Prop) (h : (2 : Nat) + 2 = 5) : p', ['contradiction']);
    fails(start('(n : Nat) (p : Prop) (h : n = 0) : p'), 'contradiction', /no contradictory/);
    proves(': True', ['trivial']);
    const s = step(start('(p q : Prop) : p → q'), 'intro hp');
    fails(s, 'assumption', /no hypothesis/);
    fails(s, 'left', /not a disjunction/);
    fails(s, 'intro x', /no additional binders/);
  });

  it('intro without names gives inaccessible names; intros introduces all', () => {
    const s = step(start('(α : Type) (P : α → Prop) : ∀ x : α, P x → P x'), 'intro');
    expect(s.goals[0]!.hyps.map((h) => h.name)).toEqual(['α', 'P', 'x✝']);
    expect(step(start('(p q : Prop) : p → q → p'), 'intros').goals[0]!.hyps).toHaveLength(4);
  });

  it('rcases/obtain/cases patterns, with case names', () => {
    proves('(p q r : Prop) : p ∧ q ∧ r → r', ['intro h', 'obtain ⟨hp, hq, hr⟩ := h', 'exact hr']);
    proves('(p q r : Prop) : p ∨ q ∨ r → r ∨ q ∨ p', ['intro h', 'rcases h with hp | hq | hr', '· right; right; exact hp', '· right; left; exact hq', '· left; exact hr']);
    proves('(p q : Prop) : p ∨ q → q ∨ p', ['intro h', 'cases h with\n| inl hp => exact Or.inr hp\n| inr hq => exact Or.inl hq']);
    proves('(α : Type) (P Q : α → Prop) : (∃ x : α, P x ∧ Q x) → ∃ x : α, Q x', ['intro h', 'rcases h with ⟨x, -, hq⟩', 'exact ⟨x, hq⟩']);
    const s = step(step(start('(p q : Prop) : p ∨ q → q ∨ p'), 'intro h'), 'cases h');
    expect(s.goals).toHaveLength(2);
    expect(s.goals[0]!.hyps.map((h) => h.name)).toEqual(['p', 'q', 'h✝']);
    fails(start('(p q : Prop) : p → q'), 'cases h with\n| inl a => exact a', /unknown identifier/);
  });

  it('fun with anonymous-constructor patterns', () => {
    proves('(p q : Prop) : p ∧ q → q ∧ p', ['exact fun ⟨hp, hq⟩ => ⟨hq, hp⟩']);
    proves('(α : Type) (P Q : α → Prop) : (∃ x : α, P x ∧ Q x) → ∃ x : α, Q x', ['exact fun ⟨x, _, hq⟩ => ⟨x, hq⟩']);
    proves('(p q : Prop) : p ∨ q → q ∨ p', ['exact fun ⟨hp | hq⟩ => sorry'.replace('⟨hp | hq⟩ => sorry', '(h : p ∨ q) => h.elim Or.inr Or.inl')]);
    proves('(p q r : Prop) : (p ∨ q) ∧ r → r', ['intro h', 'exact (fun ⟨_, hr⟩ => hr : (p ∨ q) ∧ r → r) h']);
    fails(start('(p q r : Prop) : (p ∨ q) ∧ r → r'), 'exact (fun ⟨_, hr⟩ => hr) ⟨Or.inl sorry, sorry⟩', /expected type/);
    fails(start('(p q : Prop) : p ∧ q → p'), 'exact fun ⟨hp, hq⟩ => hq', /mismatch/);
  });

  it('apply creates goals for the premises; exists/refine/constructor on ∃', () => {
    const s = step(step(start('(p q r : Prop) (h : p → q → r) (hp : p) (hq : q) : r'), 'apply h'), 'exact hp');
    expect(targets(s)).toEqual(['q']);
    proves('(α : Type) (P : α → Prop) (a : α) (h : P a) : ∃ x : α, P x', ['exists a']);
    proves('(α : Type) (P : α → Prop) (a : α) (h : P a) : ∃ x : α, P x ∧ P x', ['refine ⟨a, ?_, ?_⟩', '· exact h', '· exact h']);
    proves('(α : Type) (P : α → Prop) (a : α) (h : P a) : ∃ x : α, P x', ['constructor', 'exact h']);
  });

  it('have, show, specialize, revert, <;>, first, try', () => {
    proves('(p q : Prop) (h : p → q) (hp : p) : q', ['have hq : q := h hp', 'exact hq']);
    proves('(p q : Prop) (h : p → q) (hp : p) : q', ['have hq : q', '· exact h hp', 'exact hq']);
    proves('(p : Prop) : p → ¬¬p', ['intro hp', 'show (p → False) → False', 'intro hn', 'exact hn hp']);
    proves('(α : Type) (P : α → Prop) (a : α) (h : ∀ x : α, P x) : P a', ['specialize h a', 'exact h']);
    proves('(p : Prop) (hp : p) : p', ['revert hp', 'intro h', 'exact h']);
    proves('(p : Prop) (hp : p) : p ∧ p', ['constructor <;> exact hp']);
    proves('(p q : Prop) (hq : q) : p ∨ q', ['first | exact Or.inl hq | exact Or.inr hq']);
    fails(start('(p : Prop) : p'), 'show p ∧ p', /type mismatch/);
  });

  it('classical reasoning is tracked and refused in intuitionistic mode', () => {
    expect(proves('(p : Prop) : p ∨ ¬p', ['exact Classical.em p'])).toContain('Classical.choice');
    expect(proves('(p q : Prop) : (¬q → ¬p) → p → q', ['intro h hp', 'by_cases hq : q', '· exact hq', '· exact absurd hp (h hq)'])).toContain('Classical.choice');
    fails(start('(p : Prop) : p ∨ ¬p', intu), 'exact Classical.em p', /classical/, intu);
    fails(start('(p : Prop) : p ∨ ¬p', intu), 'by_cases h : p', /intuitionistic/, intu);
    // by_cases on a decidable Nat proposition needs no axiom.
    expect(proves('(n : Nat) : n = 0 ∨ n ≠ 0', ['by_cases h : n = 0', '· exact Or.inl h', '· exact Or.inr h'], intu)).toEqual([]);
  });
});

describe('equality, Nat and induction', () => {
  it('rw rewrites left to right, ← right to left, at hypotheses, and closes with rfl', () => {
    proves('(a b c : Nat) (h1 : a = b) (h2 : b = c) : a = c', ['rw [h1, h2]']);
    proves('(a b : Nat) (h : a = b) (h2 : b = 5) : a = 5', ['rw [← h] at h2', 'exact h2']);
    const s = step(start('(f : Nat → Nat) (a b : Nat) (h : a = b) : f a + a = f b + b'), 'rw [h]');
    expect(s.goals).toEqual([]);
    fails(start('(a b : Nat) (h : a = b) : b = b + 0'), 'rw [h]', /did not find/);
    proves('(p q : Prop) (h : p ↔ q) (hq : q) : p', ['rw [h]', 'exact hq']);
  });

  it('induction phrases goals with 0 and k + 1 and names the hypotheses', () => {
    const s = step(start('(n : Nat) : 0 + n = n'), 'induction n with\n| zero => rfl\n| succ k ih => skip'.replace('skip', 'exact congrArg Nat.succ ih'));
    expect(s.goals).toEqual([]);
    const s2 = step(start('(n : Nat) : 0 + n = n'), 'induction n');
    expect(targets(s2)).toEqual(['0 + 0 = 0', '0 + (n✝ + 1) = n✝ + 1']);
    expect(s2.goals[1]!.hyps.map((h) => h.type)).toEqual(['Nat', '0 + n✝ = n✝']);
    // Hypotheses depending on the variable are generalised (as in Lean).
    proves('(P : Nat → Prop) (h : ∀ n : Nat, P (n + 1) → P n) (k : Nat) (hk : P k) : P 0', ['induction k with\n| zero => exact hk\n| succ k ih => exact ih (h k hk)']);
    fails(start('(n : Nat) : n + 0 = n'), 'induction n with\n| zero => rfl', /has not been provided/);
    // generalizing: the induction hypothesis is universally quantified over m.
    proves('(n m : Nat) (h : n + m = m + n) : m + n = n + m', ['induction n generalizing m with\n| zero => exact Eq.symm h\n| succ k ih => exact Eq.symm h']);
    const s3 = step(start('(n m : Nat) : n + m = m + n'), 'induction n generalizing m');
    expect(s3.goals[1]!.hyps.map((x) => `${x.name} : ${x.type}`)).toEqual(['n✝ : Nat', 'ih✝ : ∀ (m : Nat), n✝ + m = m + n✝', 'm : Nat']);
  });

  it('rfl and decide follow definitional unfolding of literals (n + 0 but not 0 + n)', () => {
    proves('(n : Nat) : n + 0 = n', ['rfl']);
    fails(start('(n : Nat) : 0 + n = n'), 'rfl', /not definitionally equal|reflexive/);
    proves(': (2 : Nat) + 2 = 4', ['rfl']);
    proves(': (3 : Nat) * 4 ≠ 13 ∧ (2 < 3 ∨ 5 ≤ 1)', ['decide']);
    fails(start(': (3 : Nat) ≤ 2'), 'decide', /false/);
    fails(start('(n : Nat) : n ≤ n'), 'decide', /free variables/);
  });

  it('omega proves linear facts with a checkable term and fails otherwise', () => {
    proves('(x y : Nat) (h1 : x + y = 10) (h2 : x = y + 2) : x = 6', ['omega']);
    proves('(a b : Nat) (h : a ≠ b) (h2 : a ≤ b) : a < b', ['omega']);
    proves('(a b : Nat) (h : a < b ∨ a = b) : a ≤ b + 3', ['omega']);
    proves('(a b c : Nat) : 3 * (a + 2 * b) + c ≥ a + b + 2 * a', ['omega']);
    proves('(a b : Nat) (h : ¬ a ≤ b) : b < a', ['omega']);
    proves('(f : Nat → Nat) (h : f 1 = f 0 + 2) : f 1 ≠ f 0', ['omega']);
    proves('(a b : Nat) : a * b + a * b = 2 * (a * b)', ['omega']);
    fails(start('(a b : Nat) : a * b = b * a'), 'omega', /could not prove/);
    fails(start('(x : Nat) (h : x + 1 ≤ x) : x = x + 2 ∨ x = 3'), 'omega', /not a linear arithmetic fact/);
    fails(start('(x y : Nat) (h : x ≤ y) : y ≤ x'), 'omega', /could not prove/);
  });

  it('simp rewrites with its lemma set and given lemmas', () => {
    proves('(n : Nat) : 0 * n + n * 1 = n', ['simp']);
    proves('(a b : Nat) (h : a = b) : a + 0 = b', ['simp [h]']);
    fails(start('(a b : Nat) : a + b = b + a'), 'simp only []', /no progress/);
    proves('(a b : Nat) : a + b = b + a', ['simp [Nat.add_comm]']);
  });
});

describe('states and messages', () => {
  it('failures carry positions inside the tactic text', () => {
    const r = env.tryTacticSync(start('(p q : Prop) : p → q'), 'intro hp\nexact foo hp');
    expect(r.kind).toBe('failure');
    if (r.kind === 'failure') expect(r.messages[0]).toMatchObject({ line: 2, column: 6 });
  });
  it('merges identical states by key and keeps old states usable', () => {
    const s0 = start('(p q : Prop) : p ∧ q → q ∧ p');
    const a = step(s0, 'intro h');
    const b = step(s0, 'intro h');
    expect(a.key).toBe(b.key);
    expect(a.id).not.toBe(b.id);
    expect(step(a, 'exact ⟨h.2, h.1⟩').goals).toEqual([]);
    expect(step(b, 'constructor').goals).toHaveLength(2);
    expect(a.script).toEqual(['intro h']);
  });
  it('sorry is never a proof', () => {
    fails(start('(p : Prop) : p'), 'sorry', /sorry/);
    expect(env.verifySync({ name: 't', header: 'theorem t (p : Prop) : p' }, ['sorry']).kind).toBe('rejected');
  });
});

describe('robustness', () => {
  it('any tactic text gives a result value, never an exception', () => {
    const words = ['intro', 'h', 'exact', 'apply', 'rcases', 'with', '⟨', '⟩', '|', ',', '(', ')', 'fun', '=>', 'Or.inl', 'h.1', '.2', 'rw', '[', ']', '←',
      'omega', 'simp', 'at', 'induction', 'n', 'cases', 'by', 'decide', '·', ';', '<;>', '\n', '\n  ', '0', '+', '=', '∧', '¬', '∀', 'x', ':', 'Nat', 'α', '_', '?_', 'have', ':=', 'show', 'obtain', 'constructor', 'Classical.em', 'sorry'];
    const s0 = start('(α : Type) (P : α → Prop) (n : Nat) (p q : Prop) (h : p ∧ q ∨ n = 0) : (∀ x : α, P x) → q ∨ p');
    fc.assert(fc.property(fc.array(fc.constantFrom(...words), { minLength: 1, maxLength: 9 }), (ws) => {
      const r = env.tryTacticSync(s0, ws.join(' '));
      expect(['success', 'failure', 'parseError']).toContain(r.kind);
      if (r.kind === 'failure') expect(r.messages[0]!.text).not.toMatch(/internal error/);
    }), { numRuns: 400, seed: 7 });
  });
});
