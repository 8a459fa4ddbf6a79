/**
 * The trusted checker (de Bruijn criterion). Everything else in src/proof — parser,
 * elaborator, tactics, omega, simp — only proposes terms; a theorem is accepted only when
 * `checkTheorem` infers the proof term's type and finds it definitionally equal to the
 * statement. Keep this file small and boring.
 *
 * Reduction: beta, delta (definitions only; theorems and axioms never unfold), iota for
 * `Nat.rec` (the only recursor that computes: Prop-valued inductives eliminate only into Prop,
 * where reduction is never needed), and Nat literals with `Nat.succ`/`Nat.add`/`Nat.mul` on
 * literals folded to literals (Lean's kernel does the same with GMP; the results agree with
 * the recursive definitions, which add/mul recurse on their second argument).
 * There is no proof irrelevance and no eta for structures: the checker is at most stricter
 * than Lean's kernel, never looser.
 */
import {
  type Term, type Const, type FVar, type Lam, mkApp, mkApps, mkFVar, mkLam, mkLit, mkPi, mkSort, getAppFn, getAppArgs,
  instantiate, instantiateRev, abstractFVar, abstractFVars, termEq, imax, freshId,
} from './term.js';

export type DeclKind = 'axiom' | 'def' | 'thm' | 'inductive' | 'ctor' | 'rec';

export interface Decl {
  readonly name: string;
  readonly kind: DeclKind;
  /** Number of universe level parameters (only `Nat.rec` has one). */
  readonly numLevels: number;
  readonly type: (levels: readonly number[]) => Term;
  readonly value?: (levels: readonly number[]) => Term;
  /** The axioms this declaration depends on, in Lean's naming (`#print axioms`). */
  readonly axioms: readonly string[];
}

export class KernelError extends Error {
  constructor(message: string) { super(message); this.name = 'KernelError'; }
}

/** Declarations by name. Only `check.ts`/`prelude.ts` add axioms and inductives; definitions and theorems go through `addChecked`. */
export class Env {
  private readonly decls = new Map<string, Decl>();
  get(name: string): Decl | undefined { return this.decls.get(name); }
  has(name: string): boolean { return this.decls.has(name); }
  names(): IterableIterator<string> { return this.decls.keys(); }
  /** A copy sharing the (immutable) declarations: later additions stay local to the copy. */
  clone(): Env {
    const e = new Env();
    for (const [k, v] of this.decls) e.decls.set(k, v);
    return e;
  }
  /** Trusted: for prelude axioms, inductive types, constructors and recursors. */
  addTrusted(d: Decl): void {
    if (this.decls.has(d.name)) throw new KernelError(`declaration ${d.name} already exists`);
    // Even trusted declarations must have well-formed types.
    if (d.numLevels === 0) new TypeChecker(this).ensureSort(d.type([]));
    else for (const u of [0, 1]) new TypeChecker(this).ensureSort(d.type([u]));
    this.decls.set(d.name, d);
  }
  /** Adds a definition or theorem after checking `value : type`; returns the axioms it uses. */
  addChecked(name: string, kind: 'def' | 'thm', type: Term, value: Term): readonly string[] {
    if (this.decls.has(name)) throw new KernelError(`declaration ${name} already exists`);
    const axioms = checkTheorem(this, type, value, kind === 'thm');
    this.decls.set(name, { name, kind, numLevels: 0, type: () => type, value: () => value, axioms });
    return axioms;
  }
}

/** Checks `value : type` for closed terms; returns the sorted axioms used. Throws KernelError. */
export function checkTheorem(env: Env, type: Term, value: Term, mustBeProp: boolean): readonly string[] {
  if (type.lbr > 0 || value.lbr > 0) throw new KernelError('term has loose bound variables');
  if (type.fl !== 0 || value.fl !== 0) throw new KernelError('term has free variables or metavariables');
  const tc = new TypeChecker(env);
  const s = tc.ensureSort(type);
  if (mustBeProp && s !== 0) throw new KernelError('a theorem statement must be a proposition');
  const vt = tc.infer(value);
  if (!tc.isDefEq(vt, type)) throw new KernelError('proof term does not have the stated type');
  const ax = new Set<string>();
  for (const c of tc.usedConsts) for (const a of env.get(c)?.axioms ?? []) ax.add(a);
  return [...ax].sort();
}

export class TypeChecker {
  private readonly lctx = new Map<number, Term>();
  private readonly inferCache = new Map<Term, Term>();
  readonly usedConsts = new Set<string>();
  constructor(private readonly env: Env) {}

  ensureSort(t: Term): number {
    const s = this.whnf(this.infer(t));
    if (s.tag !== 'sort') throw new KernelError('expected a type');
    return s.level;
  }

  private constType(c: Const): Term {
    const d = this.env.get(c.name);
    if (d === undefined) throw new KernelError(`unknown constant ${c.name}`);
    if (c.levels.length !== d.numLevels) throw new KernelError(`wrong number of universe levels for ${c.name}`);
    this.usedConsts.add(c.name);
    return d.type(c.levels);
  }

  infer(t: Term): Term {
    const cached = this.inferCache.get(t);
    if (cached !== undefined) return cached;
    const r = this.inferCore(t);
    this.inferCache.set(t, r);
    return r;
  }

  private inferCore(t: Term): Term {
    switch (t.tag) {
      case 'bvar': throw new KernelError('unexpected bound variable');
      case 'mvar': case 'delayed': throw new KernelError('unexpected metavariable');
      case 'fvar': {
        const ty = this.lctx.get(t.id);
        if (ty === undefined) throw new KernelError('unknown free variable');
        return ty;
      }
      case 'sort': return mkSort(t.level + 1);
      case 'lit': return NAT;
      case 'const': return this.constType(t);
      case 'app': {
        const fn = getAppFn(t);
        const args = getAppArgs(t);
        let ft = this.infer(fn);
        for (const a of args) {
          const p = this.whnf(ft);
          if (p.tag !== 'pi') throw new KernelError('function expected');
          const at = this.infer(a);
          if (!this.isDefEq(at, p.type)) throw new KernelError('application type mismatch');
          ft = instantiate(p.body, a);
        }
        return ft;
      }
      // A chain of binders is opened in one loop (chains can be thousands deep), with the same
      // checks as one level at a time: each binder type is a type in the context of the
      // previous ones, the body is inferred with all of them as fresh locals.
      case 'lam': {
        const lams: Lam[] = [];
        const xs: FVar[] = [];
        let b: Term = t;
        for (; b.tag === 'lam'; b = b.body) {
          const ty = instantiateRev(b.type, xs);
          this.ensureSort(ty);
          const x = mkFVar(freshId());
          this.lctx.set(x.id, ty);
          lams.push(b);
          xs.push(x);
        }
        // The result's binder types are the lambdas' own (abstracting the locals out of their
        // opened types gives them back).
        let r = abstractFVars(this.infer(instantiateRev(b, xs)), xs.map((x) => x.id));
        for (let i = lams.length - 1; i >= 0; i--) r = mkPi(lams[i]!.name, lams[i]!.type, r, lams[i]!.bi);
        return r;
      }
      case 'pi': {
        const levels: number[] = [];
        const xs: FVar[] = [];
        let b: Term = t;
        for (; b.tag === 'pi'; b = b.body) {
          const ty = instantiateRev(b.type, xs);
          levels.push(this.ensureSort(ty));
          const x = mkFVar(freshId());
          this.lctx.set(x.id, ty);
          xs.push(x);
        }
        let v = this.ensureSort(instantiateRev(b, xs));
        for (let i = levels.length - 1; i >= 0; i--) v = imax(levels[i]!, v);
        return mkSort(v);
      }
    }
  }

  /** Beta, Nat.rec iota and literal folding; no delta at the head. */
  whnfCore(t: Term): Term {
    for (;;) {
      if (t.tag === 'const' && t.name === 'Nat.zero') return ZERO;
      if (t.tag !== 'app') return t;
      const fn = getAppFn(t);
      if (fn.tag === 'lam') {
        const args = getAppArgs(t);
        let b: Term = fn;
        let i = 0;
        while (b.tag === 'lam' && i < args.length) { b = instantiate(b.body, args[i]!); i++; }
        t = mkApps(b, args.slice(i));
        continue;
      }
      if (fn.tag !== 'const') return t;
      const args = getAppArgs(t);
      if (fn.name === 'Nat.succ' && args.length === 1) {
        const a = this.whnf(args[0]!);
        return a.tag === 'lit' ? mkLit(a.value + 1) : t;
      }
      if ((fn.name === 'Nat.add' || fn.name === 'Nat.mul') && args.length === 2) {
        const a = this.whnf(args[0]!);
        const b = this.whnf(args[1]!);
        if (a.tag === 'lit' && b.tag === 'lit') {
          const v = fn.name === 'Nat.add' ? a.value + b.value : a.value * b.value;
          if (Number.isSafeInteger(v)) return mkLit(v);
        }
        return t;
      }
      if (fn.name === 'Nat.rec' && args.length >= 4) {
        const major = this.whnf(args[3]!);
        let pred: Term | undefined;
        if (major.tag === 'lit') {
          if (major.value === 0) { t = mkApps(args[1]!, args.slice(4)); continue; }
          pred = mkLit(major.value - 1);
        } else if (major.tag === 'app' && major.fn.tag === 'const' && major.fn.name === 'Nat.succ') {
          pred = major.arg;
        } else return t;
        const rec = mkApps(fn, [args[0]!, args[1]!, args[2]!, pred]);
        t = mkApps(args[2]!, [pred, rec, ...args.slice(4)]);
        continue;
      }
      return t;
    }
  }

  /** Unfolds the head definition once, or returns undefined. */
  private unfold(t: Term): Term | undefined {
    const fn = getAppFn(t);
    if (fn.tag !== 'const') return undefined;
    const d = this.env.get(fn.name);
    if (d === undefined || d.kind !== 'def' || d.value === undefined) return undefined;
    this.usedConsts.add(fn.name);
    return mkApps(d.value(fn.levels), getAppArgs(t));
  }

  whnf(t: Term): Term {
    for (;;) {
      t = this.whnfCore(t);
      const u = this.unfold(t);
      if (u === undefined) return t;
      t = u;
    }
  }

  isDefEq(a: Term, b: Term): boolean {
    if (termEq(a, b)) return true;
    a = this.whnfCore(a);
    b = this.whnfCore(b);
    // Lazy delta: first try equal heads with equal arguments, then unfold.
    for (;;) {
      if (termEq(a, b)) return true;
      const fa = getAppFn(a), fb = getAppFn(b);
      if (fa.tag === 'const' && fb.tag === 'const' && fa.name === fb.name && a.tag === 'app' && b.tag === 'app') {
        const xs = getAppArgs(a), ys = getAppArgs(b);
        if (xs.length === ys.length && xs.every((x, i) => this.isDefEq(x, ys[i]!))) return true;
      }
      const ua = this.unfold(a), ub = this.unfold(b);
      if (ua === undefined && ub === undefined) break;
      if (ua !== undefined) a = this.whnfCore(ua);
      if (ub !== undefined) b = this.whnfCore(ub);
    }
    return this.isDefEqCore(a, b);
  }

  private isDefEqCore(a: Term, b: Term): boolean {
    if (a.tag === 'lit' && b.tag === 'lit') return a.value === b.value;
    if (a.tag === 'lit' || b.tag === 'lit') {
      const [l, o] = a.tag === 'lit' ? [a, b] : [b as Term & { tag: 'lit' }, a];
      if (l.tag !== 'lit') return false;
      if (l.value > 0 && o.tag === 'app' && o.fn.tag === 'const' && o.fn.name === 'Nat.succ') return this.isDefEq(mkLit(l.value - 1), o.arg);
      return false;
    }
    if (a.tag === 'sort' && b.tag === 'sort') return a.level === b.level;
    if (a.tag === 'fvar' && b.tag === 'fvar') return a.id === b.id;
    if (a.tag === 'const' && b.tag === 'const') return a.name === b.name && a.levels.length === b.levels.length && a.levels.every((l, i) => l === b.levels[i]);
    if ((a.tag === 'pi' && b.tag === 'pi') || (a.tag === 'lam' && b.tag === 'lam')) {
      // Binder by binder down both chains in a loop (for a body that is again a binder of the
      // same kind, isDefEq would come straight back here): equal types, then equal bodies.
      const xs: FVar[] = [];
      let p: Term = a, q: Term = b;
      while ((p.tag === 'pi' && q.tag === 'pi') || (p.tag === 'lam' && q.tag === 'lam')) {
        const ty = instantiateRev(p.type, xs);
        if (!this.isDefEq(ty, instantiateRev(q.type, xs))) return false;
        const x = mkFVar(freshId());
        this.lctx.set(x.id, ty);
        xs.push(x);
        p = p.body;
        q = q.body;
      }
      return this.isDefEq(instantiateRev(p, xs), instantiateRev(q, xs));
    }
    if (a.tag === 'lam' || b.tag === 'lam') {
      // Eta: (fun x => f x) =?= f.
      const [l, o] = a.tag === 'lam' ? [a, b] : [b as Term & { tag: 'lam' }, a];
      if (l.tag !== 'lam') return false;
      const id = freshId();
      this.lctx.set(id, l.type);
      const x = mkFVar(id);
      return this.isDefEq(instantiate(l.body, x), mkApp(o, x));
    }
    if (a.tag === 'app' && b.tag === 'app') {
      const xs = getAppArgs(a), ys = getAppArgs(b);
      if (xs.length !== ys.length) return false;
      if (!this.isDefEq(getAppFn(a), getAppFn(b))) return false;
      return xs.every((x, i) => this.isDefEq(x, ys[i]!));
    }
    return false;
  }
}

export const NAT: Term = { tag: 'const', name: 'Nat', levels: [], lbr: 0, fl: 0 };
const ZERO = mkLit(0);

/** Used by prelude.ts to write types with named binders. */
export function piF(name: string, type: Term, body: (x: Term) => Term, bi: 'default' | 'implicit' = 'default'): Term {
  const id = freshId();
  return mkPi(name, type, abstractFVar(body(mkFVar(id)), id), bi);
}
export function lamF(name: string, type: Term, body: (x: Term) => Term): Term {
  const id = freshId();
  return mkLam(name, type, abstractFVar(body(mkFVar(id)), id));
}
