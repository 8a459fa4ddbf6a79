/**
 * Soundness of the prover, the first property: nothing false is ever proved, nothing
 * classical-only is proved intuitionistically. References here are independent of the prover:
 * truth tables, a small G4ip decision procedure, and finite first-order models.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sharedDir } from '../../src/core/index.js';
import { KernelEnvironment, parseLeanFile, proveTheorem, solveGoal } from '../../src/proof/index.js';

const kernel = new KernelEnvironment();
const kernelI = new KernelEnvironment({ intuitionistic: true });

// ---- propositional formulas, a truth table and a reference G4ip ----
type F = { k: 'v'; i: number } | { k: 'bot' } | { k: 'and' | 'or' | 'imp'; a: F; b: F } | { k: 'not'; a: F };
const ATOMS = ['p', 'q', 'r'];

const formula: fc.Arbitrary<F> = fc.letrec<{ f: F }>((tie) => ({
  f: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.integer({ min: 0, max: 2 }).map((i) => ({ k: 'v' as const, i })),
    fc.constant({ k: 'bot' as const }),
    fc.record({ k: fc.constantFrom('and' as const, 'or' as const, 'imp' as const), a: tie('f'), b: tie('f') }),
    fc.record({ k: fc.constant('not' as const), a: tie('f') }),
  ),
})).f;

function show(f: F): string {
  switch (f.k) {
    case 'v':
      return ATOMS[f.i]!;
    case 'bot':
      return 'False';
    case 'not':
      return `¬(${show(f.a)})`;
    default:
      return `(${show(f.a)}) ${f.k === 'and' ? '∧' : f.k === 'or' ? '∨' : '→'} (${show(f.b)})`;
  }
}

function evalF(f: F, v: number): boolean {
  switch (f.k) {
    case 'v':
      return ((v >> f.i) & 1) === 1;
    case 'bot':
      return false;
    case 'not':
      return !evalF(f.a, v);
    case 'and':
      return evalF(f.a, v) && evalF(f.b, v);
    case 'or':
      return evalF(f.a, v) || evalF(f.b, v);
    case 'imp':
      return !evalF(f.a, v) || evalF(f.b, v);
  }
}
const tautology = (f: F): boolean => [0, 1, 2, 3, 4, 5, 6, 7].every((v) => evalF(f, v));

/** Dyckhoff's G4ip, written plainly (structural equality by printed text). */
function g4ip(gamma: readonly F[], goal: F): boolean {
  const key = (f: F): string => show(f);
  const has = (f: F): boolean => gamma.some((g) => key(g) === key(f));
  if (gamma.some((g) => g.k === 'bot')) return true;
  if (goal.k === 'imp') return g4ip([...gamma, goal.a], goal.b);
  if (goal.k === 'not') return g4ip([...gamma, goal.a], { k: 'bot' });
  if (goal.k === 'and') return g4ip(gamma, goal.a) && g4ip(gamma, goal.b);
  if (has(goal)) return true;
  const asImp = (f: F): { a: F; b: F } | null => (f.k === 'imp' ? { a: f.a, b: f.b } : f.k === 'not' ? { a: f.a, b: { k: 'bot' } } : null);
  for (let i = 0; i < gamma.length; i++) {
    const h = gamma[i]!;
    const rest = [...gamma.slice(0, i), ...gamma.slice(i + 1)];
    if (h.k === 'and') return g4ip([...rest, h.a, h.b], goal);
    if (h.k === 'or') return g4ip([...rest, h.a], goal) && g4ip([...rest, h.b], goal);
    const im = asImp(h);
    if (im === null) continue;
    const A = im.a;
    if (A.k === 'bot') return g4ip(rest, goal);
    if (A.k === 'v' && has(A)) return g4ip([...rest, im.b], goal);
    if (A.k === 'and') return g4ip([...rest, { k: 'imp', a: A.a, b: { k: 'imp', a: A.b, b: im.b } }], goal);
    if (A.k === 'or') return g4ip([...rest, { k: 'imp', a: A.a, b: im.b }, { k: 'imp', a: A.b, b: im.b }], goal);
  }
  if (goal.k === 'or' && (g4ip(gamma, goal.a) || g4ip(gamma, goal.b))) return true;
  for (let i = 0; i < gamma.length; i++) {
    const im = asImp(gamma[i]!);
    if (im === null) continue;
    const inner = asImp(im.a);
    if (inner === null) continue;
    const rest = [...gamma.slice(0, i), ...gamma.slice(i + 1)];
    if (g4ip([...rest, { k: 'imp', a: inner.b, b: im.b }, inner.a], inner.b) && g4ip([...rest, im.b], goal)) return true;
  }
  return false;
}

const PROPS = ATOMS.map((name) => ({ name, type: 'Prop' }));
const HEADER = 'theorem rnd (p q r : Prop) : ';

describe('propositional soundness (random formulas)', () => {
  it('solver: proved classically => tautology; proved intuitionistically => G4ip-valid; complete on both', () => {
    fc.assert(
      fc.property(formula, (f) => {
        const c = solveGoal({ hyps: PROPS, target: show(f) }, { classical: true, maxNodes: 20000 });
        const i = solveGoal({ hyps: PROPS, target: show(f) }, { classical: false, maxNodes: 20000 });
        const taut = tautology(f);
        const valid = g4ip([], f);
        if (c?.kind === 'proved') expect(taut).toBe(true);
        if (i?.kind === 'proved') expect(valid).toBe(true);
        // Both procedures are complete: a refutation means not valid.
        if (c?.kind === 'refuted') expect(taut).toBe(false);
        if (i?.kind === 'refuted') expect(valid).toBe(false);
      }),
      { numRuns: 300, seed: 7 },
    );
  });

  it('prover + kernel: every verified proof is a tautology (intuitionistic: G4ip-valid)', async () => {
    await fc.assert(
      fc.asyncProperty(formula, fc.boolean(), async (f, intu) => {
        const r = await proveTheorem(intu ? kernelI : kernel, { name: 'rnd', header: HEADER + show(f) }, { budget: 20, timeMs: 5000, intuitionistic: intu });
        if (r.verified) {
          expect(tautology(f)).toBe(true);
          if (intu) expect(g4ip([], f)).toBe(true);
        }
      }),
      { numRuns: 40, seed: 11 },
    );
  });
});

// ---- first-order formulas over finite models ----
type Q =
  | { k: 'P' | 'Q'; t: number }
  | { k: 'R'; t: number; u: number }
  | { k: 'and' | 'or' | 'imp'; a: Q; b: Q }
  | { k: 'not'; a: Q }
  | { k: 'all' | 'ex'; a: Q };
// Terms: de Bruijn-ish indices into the bound variables (0 = innermost), or -1 = the constant a.
const qf: fc.Arbitrary<Q> = fc.letrec<{ q: Q }>((tie) => ({
  q: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.record({ k: fc.constantFrom('P' as const, 'Q' as const), t: fc.integer({ min: -1, max: 1 }) }),
    fc.record({ k: fc.constant('R' as const), t: fc.integer({ min: -1, max: 1 }), u: fc.integer({ min: -1, max: 1 }) }),
    fc.record({ k: fc.constantFrom('and' as const, 'or' as const, 'imp' as const), a: tie('q'), b: tie('q') }),
    fc.record({ k: fc.constant('not' as const), a: tie('q') }),
    fc.record({ k: fc.constantFrom('all' as const, 'ex' as const), a: tie('q') }),
  ),
})).q;

function term(t: number, depth: number): string | null {
  if (t === -1) return 'a';
  return t < depth ? `x${depth - 1 - t}` : null;
}
function showQ(f: Q, depth = 0): string | null {
  switch (f.k) {
    case 'P':
    case 'Q': {
      const t = term(f.t, depth);
      return t === null ? null : `${f.k} ${t}`;
    }
    case 'R': {
      const t = term(f.t, depth);
      const u = term(f.u, depth);
      return t === null || u === null ? null : `R ${t} ${u}`;
    }
    case 'not': {
      const a = showQ(f.a, depth);
      return a === null ? null : `¬(${a})`;
    }
    case 'all':
    case 'ex': {
      const a = showQ(f.a, depth + 1);
      return a === null ? null : `(${f.k === 'all' ? '∀' : '∃'} x${depth} : α, ${a})`;
    }
    default: {
      const a = showQ(f.a, depth);
      const b = showQ(f.b, depth);
      return a === null || b === null ? null : `(${a}) ${f.k === 'and' ? '∧' : f.k === 'or' ? '∨' : '→'} (${b})`;
    }
  }
}
interface Model {
  n: number;
  a: number;
  P: boolean[];
  Q: boolean[];
  R: boolean[][];
}
function holds(f: Q, m: Model, env: number[]): boolean {
  const val = (t: number): number => (t === -1 ? m.a : env[env.length - 1 - t]!);
  switch (f.k) {
    case 'P':
      return m.P[val(f.t)]!;
    case 'Q':
      return m.Q[val(f.t)]!;
    case 'R':
      return m.R[val(f.t)]![val(f.u)]!;
    case 'not':
      return !holds(f.a, m, env);
    case 'and':
      return holds(f.a, m, env) && holds(f.b, m, env);
    case 'or':
      return holds(f.a, m, env) || holds(f.b, m, env);
    case 'imp':
      return !holds(f.a, m, env) || holds(f.b, m, env);
    case 'all':
      return Array.from({ length: m.n }, (_, d) => d).every((d) => holds(f.a, m, [...env, d]));
    case 'ex':
      return Array.from({ length: m.n }, (_, d) => d).some((d) => holds(f.a, m, [...env, d]));
  }
}
function* models(): Generator<Model> {
  for (const n of [1, 2]) {
    const bits = n + n + n * n;
    for (let mask = 0; mask < 1 << bits; mask++) {
      const b = (i: number): boolean => ((mask >> i) & 1) === 1;
      const P = Array.from({ length: n }, (_, i) => b(i));
      const Q = Array.from({ length: n }, (_, i) => b(n + i));
      const R = Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => b(2 * n + i * n + j)));
      for (let a = 0; a < n; a++) yield { n, a, P, Q, R };
    }
  }
}

describe('first-order soundness (random formulas, all models of size 1 and 2)', () => {
  it('every verified proof holds in every small model', async () => {
    await fc.assert(
      fc.asyncProperty(qf, async (f) => {
        const text = showQ(f);
        fc.pre(text !== null);
        const header = `theorem rnd (α : Type) (a : α) (P Q : α → Prop) (R : α → α → Prop) : ${text}`;
        const r = await proveTheorem(kernel, { name: 'rnd', header }, { budget: 15, timeMs: 5000 });
        if (r.verified) for (const m of models()) expect(holds(f, m, [])).toBe(true);
      }),
      { numRuns: 40, seed: 5 },
    );
  });
});

// ---- the shared problem set ----
function theorems(file: string): { name: string; header: string; status: string }[] {
  const text = readFileSync(join(sharedDir(), 'problems', file), 'utf8');
  return parseLeanFile(text).flatMap((it) => (it.kind === 'theorem' ? [{ name: it.name, header: it.header, status: it.status ?? 'theorem' }] : []));
}

describe('shared problems', () => {
  it('no non-theorem is ever proved (classical prover)', async () => {
    for (const t of theorems('non-theorems.lean')) {
      const r = await proveTheorem(kernel, t, { budget: 15, timeMs: 3000 });
      expect(r.status, t.name).not.toBe('proved');
      expect(r.verified).toBe(false);
    }
  });
  it('no classical-only statement is proved with --intuitionistic', async () => {
    for (const t of [...theorems('prop-classical.lean'), ...theorems('fol-classical.lean')]) {
      expect(t.status).toMatch(/classical-only/);
      const r = await proveTheorem(kernelI, t, { budget: 15, timeMs: 3000, intuitionistic: true });
      expect(r.status, t.name).not.toBe('proved');
    }
  });
});
