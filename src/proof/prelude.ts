/**
 * The trusted declarations: inductive types with their constructors and eliminators, and
 * Lean's axioms. Everything here is part of the trusted base, so each eliminator is a
 * specialisation of Lean's own recursor (non-dependent motives into Prop for the Prop-valued
 * types; Lean's recursor types with the motive fixed), never something stronger.
 * Definitions (`Not`, `Nat.add`, ...) are added through the checker, which type-checks them.
 */
import { Env, NAT, piF, lamF } from './check.js';
import { type Term, mkApp, mkApps, mkConst, mkSort, mkArrow, PROP, TYPE, mkLit } from './term.js';

const c = (n: string) => mkConst(n);
const app = (f: Term, ...xs: Term[]) => mkApps(f, xs);
const imp = mkArrow;

/** Lean reports these for anything that uses excluded middle (Classical.em is proved from them). */
export const CLASSICAL_AXIOMS: readonly string[] = ['Classical.choice', 'Quot.sound', 'propext'];

function trusted(env: Env, name: string, kind: 'axiom' | 'inductive' | 'ctor' | 'rec', type: Term, axioms: readonly string[] = []): void {
  env.addTrusted({ name, kind, numLevels: 0, type: () => type, axioms });
}

export function buildPrelude(): Env {
  const env = new Env();
  const ZERO = mkLit(0);
  const succ = (n: Term) => mkApp(c('Nat.succ'), n);
  // Nat
  trusted(env, 'Nat', 'inductive', TYPE);
  trusted(env, 'Nat.zero', 'ctor', NAT);
  trusted(env, 'Nat.succ', 'ctor', imp(NAT, NAT));
  env.addTrusted({
    name: 'Nat.rec', kind: 'rec', numLevels: 1, axioms: [],
    type: (ls) => piF('motive', imp(NAT, mkSort(ls[0] ?? 0)), (m) =>
      piF('zero', mkApp(m, ZERO), () =>
        piF('succ', piF('n', NAT, (n) => imp(mkApp(m, n), mkApp(m, succ(n)))), () =>
          piF('t', NAT, (t) => mkApp(m, t)))), 'implicit'),
  });
  // True, False, Empty
  trusted(env, 'True', 'inductive', PROP);
  trusted(env, 'True.intro', 'ctor', c('True'));
  trusted(env, 'False', 'inductive', PROP);
  trusted(env, 'False.elim', 'rec', piF('C', PROP, (C) => imp(c('False'), C), 'implicit'));
  trusted(env, 'Empty', 'inductive', TYPE);
  trusted(env, 'Empty.elim', 'rec', piF('C', PROP, (C) => imp(c('Empty'), C), 'implicit'));
  // And
  trusted(env, 'And', 'inductive', imp(PROP, imp(PROP, PROP)));
  trusted(env, 'And.intro', 'ctor', piF('a', PROP, (a) => piF('b', PROP, (b) =>
    piF('left', a, () => piF('right', b, () => app(c('And'), a, b))), 'implicit'), 'implicit'));
  trusted(env, 'And.rec', 'rec', piF('a', PROP, (a) => piF('b', PROP, (b) => piF('motive', PROP, (m) =>
    piF('intro', imp(a, imp(b, m)), () => piF('t', app(c('And'), a, b), () => m)), 'implicit'), 'implicit'), 'implicit'));
  // Or
  trusted(env, 'Or', 'inductive', imp(PROP, imp(PROP, PROP)));
  trusted(env, 'Or.inl', 'ctor', piF('a', PROP, (a) => piF('b', PROP, (b) => piF('h', a, () => app(c('Or'), a, b)), 'implicit'), 'implicit'));
  trusted(env, 'Or.inr', 'ctor', piF('a', PROP, (a) => piF('b', PROP, (b) => piF('h', b, () => app(c('Or'), a, b)), 'implicit'), 'implicit'));
  trusted(env, 'Or.elim', 'rec', piF('a', PROP, (a) => piF('b', PROP, (b) => piF('c', PROP, (m) =>
    piF('h', app(c('Or'), a, b), () => piF('left', imp(a, m), () => piF('right', imp(b, m), () => m))), 'implicit'), 'implicit'), 'implicit'));
  // Iff
  trusted(env, 'Iff', 'inductive', imp(PROP, imp(PROP, PROP)));
  trusted(env, 'Iff.intro', 'ctor', piF('a', PROP, (a) => piF('b', PROP, (b) =>
    piF('mp', imp(a, b), () => piF('mpr', imp(b, a), () => app(c('Iff'), a, b))), 'implicit'), 'implicit'));
  trusted(env, 'Iff.rec', 'rec', piF('a', PROP, (a) => piF('b', PROP, (b) => piF('motive', PROP, (m) =>
    piF('intro', imp(imp(a, b), imp(imp(b, a), m)), () => piF('t', app(c('Iff'), a, b), () => m)), 'implicit'), 'implicit'), 'implicit'));
  // Exists (over α : Type)
  const predTy = (al: Term) => imp(al, PROP);
  trusted(env, 'Exists', 'inductive', piF('α', TYPE, (al) => imp(predTy(al), PROP), 'implicit'));
  trusted(env, 'Exists.intro', 'ctor', piF('α', TYPE, (al) => piF('p', predTy(al), (p) =>
    piF('w', al, (w) => piF('h', mkApp(p, w), () => app(c('Exists'), al, p))), 'implicit'), 'implicit'));
  trusted(env, 'Exists.elim', 'rec', piF('α', TYPE, (al) => piF('p', predTy(al), (p) => piF('b', PROP, (b) =>
    piF('h₁', app(c('Exists'), al, p), () => piF('h₂', piF('a', al, (x) => imp(mkApp(p, x), b)), () => b)), 'implicit'), 'implicit'), 'implicit'));
  // Eq (over α : Type), with the non-dependent eliminator into Prop
  const eq = (al: Term, x: Term, y: Term) => app(c('Eq'), al, x, y);
  trusted(env, 'Eq', 'inductive', piF('α', TYPE, (al) => imp(al, imp(al, PROP)), 'implicit'));
  trusted(env, 'Eq.refl', 'ctor', piF('α', TYPE, (al) => piF('a', al, (x) => eq(al, x, x)), 'implicit'));
  trusted(env, 'Eq.rec', 'rec', piF('α', TYPE, (al) => piF('a', al, (x) => piF('motive', predTy(al), (m) =>
    piF('refl', mkApp(m, x), () => piF('b', al, (y) => piF('t', eq(al, x, y), () => mkApp(m, y)), 'implicit')), 'implicit'), 'implicit'), 'implicit'));
  // Nat.le, Lean's inductive ≤ with the non-dependent eliminator
  const le = (n: Term, m: Term) => app(c('Nat.le'), n, m);
  trusted(env, 'Nat.le', 'inductive', imp(NAT, imp(NAT, PROP)));
  trusted(env, 'Nat.le.refl', 'ctor', piF('n', NAT, (n) => le(n, n), 'implicit'));
  trusted(env, 'Nat.le.step', 'ctor', piF('n', NAT, (n) => piF('m', NAT, (m) => imp(le(n, m), le(n, succ(m))), 'implicit'), 'implicit'));
  trusted(env, 'Nat.le.rec', 'rec', piF('n', NAT, (n) => piF('motive', imp(NAT, PROP), (mo) =>
    piF('refl', mkApp(mo, n), () => piF('step', piF('m', NAT, (m) => imp(le(n, m), imp(mkApp(mo, m), mkApp(mo, succ(m))))), () =>
      piF('m', NAT, (m) => piF('t', le(n, m), () => mkApp(mo, m)), 'implicit'))), 'implicit'), 'implicit'));
  // Axioms. Classical.em stands for Lean's derivation of it from choice, propext and Quot.sound.
  trusted(env, 'propext', 'axiom', piF('a', PROP, (a) => piF('b', PROP, (b) =>
    imp(app(c('Iff'), a, b), eq(PROP, a, b)), 'implicit'), 'implicit'), ['propext']);
  trusted(env, 'Classical.em', 'axiom', piF('p', PROP, (p) => app(c('Or'), p, imp(p, c('False')))), CLASSICAL_AXIOMS);

  // Definitions, checked by the kernel.
  const def = (name: string, type: Term, value: Term) => env.addChecked(name, 'def', type, value);
  def('Not', imp(PROP, PROP), lamF('a', PROP, (a) => imp(a, c('False'))));
  def('Ne', piF('α', TYPE, (al) => imp(al, imp(al, PROP)), 'implicit'),
    lamF('α', TYPE, (al) => lamF('a', al, (x) => lamF('b', al, (y) => imp(eq(al, x, y), c('False'))))));
  const natRec1 = mkConst('Nat.rec', [1]);
  const constNat = lamF('_', NAT, () => NAT);
  def('Nat.add', imp(NAT, imp(NAT, NAT)), lamF('n', NAT, (n) => lamF('m', NAT, (m) =>
    app(natRec1, constNat, n, lamF('k', NAT, () => lamF('ih', NAT, (ih) => succ(ih))), m))));
  def('Nat.mul', imp(NAT, imp(NAT, NAT)), lamF('n', NAT, (n) => lamF('m', NAT, (m) =>
    app(natRec1, constNat, ZERO, lamF('k', NAT, () => lamF('ih', NAT, (ih) => app(c('Nat.add'), ih, n))), m))));
  def('Nat.pred', imp(NAT, NAT), lamF('n', NAT, (n) =>
    app(natRec1, constNat, ZERO, lamF('k', NAT, (k) => lamF('ih', NAT, () => k)), n)));
  def('Nat.lt', imp(NAT, imp(NAT, PROP)), lamF('n', NAT, (n) => lamF('m', NAT, (m) => le(app(c('Nat.add'), n, mkLit(1)), m))));
  def('GE.ge', imp(NAT, imp(NAT, PROP)), lamF('a', NAT, (a) => lamF('b', NAT, (b) => le(b, a))));
  def('GT.gt', imp(NAT, imp(NAT, PROP)), lamF('a', NAT, (a) => lamF('b', NAT, (b) => app(c('Nat.lt'), b, a))));
  // `Nat.rec (fun _ => Prop) True (fun _ _ => False) n`: the motive that separates 0 from successors.
  def('Nat.isZero', imp(NAT, PROP), lamF('n', NAT, (n) =>
    app(natRec1, lamF('_', NAT, () => PROP), c('True'), lamF('k', NAT, () => lamF('ih', PROP, () => c('False'))), n)));
  return env;
}
