/**
 * Decision procedures plugged into the tactic engine. All of them PRODUCE PROOF TERMS from
 * library lemmas; none is trusted (the checker re-checks the terms).
 *
 * - `decide`: closed propositions built from Nat comparisons of closed terms and ¬ ∧ ∨ → ↔
 *   True False. Numerals are evaluated; `a ≤ b` is proved by `Nat.le_add_right a (b - a)`
 *   (definitionally `a ≤ b`), disequalities by `Nat.ne_of_lt`/`Nat.ne_of_gt`.
 * - `omega`: linear arithmetic over Nat (+, numerals, multiplication by numerals; other
 *   products and applications are atoms). The goal is negated constructively
 *   (`Nat.omega_le`, `Nat.omega_eq`), hypotheses (=, ≤, <, ≥, >, ≠, ¬, ∧, ∨) become facts
 *   `L ≤ R` (disjunctions and ≠ split cases), Fourier–Motzkin finds non-negative multipliers
 *   with Σ μᵢ(Lᵢ − Rᵢ) = d + Σ νⱼxⱼ, d ≥ 1, νⱼ ≥ 0, and the refutation is the term
 *   `Nat.omega_contra` applied to the scaled sum, rewritten by a normalisation proof built
 *   from `Nat.omega_*` lemmas. Rational reasoning only: problems that need integer
 *   tightening (e.g. 2x = 1) are not refuted.
 * - `simp`: rewriting to a fixpoint with a small documented lemma set (below) plus the
 *   given lemmas and hypotheses, then closing `a = a`, `True`, or hypotheses.
 */
import { MetaError } from './meta.js';
import type { Tactic, Expr, RwRule } from './syntax.js';
import { type Ctx, type Tactics, TacticError, c, isApp, mkMVarT } from './tactics.js';
import { type Term, mkApp, mkApps, mkLam, mkLit, getAppFn, getAppArgs, termEq, abstractFVar, HAS_FVAR, HAS_MVAR } from './term.js';
import { NAT, PROP } from './meta.js';

export function installDeciders(t: Tactics): void {
  t.deciders.decide = decideTactic;
  t.deciders.omega = omegaTactic;
  t.deciders.simp = simpTactic;
}

// ---------------------------------------------------------------------------------- decide

const NOT = (p: Term) => mkApp(c('Not'), p);

function decideTactic(t: Tactics, ctx: Ctx, g: number): void {
  const target = t.target(ctx, g);
  if ((target.fl & (HAS_FVAR | HAS_MVAR)) !== 0) t.fail('decide: the proposition has free variables; decide needs a closed proposition', ctx);
  const r = decideProp(t, ctx, target);
  if (!r.value) t.fail(() => `decide: the proposition ${t.show(ctx.m, target, [])} is false`, ctx);
  t.assignGoal(ctx, g, r.proof);
  t.replaceMain(ctx, g, []);
}

interface Decision { readonly value: boolean; readonly proof: Term }

function evalNat(t: Tactics, ctx: Ctx, x: Term): number {
  const w = ctx.m.whnf(x);
  if (w.tag === 'lit') return w.value;
  t.fail('decide: cannot evaluate a Nat expression to a numeral', ctx);
}

function decideProp(t: Tactics, ctx: Ctx, p: Term): Decision {
  const m = ctx.m;
  const w = t.whnfHead(m, p, ['Eq', 'Ne', 'Not', 'And', 'Or', 'Iff', 'True', 'False', 'Nat.le', 'pi']);
  const h = t.headName(w);
  const args = getAppArgs(w);
  switch (h) {
    case 'True': return { value: true, proof: c('True.intro') };
    case 'False': return { value: false, proof: mkLam('h', c('False'), { tag: 'bvar', idx: 0, lbr: 1, fl: 0 }) };
    case 'Eq': {
      if (!m.isDefEq(args[0]!, NAT)) t.fail('decide: only equalities of Nat are decidable here', ctx);
      const a = evalNat(t, ctx, args[1]!), b = evalNat(t, ctx, args[2]!);
      if (a === b) return { value: true, proof: mkApps(c('Eq.refl'), [NAT, args[1]!]) };
      const lt = a < b ? leLit(a + 1, b) : leLit(b + 1, a);
      return { value: false, proof: mkApps(c(a < b ? 'Nat.ne_of_lt' : 'Nat.ne_of_gt'), [args[1]!, args[2]!, lt]) };
    }
    case 'Ne': {
      const d = decideProp(t, ctx, mkApps(c('Eq'), args));
      return negate(d, mkApps(c('Eq'), args));
    }
    case 'Not': {
      const d = decideProp(t, ctx, args[0]!);
      return negate(d, args[0]!);
    }
    case 'Nat.le': {
      const a = evalNat(t, ctx, args[0]!), b = evalNat(t, ctx, args[1]!);
      if (a <= b) return { value: true, proof: leLit(a, b) };
      return { value: false, proof: mkApps(c('Nat.not_le_of_gt'), [args[0]!, args[1]!, leLit(b + 1, a)]) };
    }
    case 'And': {
      const [P, Q] = args as [Term, Term];
      const dp = decideProp(t, ctx, P);
      if (!dp.value) return { value: false, proof: mkLam('h', mkApps(c('And'), [P, Q]), mkApp(dp.proof, mkApps(c('And.left'), [P, Q, bv0]))) };
      const dq = decideProp(t, ctx, Q);
      if (!dq.value) return { value: false, proof: mkLam('h', mkApps(c('And'), [P, Q]), mkApp(dq.proof, mkApps(c('And.right'), [P, Q, bv0]))) };
      return { value: true, proof: mkApps(c('And.intro'), [P, Q, dp.proof, dq.proof]) };
    }
    case 'Or': {
      const [P, Q] = args as [Term, Term];
      const dp = decideProp(t, ctx, P);
      if (dp.value) return { value: true, proof: mkApps(c('Or.inl'), [P, Q, dp.proof]) };
      const dq = decideProp(t, ctx, Q);
      if (dq.value) return { value: true, proof: mkApps(c('Or.inr'), [P, Q, dq.proof]) };
      return { value: false, proof: mkLam('h', mkApps(c('Or'), [P, Q]), mkApps(c('Or.elim'), [P, Q, c('False'), bv0, dp.proof, dq.proof])) };
    }
    case 'Iff': {
      const [P, Q] = args as [Term, Term];
      const dp = decideProp(t, ctx, P), dq = decideProp(t, ctx, Q);
      const imp = (a: Term, b: Term, da: Decision, db: Decision): Term => (db.value ? mkLam('_', a, db.proof) : mkLam('h', a, mkApps(c('False.elim'), [b, mkApp(da.proof, bv0)])));
      if (dp.value === dq.value) return { value: true, proof: mkApps(c('Iff.intro'), [P, Q, imp(P, Q, dp, dq), imp(Q, P, dq, dp)]) };
      // P true, Q false (or the converse): the iff would give the false side.
      const proof = dp.value
        ? mkLam('h', mkApps(c('Iff'), [P, Q]), mkApp(dq.proof, mkApps(c('Iff.mp'), [P, Q, bv0, dp.proof])))
        : mkLam('h', mkApps(c('Iff'), [P, Q]), mkApp(dp.proof, mkApps(c('Iff.mpr'), [P, Q, bv0, dq.proof])));
      return { value: false, proof };
    }
    case 'pi': {
      if (w.tag !== 'pi' || w.body.lbr > 0 || !m.isProp(w.type)) t.fail('decide: quantifiers are not decidable', ctx);
      const P = w.type, Q = w.body;
      const dp = decideProp(t, ctx, P);
      if (!dp.value) return { value: true, proof: mkLam('h', P, mkApps(c('False.elim'), [Q, mkApp(dp.proof, bv0)])) };
      const dq = decideProp(t, ctx, Q);
      if (dq.value) return { value: true, proof: mkLam('_', P, dq.proof) };
      return { value: false, proof: mkLam('h', w, mkApp(dq.proof, mkApp(bv0, dp.proof))) };
    }
    default: t.fail(() => `decide: cannot decide ${t.show(m, p, [])}`, ctx);
  }
}

const bv0: Term = { tag: 'bvar', idx: 0, lbr: 1, fl: 0 };

/** A decision for P turned into one for ¬P. */
function negate(d: Decision, p: Term): Decision {
  if (d.value) return { value: false, proof: mkLam('h', NOT(p), mkApp(bv0, d.proof)) };
  return { value: true, proof: d.proof };
}

/** `a ≤ b` for literals a ≤ b: `Nat.le_add_right a (b - a)`, definitionally `a ≤ b`. */
function leLit(a: number, b: number): Term {
  return mkApps(c('Nat.le_add_right'), [mkLit(a), mkLit(b - a)]);
}

// ---------------------------------------------------------------------------------- omega

/** A linear form: coefficients by atom index, plus a constant. */
interface Lin { readonly coef: Map<number, number>; readonly k: number }
interface Fact { readonly proof: Term; readonly lhs: Term; readonly rhs: Term }

class Atoms {
  readonly terms: Term[] = [];
  index(t: Term): number {
    const i = this.terms.findIndex((u) => termEq(u, t));
    if (i >= 0) return i;
    this.terms.push(t);
    return this.terms.length - 1;
  }
}

function omegaTactic(t: Tactics, ctx: Ctx, g: number): void {
  const m = ctx.m;
  const target = t.target(ctx, g);
  const lctx = t.lctx(ctx, g);
  const atoms = new Atoms();
  const hypFacts: { proof: Term; type: Term }[] = lctx.map((id) => ({ proof: m.localDecl(id).fvar, type: m.instantiate(m.localDecl(id).type) }));
  const proof = proveGoal(t, ctx, target, hypFacts, atoms, 0);
  t.assignGoal(ctx, g, proof);
  t.replaceMain(ctx, g, []);
}

/** Proves `goal` (an arithmetic proposition) from the hypotheses. */
function proveGoal(t: Tactics, ctx: Ctx, goal: Term, hyps: readonly { proof: Term; type: Term }[], atoms: Atoms, depth: number): Term {
  const m = ctx.m;
  if (depth > 8) t.fail('omega: goal too deeply nested', ctx);
  const w = t.whnfHead(m, goal, ['Eq', 'Nat.le', 'False', 'And', 'Iff', 'pi', 'Ne', 'Not']);
  const h = t.headName(w);
  const args = getAppArgs(w);
  const withHyp = (name: string, type: Term, body: (x: Term) => Term): Term => {
    const x = m.mkLocal(name, type);
    return mkLam(name, type, abstractFVar(body(x), x.id));
  };
  switch (h) {
    case 'False': return refute(t, ctx, hyps, atoms);
    case 'Nat.le': {
      const [a, b] = args as [Term, Term];
      const neg = mkApps(c('Nat.le'), [add1(b), a]);
      return mkApps(c('Nat.omega_le'), [a, b, withHyp('h', neg, (x) => refute(t, ctx, [...hyps, { proof: x, type: neg }], atoms))]);
    }
    case 'Eq': {
      if (!m.isDefEq(args[0]!, NAT)) t.fail('omega: only equalities of natural numbers are supported', ctx);
      const [, a, b] = args as [Term, Term, Term];
      const n1 = mkApps(c('Nat.le'), [add1(a), b]), n2 = mkApps(c('Nat.le'), [add1(b), a]);
      return mkApps(c('Nat.omega_eq'), [a, b,
        withHyp('h', n1, (x) => refute(t, ctx, [...hyps, { proof: x, type: n1 }], atoms)),
        withHyp('h', n2, (x) => refute(t, ctx, [...hyps, { proof: x, type: n2 }], atoms))]);
    }
    case 'And': {
      const [P, Q] = args as [Term, Term];
      return mkApps(c('And.intro'), [P, Q, proveGoal(t, ctx, P, hyps, atoms, depth + 1), proveGoal(t, ctx, Q, hyps, atoms, depth + 1)]);
    }
    case 'Iff': {
      const [P, Q] = args as [Term, Term];
      const mp = withHyp('h', P, (x) => proveGoal(t, ctx, Q, [...hyps, { proof: x, type: P }], atoms, depth + 1));
      const mpr = withHyp('h', Q, (x) => proveGoal(t, ctx, P, [...hyps, { proof: x, type: Q }], atoms, depth + 1));
      return mkApps(c('Iff.intro'), [P, Q, mp, mpr]);
    }
    default: {
      const pi = m.whnfUntil(w, (x) => x.tag === 'pi');
      if (pi.tag === 'pi' && pi.body.lbr === 0 && m.isProp(pi.type)) {
        return withHyp('h', pi.type, (x) => proveGoal(t, ctx, pi.body, [...hyps, { proof: x, type: pi.type }], atoms, depth + 1));
      }
      t.fail(() => `omega: the goal ${t.show(m, goal, [])} is not a linear arithmetic fact over Nat`, ctx);
    }
  }
}

const add1 = (x: Term) => mkApps(c('Nat.add'), [x, mkLit(1)]);

/** Derives False from the hypotheses: splits disjunctions, then linear refutation. */
function refute(t: Tactics, ctx: Ctx, hyps: readonly { proof: Term; type: Term }[], atoms: Atoms): Term {
  const facts: Fact[] = [];
  const splits: { proof: Term; left: Term; right: Term }[] = [];
  const m = ctx.m;
  const visit = (proof: Term, type: Term, depth: number): Term | undefined => {
    if (depth > 6) return undefined;
    const w = t.whnfHead(m, type, ['Eq', 'Nat.le', 'False', 'And', 'Or', 'Ne', 'Not', 'Iff']);
    const h = t.headName(w);
    const a = getAppArgs(w);
    switch (h) {
      case 'False': return proof;
      case 'Nat.le': facts.push({ proof, lhs: a[0]!, rhs: a[1]! }); return undefined;
      case 'Eq': {
        if (!isNat(m, a[0]!)) return undefined;
        facts.push({ proof: mkApps(c('Nat.le_of_eq'), [a[1]!, a[2]!, proof]), lhs: a[1]!, rhs: a[2]! });
        facts.push({ proof: mkApps(c('Nat.le_of_eq'), [a[2]!, a[1]!, mkApps(c('Eq.symm'), [NAT, a[1]!, a[2]!, proof])]), lhs: a[2]!, rhs: a[1]! });
        return undefined;
      }
      case 'And': {
        const [P, Q] = a as [Term, Term];
        return visit(mkApps(c('And.left'), [P, Q, proof]), P, depth + 1) ?? visit(mkApps(c('And.right'), [P, Q, proof]), Q, depth + 1);
      }
      case 'Or': {
        if (isArith(t, ctx, a[0]!) && isArith(t, ctx, a[1]!)) splits.push({ proof, left: a[0]!, right: a[1]! });
        return undefined;
      }
      case 'Ne': case 'Not': {
        // ¬P: ≠ splits into < or >; ¬(a ≤ b) gives b < a.
        const inner = h === 'Ne' ? mkApps(c('Eq'), a) : a[0]!;
        const iw = t.whnfHead(m, inner, ['Eq', 'Nat.le']);
        const ia = getAppArgs(iw);
        if (t.headName(iw) === 'Eq' && isNat(m, ia[0]!)) {
          const [, x, y] = ia as [Term, Term, Term];
          splits.push({ proof: mkApps(c('Nat.lt_or_gt_of_ne'), [x, y, proof]), left: mkApps(c('Nat.le'), [add1(x), y]), right: mkApps(c('Nat.le'), [add1(y), x]) });
        } else if (t.headName(iw) === 'Nat.le') {
          const [x, y] = ia as [Term, Term];
          facts.push({ proof: mkApps(c('Nat.gt_of_not_le'), [x, y, proof]), lhs: add1(y), rhs: x });
        }
        return undefined;
      }
      default: return undefined;
    }
  };
  for (const hy of hyps) {
    const f = visit(hy.proof, hy.type, 0);
    if (f !== undefined) return f;
  }
  const direct = linearRefutation(t, ctx, facts, atoms);
  if (direct !== undefined) return direct;
  const s = splits[0];
  if (s === undefined || hyps.length > 64) t.fail('omega could not prove the goal (no linear combination of the facts is contradictory)', ctx);
  const rest = hyps.filter((x) => x.proof !== s.proof);
  const branch = (type: Term) => {
    const x = m.mkLocal('h', type);
    return mkLam('h', type, abstractFVar(refute(t, ctx, [...rest.filter((y) => !sameSplit(y, s.proof)), { proof: x, type }], atoms), x.id));
  };
  return mkApps(c('Or.elim'), [s.left, s.right, c('False'), s.proof, branch(s.left), branch(s.right)]);
}

function sameSplit(h: { proof: Term }, p: Term): boolean {
  // A ≠ hypothesis h is split through `Nat.lt_or_gt_of_ne x y h`; drop h itself.
  return termEq(h.proof, p) || (getAppArgs(p).length === 3 && termEq(getAppArgs(p)[2]!, h.proof));
}

function isNat(m: Ctx['m'], ty: Term): boolean { return termEq(m.instantiate(ty), NAT) || m.isDefEq(ty, NAT); }
function isArith(t: Tactics, ctx: Ctx, p: Term): boolean {
  const w = t.whnfHead(ctx.m, p, ['Eq', 'Nat.le', 'Ne', 'Not']);
  const h = t.headName(w);
  return h === 'Nat.le' || h === 'Ne' || h === 'Not' || (h === 'Eq' && isNat(ctx.m, getAppArgs(w)[0]!));
}

/** The linear form of a Nat term (atoms for anything non-linear). */
function linearize(ctx: Ctx, x: Term, atoms: Atoms): Lin {
  const m = ctx.m;
  const t = m.instantiate(x);
  if (t.tag === 'lit') return { coef: new Map(), k: t.value };
  if (t.tag === 'const' && t.name === 'Nat.zero') return { coef: new Map(), k: 0 };
  const h = getAppFn(t);
  const args = getAppArgs(t);
  if (h.tag === 'const') {
    if (h.name === 'Nat.add' && args.length === 2) return addLin(linearize(ctx, args[0]!, atoms), linearize(ctx, args[1]!, atoms));
    if (h.name === 'Nat.succ' && args.length === 1) return addLin(linearize(ctx, args[0]!, atoms), { coef: new Map(), k: 1 });
    if (h.name === 'Nat.mul' && args.length === 2) {
      const a = linearize(ctx, args[0]!, atoms), b = linearize(ctx, args[1]!, atoms);
      if (a.coef.size === 0) return scaleLin(b, a.k);
      if (b.coef.size === 0) return scaleLin(a, b.k);
    }
  }
  const coef = new Map<number, number>();
  coef.set(atoms.index(t), 1);
  return { coef, k: 0 };
}
function addLin(a: Lin, b: Lin): Lin {
  const coef = new Map(a.coef);
  for (const [i, v] of b.coef) coef.set(i, (coef.get(i) ?? 0) + v);
  for (const [i, v] of coef) if (v === 0) coef.delete(i);
  return { coef, k: a.k + b.k };
}
function scaleLin(a: Lin, s: number): Lin {
  const coef = new Map<number, number>();
  if (s !== 0) for (const [i, v] of a.coef) coef.set(i, v * s);
  return { coef, k: a.k * s };
}

function gcd(a: number, b: number): number { a = Math.abs(a); b = Math.abs(b); while (b) [a, b] = [b, a % b]; return a; }

/** Fourier–Motzkin over constraints Σ e x + e0 ≥ 0, tracking multipliers of the facts. */
function findMultipliers(forms: readonly Lin[], natoms: number): number[] | undefined {
  interface Row { e: number[]; e0: number; mu: number[] }
  const nf = forms.length;
  let rows: Row[] = forms.map((f, i) => {
    const e = new Array<number>(natoms).fill(0);
    for (const [j, v] of f.coef) e[j] = v;
    const mu = new Array<number>(nf).fill(0);
    mu[i] = 1;
    return { e, e0: f.k, mu };
  });
  // x_j ≥ 0 for every atom (multipliers absorbed: not tracked).
  for (let j = 0; j < natoms; j++) {
    const e = new Array<number>(natoms).fill(0);
    e[j] = 1;
    rows.push({ e, e0: 0, mu: new Array<number>(nf).fill(0) });
  }
  const check = (): number[] | undefined => {
    for (const r of rows) if (r.e.every((v) => v === 0) && r.e0 < 0) return r.mu;
    return undefined;
  };
  let found = check();
  for (let j = 0; j < natoms && found === undefined; j++) {
    const pos = rows.filter((r) => r.e[j]! > 0), neg = rows.filter((r) => r.e[j]! < 0), zero = rows.filter((r) => r.e[j] === 0);
    const next: Row[] = [...zero];
    for (const p of pos) for (const n of neg) {
      const a = -n.e[j]!, b = p.e[j]!;
      const e = p.e.map((v, i) => a * v + b * n.e[i]!);
      const e0 = a * p.e0 + b * n.e0;
      const mu = p.mu.map((v, i) => a * v + b * n.mu[i]!);
      let g = Math.abs(e0);
      for (const v of e) g = gcd(g, v);
      for (const v of mu) g = gcd(g, v);
      const div = g > 1 ? g : 1;
      next.push({ e: e.map((v) => v / div), e0: e0 / div, mu: mu.map((v) => v / div) });
      if (next.length > 4000) return undefined;
    }
    rows = next;
    found = check();
  }
  return found;
}

function linearRefutation(t: Tactics, ctx: Ctx, facts: readonly Fact[], atoms: Atoms): Term | undefined {
  if (facts.length === 0) return undefined;
  // Constraint for fact L ≤ R: R − L ≥ 0.
  const diffs = facts.map((f) => addLin(linearize(ctx, f.rhs, atoms), scaleLin(linearize(ctx, f.lhs, atoms), -1)));
  const mu = findMultipliers(diffs, atoms.terms.length);
  if (mu === undefined) return undefined;
  // D = Σ μ (L − R) must have non-negative coefficients and constant ≥ 1 (recomputed, not trusted).
  let D: Lin = { coef: new Map(), k: 0 };
  mu.forEach((v, i) => { if (v !== 0) D = addLin(D, scaleLin(diffs[i]!, -v)); });
  if (D.k < 1 || [...D.coef.values()].some((v) => v < 0) || mu.some((v) => v < 0 || !Number.isSafeInteger(v))) return undefined;
  // Scaled sum: P ≤ Q.
  let P: Term | undefined, Q: Term | undefined, pf: Term | undefined;
  mu.forEach((v, i) => {
    if (v === 0) return;
    const f = facts[i]!;
    let l = f.lhs, r = f.rhs, p = f.proof;
    if (v !== 1) { p = mkApps(c('Nat.mul_le_mul_left'), [l, r, mkLit(v), p]); l = mkApps(c('Nat.mul'), [mkLit(v), l]); r = mkApps(c('Nat.mul'), [mkLit(v), r]); }
    if (P === undefined) { P = l; Q = r; pf = p; } else {
      pf = mkApps(c('Nat.add_le_add'), [P, Q!, l, r, pf!, p]);
      P = mkApps(c('Nat.add'), [P, l]); Q = mkApps(c('Nat.add'), [Q!, r]);
    }
  });
  // E with Q + (E + 1) = P.
  let E: Term = mkLit(D.k - 1);
  for (const [j, v] of [...D.coef.entries()].sort((a, b) => b[0] - a[0])) if (v > 0) E = mkApps(c('Nat.add'), [mkApps(c('Nat.mul'), [atoms.terms[j]!, mkLit(v)]), E]);
  const QE = mkApps(c('Nat.add'), [Q!, add1(E)]);
  const norm = new Normalizer(ctx, atoms);
  const [nP, pP] = norm.norm(P!);
  const [nQ, pQ] = norm.norm(QE);
  if (!termEq(nP, nQ)) t.fail('omega: internal normalisation mismatch', ctx);
  const eq = trans(P!, nP, QE, pP, symm(QE, nP, pQ));
  // Q + (E + 1) ≤ Q from P ≤ Q and P = Q + (E + 1).
  const motive = mkLam('x', NAT, mkApps(c('Nat.le'), [bv0, Q!]));
  const h = mkApps(c('Eq.rec'), [NAT, P!, motive, pf!, QE, eq]);
  return mkApps(c('Nat.omega_contra'), [Q!, E, h]);
}

const eqT = (a: Term, b: Term) => mkApps(c('Eq'), [NAT, a, b]);
const refl = (a: Term) => mkApps(c('Eq.refl'), [NAT, a]);
const symm = (a: Term, b: Term, p: Term) => mkApps(c('Eq.symm'), [NAT, a, b, p]);
function trans(a: Term, b: Term, cc: Term, p: Term, q: Term): Term {
  return mkApps(c('Eq.trans'), [NAT, a, b, cc, p, q]);
}
const plus = (a: Term, b: Term) => mkApps(c('Nat.add'), [a, b]);
const times = (a: Term, b: Term) => mkApps(c('Nat.mul'), [a, b]);

/**
 * Proof-producing normalisation of linear Nat terms to `x₁ * c₁ + (x₂ * c₂ + (... + k))`
 * (atoms in index order, coefficients ≥ 1).
 */
class Normalizer {
  constructor(readonly ctx: Ctx, readonly atoms: Atoms) {}

  /** [normal form, proof of t = nf]. */
  norm(x: Term): [Term, Term] {
    const t = this.ctx.m.instantiate(x);
    if (t.tag === 'lit') return [t, refl(t)];
    if (t.tag === 'const' && t.name === 'Nat.zero') return [mkLit(0), refl(mkLit(0))];
    const h = getAppFn(t);
    const args = getAppArgs(t);
    if (h.tag === 'const') {
      if ((h.name === 'Nat.add' && args.length === 2) || (h.name === 'Nat.succ' && args.length === 1)) {
        const [a, b] = h.name === 'Nat.add' ? (args as [Term, Term]) : [args[0]!, mkLit(1)];
        const [A, pa] = this.norm(a);
        const [B, pb] = this.norm(b);
        const p1 = mkApps(c('Nat.omega_add_congr'), [a, b, A, B, pa, pb]); // a + b = A + B (succ a ≡ a + 1)
        const [N, p2] = this.merge(A, B);
        return [N, trans(plus(a, b), plus(A, B), N, p1, p2)];
      }
      if (h.name === 'Nat.mul' && args.length === 2) {
        const la = linearize(this.ctx, args[0]!, this.atoms), lb = linearize(this.ctx, args[1]!, this.atoms);
        if (la.coef.size === 0 || lb.coef.size === 0) {
          let [k, b] = args as [Term, Term];
          let pre: Term | undefined; // proof of t = k * b when commuted
          if (la.coef.size !== 0) { pre = mkApps(c('Nat.mul_comm'), [k, b]); [k, b] = [b, k]; }
          const [K, pk] = this.norm(k);
          const [B, pb] = this.norm(b);
          // k * b = K * b = K * B
          const p1 = mkApps(c('Nat.omega_mul_congr'), [k, b, K, B, pk, pb]);
          const [N, p2] = this.scale(K, B);
          let p = trans(times(k, b), times(K, B), N, p1, p2);
          if (pre !== undefined) p = trans(t, times(k, b), N, pre, p);
          return [N, p];
        }
      }
    }
    // Atom: x = x * 1 + 0.
    this.atoms.index(t);
    const nf = plus(times(t, mkLit(1)), mkLit(0));
    return [nf, mkApps(c('Nat.omega_atom'), [t])];
  }

  private atomOf(mon: Term): number { return this.atoms.index(getAppArgs(mon)[0]!); }

  /** [nf, proof of A + B = nf] for normal forms A, B. */
  private merge(A: Term, B: Term): [Term, Term] {
    if (A.tag === 'lit' && B.tag === 'lit') {
      const n = mkLit(A.value + B.value);
      return [n, refl(n)]; // A + B ≡ n by literal arithmetic
    }
    if (A.tag === 'lit') {
      const [m2, B2] = getAppArgs(B) as [Term, Term];
      // k + (m + B') = m + (k + B')
      const p1 = mkApps(c('Nat.add_left_comm'), [A, m2, B2]);
      const [N, p2] = this.merge(A, B2);
      return [plus(m2, N), trans(plus(A, B), plus(m2, plus(A, B2)), plus(m2, N), p1, this.congrAdd(m2, plus(A, B2), N, p2))];
    }
    if (B.tag === 'lit') {
      const [m1, A2] = getAppArgs(A) as [Term, Term];
      const p1 = mkApps(c('Nat.add_assoc'), [m1, A2, B]);
      const [N, p2] = this.merge(A2, B);
      return [plus(m1, N), trans(plus(A, B), plus(m1, plus(A2, B)), plus(m1, N), p1, this.congrAdd(m1, plus(A2, B), N, p2))];
    }
    const [m1, A2] = getAppArgs(A) as [Term, Term];
    const [m2, B2] = getAppArgs(B) as [Term, Term];
    const i1 = this.atomOf(m1), i2 = this.atomOf(m2);
    if (i1 < i2) {
      const p1 = mkApps(c('Nat.add_assoc'), [m1, A2, B]);
      const [N, p2] = this.merge(A2, B);
      return [plus(m1, N), trans(plus(A, B), plus(m1, plus(A2, B)), plus(m1, N), p1, this.congrAdd(m1, plus(A2, B), N, p2))];
    }
    if (i1 > i2) {
      const p1 = mkApps(c('Nat.add_left_comm'), [A, m2, B2]);
      const [N, p2] = this.merge(A, B2);
      return [plus(m2, N), trans(plus(A, B), plus(m2, plus(A, B2)), plus(m2, N), p1, this.congrAdd(m2, plus(A, B2), N, p2))];
    }
    const [x, c1] = getAppArgs(m1) as [Term, Term];
    const [, c2] = getAppArgs(m2) as [Term, Term];
    const cs = mkLit((c1 as Term & { tag: 'lit' }).value + (c2 as Term & { tag: 'lit' }).value);
    const mon = times(x, cs);
    // (x*c1 + A') + (x*c2 + B') = x*(c1+c2) + (A' + B'), and x*(c1+c2) ≡ x*cs.
    const p1 = mkApps(c('Nat.omega_merge'), [x, c1, c2, A2, B2]);
    const [N, p2] = this.merge(A2, B2);
    return [plus(mon, N), trans(plus(A, B), plus(mon, plus(A2, B2)), plus(mon, N), p1, this.congrAdd(mon, plus(A2, B2), N, p2))];
  }

  /** [nf, proof of K * B = nf] for a literal K and normal form B. */
  private scale(K: Term, B: Term): [Term, Term] {
    const k = (K as Term & { tag: 'lit' }).value;
    if (k === 0) {
      return [mkLit(0), mkApps(c('Nat.zero_mul'), [B])];
    }
    if (B.tag === 'lit') { const n = mkLit(k * B.value); return [n, refl(n)]; }
    const [mon, B2] = getAppArgs(B) as [Term, Term];
    const [x, d] = getAppArgs(mon) as [Term, Term];
    const cd = mkLit(k * (d as Term & { tag: 'lit' }).value);
    const p1 = mkApps(c('Nat.omega_scale'), [K, x, d, B2]); // K * (x*d + B') = x*(K*d) + K*B'
    const [N, p2] = this.scale(K, B2);
    const m2 = times(x, cd);
    return [plus(m2, N), trans(times(K, B), plus(m2, times(K, B2)), plus(m2, N), p1, this.congrAdd(m2, times(K, B2), N, p2))];
  }

  /** m + a = m + b from a = b. */
  private congrAdd(mon: Term, a: Term, b: Term, p: Term): Term {
    const f = mkLam('y', NAT, plus(mon, bv0));
    return mkApps(c('congrArg'), [NAT, NAT, a, b, f, p]);
  }
}
void eqT;

// ---------------------------------------------------------------------------------- simp

/** The default simp set: arithmetic identities (every lemma is proved in library.ts). */
export const SIMP_LEMMAS: readonly string[] = [
  'Nat.add_zero', 'Nat.zero_add', 'Nat.mul_zero', 'Nat.zero_mul', 'Nat.mul_one', 'Nat.one_mul',
  'Nat.succ_ne_zero_iff', 'and_true', 'true_and', 'and_self', 'or_self', 'not_true_eq_false', 'eq_self_iff_true',
];

function simpTactic(t: Tactics, ctx: Ctx, g: number, tac: Tactic & { k: 'simp' }): void {
  const m = ctx.m;
  const pos = tac.pos;
  const rules: RwRule[] = [];
  if (!tac.only) for (const n of SIMP_LEMMAS) if (t.env.has(n)) rules.push({ rev: false, e: { k: 'ident', name: n, pos } as Expr });
  rules.push(...tac.lemmas);
  const locs: readonly (string | undefined)[] = tac.at === undefined ? [undefined] : tac.at;
  let progress = false;
  for (const at of locs) {
    for (let iter = 0; iter < 64; iter++) {
      const goal = ctx.goals.find((x) => !m.isAssigned(x));
      if (goal === undefined) break;
      const before = at === undefined ? t.target(ctx, goal) : undefined;
      let changed = false;
      for (const r of rules) {
        const saved = new Map(m.assign);
        const goals = [...ctx.goals];
        try {
          t.rewrite(ctx, r, at);
          const g2 = t.mainGoal(ctx);
          const after = at === undefined ? t.target(ctx, g2) : undefined;
          if (before !== undefined && after !== undefined && termEq(before, after)) throw new TacticError('no change');
          changed = true;
          break;
        } catch (e) {
          if (!(e instanceof TacticError) && !(e instanceof MetaError)) throw e;
          m.restore(saved);
          ctx.goals = goals;
        }
      }
      if (!changed) break;
      progress = true;
    }
  }
  const g2 = ctx.goals.find((x) => !m.isAssigned(x));
  if (g2 === undefined) return;
  if (tac.at === undefined || progress) {
    if (closeTrivially(t, ctx, g2)) return;
  }
  if (!progress) t.fail('simp made no progress', ctx);
}

function closeTrivially(t: Tactics, ctx: Ctx, g: number): boolean {
  const m = ctx.m;
  const target = t.target(ctx, g);
  if (isApp(target, 'Eq', 3)) {
    const [, a, b] = getAppArgs(target) as [Term, Term, Term];
    const closed = (a.fl & (HAS_FVAR | HAS_MVAR)) === 0 && (b.fl & (HAS_FVAR | HAS_MVAR)) === 0;
    if (termEq(a, b) || (closed && m.isDefEq(a, b))) {
      t.assignGoal(ctx, g, mkApps(c('Eq.refl'), [getAppArgs(target)[0]!, a]));
      t.replaceMain(ctx, g, []);
      return true;
    }
  }
  return t.tryClose(ctx, g, ['True.intro', 'assumption']);
}
void PROP; void mkMVarT;
