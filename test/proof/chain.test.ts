import { describe, expect, it } from 'vitest';
import { KernelEnvironment, parseLeanFile, proveTheorem } from '../../src/proof/index.js';
import { chainProve, forwardInstances, unify, type ChainInput } from '../../src/proof/search/chain.js';
import { foldNums, matchInstances } from '../../src/proof/search/instances.js';
import { distribute, ringSteps } from '../../src/proof/search/ring.js';
import { type Expr, parseExpr, printExpr, substVar } from '../../src/proof/search/lean-expr.js';

/** Parses; `?x` (a metavariable, which Lean text cannot spell) is written `Mx`. */
const ex = (s: string): Expr => {
  const e = parseExpr(s.replace(/\?(\w)/g, 'M$1'));
  if (e === null) throw new Error(`unparsable ${s}`);
  return [...s.matchAll(/\?(\w)/g)].reduce<Expr>((x, m) => substVar(x, `M${m[1]}`, { k: 'var', name: `?${m[1]}` }), e);
};
const input = (hyps: Record<string, string>, vars: string[]): ChainInput => ({
  hyps: Object.entries(hyps).map(([name, t]) => ({ name, e: ex(t) })),
  names: new Set([...Object.keys(hyps), ...vars]),
  termsOfType: () => vars,
});

describe('unify', () => {
  it('binds metavariables, meets numerals with ?m + c, and fails on clashes', () => {
    const s = unify(ex('R ?a ?b'), ex('R x (y + 1)'), new Map());
    expect(s && printExpr(s.get('?b')!)).toBe('y + 1');
    const n = unify(ex('f (?n + 1)'), ex('f 3'), new Map());
    expect(n && printExpr(n.get('?n')!)).toBe('2');
    expect(unify(ex('f (?n + 4)'), ex('f 3'), new Map())).toBeNull();
    expect(unify(ex('R ?a ?a'), ex('R x y'), new Map())).toBeNull();
    expect(unify(ex('?a'), ex('f ?a'), new Map())).toBeNull(); // occurs check
  });
});

describe('chainProve', () => {
  const trans = '∀ (x : α), ∀ (y : α), ∀ (z : α), R x y → R y z → R x z';
  it('finds middle terms of transitivity chains by unification', () => {
    const inp = input({ ht: trans, hab: 'R a b', hbc: 'R b c', hcd: 'R c d' }, ['a', 'b', 'c', 'd']);
    const t = chainProve(inp, ex('R a d'));
    expect(t).not.toBeNull();
    expect(t).toMatch(/^ht a /);
  });
  it('returns null when the premises are not there', () => {
    const inp = input({ ht: trans, hab: 'R a b', hcd: 'R c d' }, ['a', 'b', 'c', 'd']);
    expect(chainProve(inp, ex('R a d'))).toBeNull();
  });
  it('builds witnesses, conjunctions and uses ↔ and ¬', () => {
    const inp = input({ h1: '∀ (x : α), ∀ (y : α), R x y → Q y', h2: 'R a b', h3: '∀ (x : α), P x ↔ Q x', h4: '¬Q b' }, ['a', 'b']);
    expect(chainProve(inp, ex('∃ y : α, Q y'))).toBe('⟨b, h1 a b h2⟩');
    expect(chainProve(inp, ex('P b'))).toBe('(h3 b).mpr (h1 a b h2)');
    expect(chainProve(inp, ex('False'))).toBe('h4 (h1 a b h2)');
  });
});

describe('forwardInstances', () => {
  it('instantiates a hypothesis with an ∃ conclusion from the premises in context', () => {
    const inp = input({ h1: '∀ (x : α), P x → ∃ y : α, R x y', hx: 'P a' }, ['a', 'b']);
    const f = forwardInstances(inp, inp.hyps[0]!);
    expect(f.map((x) => x.term)).toEqual(['h1 a hx']);
    expect(printExpr(f[0]!.concl)).toBe('∃ y : α, R a y');
  });
});

describe('matchInstances', () => {
  it('instantiates ∀-equations at the ground terms, following new terms, bounded by the numerals in sight', () => {
    const inst = matchInstances([{ name: 'h', e: ex('∀ (n : Nat), f (n + 1) = f n') }], [foldNums(ex('f 3 = f 0'))]);
    const terms = inst.map((i) => i.term).sort();
    expect(terms).toEqual(['h 0', 'h 1', 'h 2', 'h 3']);
    expect(inst.map((i) => printExpr(i.body))).toContain('f 1 = f 0');
  });
});

describe('ringSteps', () => {
  it('multiplies out, orders the factors of products of atoms, then omega', () => {
    expect(printExpr(distribute(ex('(a + b) * (c + 1) = 0')))).toBe('a * c + b * c + (a * 1 + b * 1) = 0');
    expect(ringSteps(ex('(y + x) * (y + x) = x * x + 2 * (x * y) + y * y'))).toEqual(['simp only [Nat.mul_add, Nat.add_mul]', 'rw [Nat.mul_comm y x]', 'omega']);
    expect(ringSteps(ex('f b * a = a * f b'))).toEqual(['rw [Nat.mul_comm (f b) a]', 'omega']);
    expect(ringSteps(ex('a + 2 * b = b + a'))).toBeNull();
  });
});

const header = (s: string) => {
  const [it] = parseLeanFile(`${s} := by sorry`);
  if (it?.kind !== 'theorem') throw new Error(`bad test theorem ${s}`);
  return { name: it.name, header: it.header };
};

describe('the prover with chaining, forward steps, instances and induction closers', () => {
  const kernelI = new KernelEnvironment({ intuitionistic: true });
  const kernel = new KernelEnvironment();
  for (const search of ['mcts', 'best-first'] as const) {
    it(`${search}: first-order chains (intuitionistic)`, async () => {
      for (const s of [
        'theorem c1 (β : Type) (S : β → β → Prop) (p q r s : β) : (∀ u v w : β, S u v → S v w → S u w) → S p q → S q r → S r s → S p s',
        'theorem c2 (β : Type) (A B : β → Prop) (S : β → β → Prop) : (∀ u : β, A u → ∃ v : β, S v u) → (∀ u v : β, S u v → B u) → (∃ u : β, A u) → ∃ v : β, B v',
      ]) {
        const r = await proveTheorem(kernelI, header(s), { search, budget: 300, timeMs: 20_000, intuitionistic: true });
        expect(r.status, `${s}: ${r.message}`).toBe('proved');
        expect(r.verified).toBe(true);
      }
    });
    it(`${search}: Nat instances and downward induction`, async () => {
      for (const s of [
        'theorem n1 (g : Nat → Nat) (h : ∀ m : Nat, g (m + 1) = g m + 2) : g 2 = g 0 + 4',
        'theorem n3 (x y : Nat) : (x + 1) * (y + x) = x * y + x * x + y + x',
        'theorem n2 (Q : Nat → Prop) (h : ∀ m : Nat, Q (m + 1) → Q m) (j : Nat) (hj : Q j) : Q 0',
      ]) {
        const r = await proveTheorem(kernel, header(s), { search, budget: 300, timeMs: 20_000 });
        expect(r.status, `${s}: ${r.message}`).toBe('proved');
        expect(r.verified).toBe(true);
      }
    });
  }
});
