/** The trusted checker on raw terms: it accepts what it should and rejects everything else. */
import { describe, expect, it } from 'vitest';
import { checkTheorem, Env, KernelError, TypeChecker, NAT, piF, lamF } from '../../src/proof/check.js';
import { buildPrelude } from '../../src/proof/prelude.js';
import { defaultKernel, LIBRARY_LOGIC, LIBRARY_NAT } from '../../src/proof/library.js';
import { type Term, mkApp, mkApps, mkConst, mkLit, mkFVar, mkMVar, mkArrow, PROP, TYPE, mkSort, mkBVar } from '../../src/proof/term.js';

const c = (n: string) => mkConst(n);
const env = buildPrelude();
const add = (a: Term, b: Term) => mkApps(c('Nat.add'), [a, b]);
const mul = (a: Term, b: Term) => mkApps(c('Nat.mul'), [a, b]);
const eq = (a: Term, b: Term) => mkApps(c('Eq'), [NAT, a, b]);
const refl = (a: Term) => mkApps(c('Eq.refl'), [NAT, a]);

describe('definitional equality', () => {
  const tc = new TypeChecker(env);
  it('computes Nat literals and recursion equations on the second argument', () => {
    expect(tc.isDefEq(add(mkLit(2), mkLit(2)), mkLit(4))).toBe(true);
    expect(tc.isDefEq(mul(mkLit(3), mkLit(4)), mkLit(12))).toBe(true);
    expect(tc.isDefEq(mul(mkLit(3), mkLit(4)), mkLit(13))).toBe(false);
    expect(tc.isDefEq(mkApp(c('Nat.succ'), mkApp(c('Nat.succ'), c('Nat.zero'))), mkLit(2))).toBe(true);
  });
  it('n + 0 reduces to n, 0 + n does not (as in Lean)', () => {
    const thm = (stmt: (n: Term) => Term) => piF('n', NAT, (n) => stmt(n));
    const prf = lamF('n', NAT, (n) => refl(n));
    expect(checkTheorem(env, thm((n) => eq(add(n, mkLit(0)), n)), prf, true)).toEqual([]);
    expect(() => checkTheorem(env, thm((n) => eq(add(mkLit(0), n), n)), prf, true)).toThrow(KernelError);
    const prf2 = lamF('n', NAT, (n) => refl(mkApp(c('Nat.succ'), n)));
    expect(checkTheorem(env, thm((n) => eq(add(n, mkLit(1)), mkApp(c('Nat.succ'), n))), prf2, true)).toEqual([]);
    expect(() => checkTheorem(env, thm((n) => eq(add(mkLit(1), n), mkApp(c('Nat.succ'), n))), prf2, true)).toThrow(KernelError);
  });
});

describe('checkTheorem rejects bad terms', () => {
  const p = PROP;
  const idType = piF('p', p, (x) => mkArrow(x, x));
  it('accepts the identity and rejects a proof of the wrong proposition', () => {
    expect(checkTheorem(env, idType, lamF('p', p, (x) => lamF('h', x, (h) => h)), true)).toEqual([]);
    const bad = piF('p', p, (x) => piF('q', p, (y) => mkArrow(x, y)));
    expect(() => checkTheorem(env, bad, lamF('p', p, () => lamF('q', p, (y) => lamF('h', y, (h) => h))), true)).toThrow(/does not have the stated type|mismatch/);
  });
  it('rejects free variables, metavariables, loose bound variables and unknown constants', () => {
    expect(() => checkTheorem(env, c('True'), mkFVar(123456), true)).toThrow(KernelError);
    expect(() => checkTheorem(env, c('True'), mkMVar(123457), true)).toThrow(KernelError);
    expect(() => checkTheorem(env, c('True'), mkBVar(0), true)).toThrow(KernelError);
    expect(() => checkTheorem(env, c('True'), c('sorryAx'), true)).toThrow(/unknown constant/);
  });
  it('rejects ill-typed applications and non-propositions as theorems', () => {
    expect(() => checkTheorem(env, c('True'), mkApp(c('True.intro'), c('True.intro')), true)).toThrow(KernelError);
    expect(() => checkTheorem(env, NAT, mkLit(3), true)).toThrow(/proposition/);
    // Or.inl applied to a proof of the wrong side.
    const t = mkApps(c('Or'), [c('False'), c('True')]);
    expect(() => checkTheorem(env, t, mkApps(c('Or.inl'), [c('False'), c('True'), c('True.intro')]), true)).toThrow(KernelError);
    expect(checkTheorem(env, t, mkApps(c('Or.inr'), [c('False'), c('True'), c('True.intro')]), true)).toEqual([]);
  });
  it('does not allow eliminating False-like Prop inductives into Type', () => {
    // False.elim has motive in Prop only: using it at a Type is ill-typed.
    expect(() => new TypeChecker(env).infer(mkApps(c('False.elim'), [NAT]))).toThrow(KernelError);
  });
  it('tracks the axioms a proof uses', () => {
    const em = piF('p', PROP, (x) => mkApps(c('Or'), [x, mkApp(c('Not'), x)]));
    expect(checkTheorem(env, em, lamF('p', PROP, (x) => mkApp(c('Classical.em'), x)), true)).toEqual(['Classical.choice', 'Quot.sound', 'propext']);
  });
  it('refuses duplicate declarations and checks added definitions', () => {
    const e2 = new Env();
    expect(() => e2.addChecked('x', 'def', TYPE, mkSort(0))).not.toThrow();
    expect(() => e2.addChecked('x', 'def', TYPE, mkSort(0))).toThrow(/already exists/);
    expect(() => e2.addChecked('y', 'def', PROP, mkSort(0))).toThrow(KernelError);
  });
});

describe('the library', () => {
  it('is proved, not assumed: every lemma is a checked theorem without axioms', () => {
    const k = defaultKernel();
    const names = [...(LIBRARY_LOGIC + LIBRARY_NAT).matchAll(/^theorem (\S+)/gm)].map((m) => m[1]!);
    expect(names.length).toBeGreaterThan(90);
    for (const n of names) {
      const d = k.env.get(n)!;
      expect(d.kind, n).toBe('thm');
      expect(d.axioms.filter((a) => a !== 'propext'), n).toEqual(n.startsWith('Classical.') ? ['Classical.choice', 'Quot.sound'] : []);
      // Re-check the stored proof term from scratch.
      expect(() => checkTheorem(k.env, d.type([]), d.value!([]), true), n).not.toThrow();
    }
    const axioms = [...k.env.names()].filter((n) => k.env.get(n)!.kind === 'axiom').sort();
    expect(axioms).toEqual(['Classical.em', 'propext']);
  });
});
