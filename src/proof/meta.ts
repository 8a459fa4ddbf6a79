/**
 * Metavariable context, type inference, reduction and unification for the (untrusted)
 * elaborator and tactics. Mirrors check.ts, plus metavariables: whatever this file gets wrong
 * is caught by the checker when the finished term is verified.
 */
import type { Env } from './check.js';
import {
  type Term, type FVar, mkApp, mkApps, mkBVar, mkFVar, mkMVar, mkLam, mkLit, mkPi, mkSort, getAppFn, getAppArgs,
  instantiate, abstractFVar, termEq, imax, freshId, HAS_MVAR, HAS_FVAR, mkConst, hasFVarId, mapSharing,
} from './term.js';

export interface LocalDecl { readonly fvar: FVar; readonly name: string; readonly type: Term }
export interface MVarDecl {
  readonly id: number;
  /** Visible locals, in order (fvar ids). */
  readonly lctx: readonly number[];
  readonly type: Term;
  readonly kind: 'natural' | 'goal';
  /** Case tag for goals (`zero`, `succ`, `inl`, ...). */
  readonly tag?: string;
}

const NO_LOCALS: readonly number[] = [];

/** Append-only registries shared by all states of one proof: ids are never reused. */
export class Registry {
  readonly fvars = new Map<number, LocalDecl>();
  readonly mvars = new Map<number, MVarDecl>();
  /** Ids of the locals declared under each name: name lookups compare ids, not declarations. */
  readonly byName = new Map<string, number[]>();
  /** Metavariables made since `startTactic`. */
  private made: number[] = [];
  noteMade(id: number): void { this.made.push(id); }
  startTactic(): void { this.made = []; }
  /**
   * Forgets the local contexts of the metavariables made since `startTactic` that `isAssigned`
   * says are assigned: a context is only consulted to assign its metavariable, and every binder
   * of every term makes a metavariable-holding copy of the context (on long scripts, most of the
   * heap). Only after a whole tactic has succeeded, for the state it produced: those
   * metavariables appear in no other state (metavariables made before, such as the goal the
   * tactic closed, keep theirs: the state before the tactic still needs them).
   */
  releaseAssigned(isAssigned: (id: number) => boolean): void {
    for (const id of this.made) {
      const d = this.mvars.get(id);
      if (d !== undefined && d.lctx.length > 0 && isAssigned(id)) this.mvars.set(id, { ...d, lctx: NO_LOCALS });
    }
    this.made = [];
  }
}

/**
 * A metavariable assignment with an undo trail: `save()` is O(1) and `restore(cp)` undoes only
 * the writes made since, so speculative unification costs what it writes, not the size of the
 * whole proof's assignment (copying the map at every try made long scripts quadratic).
 */
export class Assignment extends Map<number, Term> {
  /** [id, previous value] per write. Entries copied in by the constructor are not on it: the field is initialised after Map's constructor has run. */
  private trail: [number, Term | undefined][] | undefined;
  override set(id: number, v: Term): this {
    (this.trail ??= []).push([id, super.get(id)]);
    return super.set(id, v);
  }
  override delete(id: number): boolean {
    if (!super.has(id)) return false;
    (this.trail ??= []).push([id, super.get(id)]);
    return super.delete(id);
  }
  override clear(): void {
    for (const k of [...super.keys()]) this.delete(k);
  }
  save(): number { return this.trail?.length ?? 0; }
  /** Undoes every write made after `save()` returned `cp`. */
  undo(cp: number): void {
    const tr = this.trail;
    if (tr === undefined) return;
    while (tr.length > cp) {
      const [id, prev] = tr.pop()!;
      if (prev === undefined) super.delete(id);
      else super.set(id, prev);
    }
  }
}

/** A saved assignment: a trail position of `Meta.assign` (or a full copy, the older form). */
export type Checkpoint = number | ReadonlyMap<number, Term>;

export class MetaError extends Error {
  constructor(message: string) {
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    super(message);
    Error.stackTraceLimit = limit;
    this.name = 'MetaError';
  }
}

export const NAT = mkConst('Nat');
export const PROP = mkSort(0);

export class Meta {
  /**
   * Reducible transparency (as Lean's `rw`/`simp` matching): no definition is unfolded, so
   * `n * 1` does not match `1 * ?n` although the two are definitionally equal.
   */
  reducible = false;
  readonly assign: Assignment;
  /** `assign` is taken over (not copied) when it is already an Assignment. */
  constructor(readonly env: Env, readonly reg: Registry, assign: ReadonlyMap<number, Term>) {
    this.assign = assign instanceof Assignment ? assign : new Assignment(assign);
  }

  /** O(1) snapshot of the assignment, for `restore`. */
  save(): number { return this.assign.save(); }

  withReducible<T>(f: () => T): T {
    const old = this.reducible;
    this.reducible = true;
    try { return f(); } finally { this.reducible = old; }
  }

  // ------------------------------------------------------------------ contexts

  mkLocal(name: string, type: Term): FVar {
    const f = mkFVar(freshId());
    this.reg.fvars.set(f.id, { fvar: f, name, type });
    const same = this.reg.byName.get(name);
    if (same === undefined) this.reg.byName.set(name, [f.id]);
    else same.push(f.id);
    return f;
  }
  localDecl(id: number): LocalDecl {
    const d = this.reg.fvars.get(id);
    if (d === undefined) throw new MetaError('unknown local');
    return d;
  }
  mkMVar(type: Term, lctx: readonly number[], kind: 'natural' | 'goal' = 'natural', tag?: string): Term {
    const id = freshId();
    this.reg.mvars.set(id, { id, lctx, type, kind, tag });
    this.reg.noteMade(id);
    return mkMVar(id);
  }
  mvarDecl(id: number): MVarDecl {
    const d = this.reg.mvars.get(id);
    if (d === undefined) throw new MetaError('unknown metavariable');
    return d;
  }
  isAssigned(id: number): boolean { return this.assign.has(id); }

  // ------------------------------------------------------------------ instantiation

  instantiate(t: Term): Term {
    if ((t.fl & HAS_MVAR) === 0) return t;
    return this.inst(t, undefined, 0);
  }

  /**
   * Instantiates assigned metavariables. `bound` maps the locals of the delayed assignments
   * being opened (`fun xs => ?m`) to the depth of their binder, so that one pass both
   * instantiates `?m` and turns the xs into bound variables; abstracting each level's body
   * afterwards cost (nesting × size), quadratic in long intro chains. Results are cached in
   * `assign` (path compression) only outside such binders, where they are closed terms.
   */
  private inst(t: Term, bound: Map<number, number> | undefined, depth: number): Term {
    if ((t.fl & HAS_MVAR) === 0) return bound === undefined ? t : abstractMany(t, bound, depth);
    switch (t.tag) {
      case 'mvar': {
        const v = this.assign.get(t.id);
        if (v === undefined) return t;
        if (bound !== undefined) return this.inst(v, bound, depth);
        const w = this.inst(v, undefined, 0);
        if (w !== v) this.assign.set(t.id, w);
        return w;
      }
      case 'delayed': {
        // A chain `fun xs => ?m`, `?m := fun ys => ?m'`, ... (one level per intro) is opened in a
        // loop; each level then gives back itself while its body still has metavariables.
        const b = bound ?? new Map<number, number>();
        const levels: { readonly t: Term & { tag: 'delayed' }; readonly decls: LocalDecl[]; readonly types: Term[] }[] = [];
        let cur: Term & { tag: 'delayed' } = t;
        let d = depth;
        let r: Term;
        try {
          for (;;) {
            const decls = cur.fvars.map((f) => this.localDecl(f.id));
            const types: Term[] = [];
            for (let i = 0; i < decls.length; i++) {
              types.push(this.inst(decls[i]!.type, b, d));
              b.set(cur.fvars[i]!.id, d++);
            }
            levels.push({ t: cur, decls, types });
            const v = this.assign.get(cur.mvar);
            if (v === undefined || v.tag !== 'delayed') { r = this.inst(mkMVar(cur.mvar), b, d); break; }
            cur = v;
          }
        } finally {
          for (const l of levels) for (const f of l.t.fvars) b.delete(f.id);
        }
        for (let k = levels.length - 1; k >= 0; k--) {
          const l = levels[k]!;
          if ((r.fl & HAS_MVAR) !== 0) { r = l.t; continue; }
          for (let i = l.decls.length - 1; i >= 0; i--) r = mkLam(l.decls[i]!.name, l.types[i]!, r);
        }
        return r;
      }
      case 'app': {
        const fn = getAppFn(t);
        const args = getAppArgs(t).map((a) => this.inst(a, bound, depth));
        const f2 = this.inst(fn, bound, depth);
        if (fn.tag === 'mvar' && f2.tag === 'lam') return headBeta(mkApps(f2, args));
        return mkApps(f2, args);
      }
      case 'lam': return mkLam(t.name, this.inst(t.type, bound, depth), this.inst(t.body, bound, depth + 1), t.bi);
      case 'pi': return mkPi(t.name, this.inst(t.type, bound, depth), this.inst(t.body, bound, depth + 1), t.bi);
      default: return t;
    }
  }

  /**
   * `fun xs => body`. Unassigned metavariables of `body` that may mention the xs are first
   * replaced by `?n xs` for a fresh `?n` outside the binders (as Lean's mkLambdaFVars does).
   */
  lambdaFVars(fvars: readonly FVar[], body: Term): Term { return this.bindFVars(fvars, body, false); }
  piFVars(fvars: readonly FVar[], body: Term): Term { return this.bindFVars(fvars, body, true); }
  private bindFVars(fvars: readonly FVar[], body: Term, pi: boolean): Term {
    let r = this.instantiate(body);
    for (let i = fvars.length - 1; i >= 0; i--) {
      const f = fvars[i]!;
      r = this.elimMVarDeps(f, r);
      const d = this.localDecl(f.id);
      const ty = this.elimMVarDeps(f, this.instantiate(d.type));
      const b = abstractFVar(r, f.id);
      r = pi ? mkPi(d.name, ty, b) : mkLam(d.name, ty, b);
    }
    return r;
  }
  private elimMVarDeps(f: FVar, t: Term): Term {
    if ((t.fl & HAS_MVAR) === 0) return t;
    const ms = new Set<number>();
    collectMVars(t, ms);
    let changed = false;
    for (const id of ms) {
      if (this.assign.has(id)) continue;
      const d = this.mvarDecl(id);
      const k = d.lctx.indexOf(f.id);
      if (k < 0) continue;
      if (d.lctx.length !== k + 1) throw new MetaError('cannot abstract a local that later hypotheses depend on');
      const ty = this.instantiate(d.type);
      const fd = this.localDecl(f.id);
      const n = this.mkMVar(mkPi(fd.name, fd.type, abstractFVar(ty, f.id)), d.lctx.slice(0, k), d.kind, d.tag);
      this.assign.set(id, mkApp(n, f));
      changed = true;
    }
    return changed ? this.instantiate(t) : t;
  }

  // ------------------------------------------------------------------ type inference (no checking)

  inferType(t: Term): Term {
    switch (t.tag) {
      case 'bvar': throw new MetaError('unexpected bound variable');
      case 'fvar': return this.localDecl(t.id).type;
      case 'mvar': return this.mvarDecl(t.id).type;
      case 'delayed': throw new MetaError('cannot infer the type of a delayed assignment');
      case 'sort': return mkSort(t.level + 1);
      case 'lit': return NAT;
      case 'const': {
        const d = this.env.get(t.name);
        if (d === undefined) throw new MetaError(`unknown constant '${t.name}'`);
        return d.type(t.levels);
      }
      case 'app': {
        const fn = getAppFn(t);
        const args = getAppArgs(t);
        let ft = this.inferType(fn);
        for (const a of args) {
          if (ft.tag !== 'pi') ft = this.whnf(this.instantiate(ft));
          if (ft.tag !== 'pi') throw new MetaError('function expected');
          ft = instantiate(ft.body, a);
        }
        return ft;
      }
      // Binder chains are walked in a loop (they can be thousands deep), abstracting once at the end.
      case 'lam': {
        const lams: (Term & { tag: 'lam' })[] = [];
        const xs: FVar[] = [];
        let b: Term = t;
        while (b.tag === 'lam') {
          const x = this.mkLocal(b.name, instantiateFVars(b.type, xs));
          lams.push(b);
          xs.push(x);
          b = b.body;
        }
        const bt = this.inferType(instantiateFVars(b, xs));
        const bound = new Map<number, number>();
        xs.forEach((x, i) => bound.set(x.id, i));
        let r = abstractMany(bt, bound, xs.length);
        for (let i = lams.length - 1; i >= 0; i--) r = mkPi(lams[i]!.name, lams[i]!.type, r, lams[i]!.bi);
        return r;
      }
      case 'pi': {
        const us: number[] = [];
        let b: Term = t;
        while (b.tag === 'pi') {
          us.push(this.sortLevel(b.type));
          b = instantiate(b.body, this.mkLocal(b.name, b.type));
        }
        let v = this.sortLevel(b);
        for (let i = us.length - 1; i >= 0; i--) v = imax(us[i]!, v);
        return mkSort(v);
      }
    }
  }
  sortLevel(type: Term): number {
    const s = this.whnf(this.instantiate(this.inferType(type)));
    if (s.tag !== 'sort') throw new MetaError('type expected');
    return s.level;
  }
  isProp(type: Term): boolean {
    try { return this.sortLevel(type) === 0; } catch { return false; }
  }

  // ------------------------------------------------------------------ reduction

  whnfCore(t: Term): Term {
    for (;;) {
      if (t.tag === 'mvar') {
        const v = this.assign.get(t.id);
        if (v === undefined) return t;
        t = v;
        continue;
      }
      if (t.tag === 'const' && t.name === 'Nat.zero') return mkLit(0);
      if (t.tag !== 'app') return t;
      let fn = getAppFn(t);
      if (fn.tag === 'mvar') {
        const v = this.assign.get(fn.id);
        if (v === undefined) return t;
        t = mkApps(v, getAppArgs(t));
        continue;
      }
      if (fn.tag === 'lam') { t = headBeta(t); continue; }
      if (fn.tag !== 'const') return t;
      const args = getAppArgs(t);
      if (fn.name === 'Nat.succ' && args.length === 1) {
        const a = this.whnf(args[0]!);
        return a.tag === 'lit' ? mkLit(a.value + 1) : t;
      }
      if ((fn.name === 'Nat.add' || fn.name === 'Nat.mul') && args.length === 2) {
        const a = this.whnf(args[0]!), b = this.whnf(args[1]!);
        if (a.tag === 'lit' && b.tag === 'lit') {
          const v = fn.name === 'Nat.add' ? a.value + b.value : a.value * b.value;
          if (Number.isSafeInteger(v)) return mkLit(v);
        }
        return t;
      }
      if (fn.name === 'Nat.rec' && args.length >= 4) {
        const major = this.whnf(args[3]!);
        let pred: Term;
        if (major.tag === 'lit') {
          if (major.value === 0) { t = mkApps(args[1]!, args.slice(4)); continue; }
          pred = mkLit(major.value - 1);
        } else if (major.tag === 'app' && major.fn.tag === 'const' && major.fn.name === 'Nat.succ') pred = major.arg;
        else return t;
        fn = mkApps(fn, [args[0]!, args[1]!, args[2]!, pred]);
        t = mkApps(args[2]!, [pred, fn, ...args.slice(4)]);
        continue;
      }
      return t;
    }
  }
  unfold(t: Term): Term | undefined {
    if (this.reducible) return undefined;
    const fn = getAppFn(t);
    if (fn.tag !== 'const') return undefined;
    const d = this.env.get(fn.name);
    if (d === undefined || d.kind !== 'def' || d.value === undefined) return undefined;
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
  /** Unfolds definitions at the head until `pred` holds (or nothing unfolds). */
  whnfUntil(t: Term, pred: (t: Term) => boolean): Term {
    for (;;) {
      t = this.whnfCore(t);
      if (pred(t)) return t;
      const u = this.unfold(t);
      if (u === undefined) return t;
      t = u;
    }
  }

  // ------------------------------------------------------------------ unification

  isDefEq(a: Term, b: Term, depth = 0): boolean {
    if (depth > 512) return false;
    if (termEq(a, b)) return true;
    a = this.whnfCore(a);
    b = this.whnfCore(b);
    if (termEq(a, b)) return true;
    // Metavariables.
    const ha = getAppFn(a), hb = getAppFn(b);
    if (ha.tag === 'mvar' && !this.assign.has(ha.id)) { const r = this.assignMVarApp(a, b, depth); if (r !== undefined) return r; }
    if (hb.tag === 'mvar' && !this.assign.has(hb.id)) { const r = this.assignMVarApp(b, a, depth); if (r !== undefined) return r; }
    if (ha.tag === 'mvar' || hb.tag === 'mvar') return false;
    for (;;) {
      if (termEq(a, b)) return true;
      const fa = getAppFn(a), fb = getAppFn(b);
      let argsFailed = false;
      if (fa.tag === 'const' && fb.tag === 'const' && fa.name === fb.name && a.tag === 'app' && b.tag === 'app') {
        const xs = getAppArgs(a), ys = getAppArgs(b);
        if (xs.length === ys.length) {
          const saved = this.save();
          if (xs.every((x, i) => this.isDefEq(x, ys[i]!, depth + 1))) return true;
          this.restore(saved);
          argsFailed = true;
        }
      }
      const ua = this.unfold(a), ub = this.unfold(b);
      // Nothing to unfold: isDefEqCore would only compare the same arguments again (for nested
      // mismatches, `Or a (Or b ..)`, that doubles the work at every level).
      if (ua === undefined && ub === undefined && argsFailed) return false;
      if (ua === undefined && ub === undefined) break;
      if (ua !== undefined) a = this.whnfCore(ua);
      if (ub !== undefined) b = this.whnfCore(ub);
      const ga = getAppFn(a), gb = getAppFn(b);
      if (ga.tag === 'mvar' || gb.tag === 'mvar') return this.isDefEq(a, b, depth + 1);
    }
    return this.isDefEqCore(a, b, depth);
  }

  restore(saved: Checkpoint): void {
    if (typeof saved === 'number') { this.assign.undo(saved); return; }
    this.assign.clear();
    for (const [k, v] of saved) this.assign.set(k, v);
  }

  private isDefEqCore(a: Term, b: Term, depth: number): boolean {
    if (a.tag === 'lit' && b.tag === 'lit') return a.value === b.value;
    if (a.tag === 'lit' || b.tag === 'lit') {
      const l = (a.tag === 'lit' ? a : b) as Term & { tag: 'lit' };
      const o = a.tag === 'lit' ? b : a;
      if (l.value > 0 && o.tag === 'app' && o.fn.tag === 'const' && o.fn.name === 'Nat.succ') return this.isDefEq(mkLit(l.value - 1), o.arg, depth + 1);
      return false;
    }
    if (a.tag === 'sort' && b.tag === 'sort') return a.level === b.level;
    if (a.tag === 'fvar' && b.tag === 'fvar') return a.id === b.id;
    if (a.tag === 'const' && b.tag === 'const') return a.name === b.name && a.levels.join() === b.levels.join();
    {
      // Nat offsets: `Nat.succ x =?= y + k` (k ≥ 1 a literal) iff `x =?= y + (k - 1)`.
      const off = (s: Term, o: Term): boolean | undefined => {
        if (!(s.tag === 'app' && s.fn.tag === 'const' && s.fn.name === 'Nat.succ')) return undefined;
        const f = getAppFn(o), xs = getAppArgs(o);
        if (!(f.tag === 'const' && f.name === 'Nat.add' && xs.length === 2)) return undefined;
        const k = this.whnfCore(xs[1]!);
        if (k.tag !== 'lit' || k.value < 1) return undefined;
        return this.isDefEq(s.arg, k.value === 1 ? xs[0]! : mkApp(mkApp(f, xs[0]!), mkLit(k.value - 1)), depth + 1);
      };
      const r = off(a, b) ?? off(b, a);
      if (r !== undefined) return r;
    }
    if ((a.tag === 'pi' && b.tag === 'pi') || (a.tag === 'lam' && b.tag === 'lam')) {
      if (!this.isDefEq(a.type, b.type, depth + 1)) return false;
      const x = this.mkLocal(a.name, a.type);
      return this.isDefEq(instantiate(a.body, x), instantiate(b.body, x), depth + 1);
    }
    if (a.tag === 'lam' || b.tag === 'lam') {
      const l = (a.tag === 'lam' ? a : b) as Term & { tag: 'lam' };
      const o = a.tag === 'lam' ? b : a;
      const x = this.mkLocal(l.name, l.type);
      return this.isDefEq(instantiate(l.body, x), mkApp(o, x), depth + 1);
    }
    if (a.tag === 'app' && b.tag === 'app') {
      const xs = getAppArgs(a), ys = getAppArgs(b);
      if (xs.length !== ys.length) return false;
      if (!this.isDefEq(getAppFn(a), getAppFn(b), depth + 1)) return false;
      return xs.every((x, i) => this.isDefEq(x, ys[i]!, depth + 1));
    }
    return false;
  }

  /** `?m a1 .. an =?= t`: Miller patterns, else first-order approximation; undefined = not handled here. */
  private assignMVarApp(lhs: Term, rhs: Term, depth: number): boolean | undefined {
    const m = getAppFn(lhs) as Term & { tag: 'mvar' };
    const args = getAppArgs(lhs);
    if (args.length === 0) return this.assignMVar(m.id, rhs);
    const ids = new Set<number>();
    const pattern = args.every((x) => { const y = this.instantiate(x); if (y.tag !== 'fvar' || ids.has(y.id)) return false; ids.add(y.id); return true; });
    if (pattern) {
      const fv = args.map((x) => this.instantiate(x) as FVar);
      let body = this.instantiate(rhs);
      for (let i = fv.length - 1; i >= 0; i--) {
        const d = this.localDecl(fv[i]!.id);
        body = mkLam(d.name, this.instantiate(d.type), abstractFVar(body, fv[i]!.id));
      }
      return this.assignMVar(m.id, body);
    }
    // First-order approximation: ?m a =?= f b  ==>  ?m =?= f, a =?= b.
    const r = this.whnfCore(rhs);
    if (r.tag === 'app') {
      const rargs = getAppArgs(r);
      if (rargs.length >= args.length) {
        const saved = this.save();
        const k = rargs.length - args.length;
        if (this.isDefEq(m, mkApps(getAppFn(r), rargs.slice(0, k)), depth + 1) && args.every((x, i) => this.isDefEq(x, rargs[k + i]!, depth + 1))) return true;
        this.restore(saved);
      }
    }
    return false;
  }

  assignMVar(id: number, v: Term): boolean {
    v = this.instantiate(v);
    if (v.tag === 'mvar' && v.id === id) return true;
    if (occursMVar(v, id)) return false;
    const d = this.mvarDecl(id);
    // Scope: every local in the value must be visible to the metavariable.
    if ((v.fl & HAS_FVAR) !== 0) {
      const sc = scopeOf(d.lctx);
      const bad = firstFVarNotIn(v, sc.ok, sc.clean);
      if (bad !== undefined) return false;
    }
    // The value's type must match (cheap check; the checker re-checks everything anyway).
    this.assign.set(id, v);
    try {
      const vt = this.inferType(v);
      if (!this.isDefEq(vt, d.type)) { this.assign.delete(id); return false; }
    } catch { /* ill-typed values are caught by the checker */ }
    return true;
  }
}

export function headBeta(t: Term): Term {
  if (t.tag !== 'app') return t;
  let fn = getAppFn(t);
  if (fn.tag !== 'lam') return t;
  const args = getAppArgs(t);
  let i = 0;
  while (fn.tag === 'lam' && i < args.length) { fn = instantiate(fn.body, args[i]!); i++; }
  return headBeta(mkApps(fn, args.slice(i)));
}

/** Instantiates the loose bound variables 0..n-1 of `t` (under n binders) with `xs` (xs[0] outermost). */
function instantiateFVars(t: Term, xs: readonly FVar[]): Term {
  let r = t;
  for (let i = xs.length - 1; i >= 0 && r.lbr > 0; i--) r = instantiate(r, xs[i]!);
  return r;
}

/**
 * `binder(x1, T1, binder(x2, T2, ... body))` over the locals `fvars`, abstracting all of them in
 * one pass over `body` (one abstractFVar pass per local costs locals × size).
 */
export function closeOver(fvars: readonly FVar[], types: readonly Term[], body: Term, binder: (i: number, type: Term, body: Term) => Term): Term {
  const bound = new Map<number, number>();
  const abs: Term[] = [];
  fvars.forEach((f, i) => { abs.push(abstractMany(types[i]!, bound, i)); bound.set(f.id, i); });
  let r = abstractMany(body, bound, fvars.length);
  for (let i = fvars.length - 1; i >= 0; i--) r = binder(i, abs[i]!, r);
  return r;
}

/** Replaces each local `id` of `bound` (bound at depth `bound.get(id)`) by its bound variable, at `depth`. */
function abstractMany(t: Term, bound: ReadonlyMap<number, number>, depth: number): Term {
  if ((t.fl & HAS_FVAR) === 0 || bound.size === 0) return t;
  return mapSharing(t, depth, (u) => (u.fl & HAS_FVAR) === 0, (u, d) => {
    if (u.tag !== 'fvar') return u;
    const lvl = bound.get(u.id);
    return lvl === undefined ? u : mkBVar(d - lvl - 1);
  });
}

export function collectMVars(t: Term, out: Set<number>): void {
  if ((t.fl & HAS_MVAR) === 0) return;
  switch (t.tag) {
    case 'mvar': out.add(t.id); return;
    case 'delayed': out.add(t.mvar); return;
    case 'app': collectMVars(t.fn, out); collectMVars(t.arg, out); return;
    case 'lam': case 'pi': collectMVars(t.type, out); collectMVars(t.body, out); return;
    default: return;
  }
}
function occursMVar(t: Term, id: number): boolean {
  if ((t.fl & HAS_MVAR) === 0) return false;
  switch (t.tag) {
    case 'mvar': return t.id === id;
    case 'delayed': return t.mvar === id;
    case 'app': return occursMVar(t.fn, id) || occursMVar(t.arg, id);
    case 'lam': case 'pi': return occursMVar(t.type, id) || occursMVar(t.body, id);
    default: return false;
  }
}
/**
 * Per local context (the same array is shared by the metavariables made in it): its locals, and
 * the nodes already found to mention only them (terms are immutable, local ids never reused).
 * Nested `Or.inr` proofs assign values sharing the goal's subterms at every level, so walking
 * each value afresh is quadratic in the nesting. Only the most recently used contexts are kept:
 * one memo per goal of a long script held 30% of the live heap (SYJ202.006: 78 of 267 MB).
 */
const SCOPE_CACHE = 16;
interface IdSet {
  has(id: number): boolean;
}
/**
 * A context's locals when their ids increase along it (locals are appended as they are made, and
 * ids are never reused): binary search, where a Set would copy thousands of ids for each new
 * context of a long script (each binder of each term makes one).
 */
class SortedIds implements IdSet {
  constructor(private readonly ids: readonly number[]) {}
  has(id: number): boolean {
    const a = this.ids;
    let lo = 0;
    let hi = a.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const x = a[mid]!;
      if (x === id) return true;
      if (x < id) lo = mid + 1;
      else hi = mid - 1;
    }
    return false;
  }
}
function idSetOf(lctx: readonly number[]): IdSet {
  for (let i = 1; i < lctx.length; i++) if (lctx[i - 1]! >= lctx[i]!) return new Set(lctx);
  return new SortedIds(lctx);
}
const scopes = new Map<readonly number[], { readonly ok: IdSet; readonly clean: Set<Term> }>();
function scopeOf(lctx: readonly number[]): { readonly ok: IdSet; readonly clean: Set<Term> } {
  let sc = scopes.get(lctx);
  if (sc !== undefined) {
    scopes.delete(lctx); // re-inserted below: Map order is the recency order
  } else {
    sc = { ok: idSetOf(lctx), clean: new Set() };
    if (scopes.size >= SCOPE_CACHE) scopes.delete(scopes.keys().next().value!);
  }
  scopes.set(lctx, sc);
  return sc;
}
function firstFVarNotIn(t: Term, ok: IdSet, seen: Set<Term>): number | undefined {
  if ((t.fl & HAS_FVAR) === 0 || seen.has(t)) return undefined;
  switch (t.tag) {
    case 'fvar': return ok.has(t.id) ? undefined : t.id;
    case 'app': { const r = firstFVarNotIn(t.fn, ok, seen) ?? firstFVarNotIn(t.arg, ok, seen); if (r === undefined) seen.add(t); return r; }
    case 'lam': case 'pi': { const r = firstFVarNotIn(t.type, ok, seen) ?? firstFVarNotIn(t.body, ok, seen); if (r === undefined) seen.add(t); return r; }
    case 'delayed': { for (const f of t.fvars) if (!ok.has(f.id)) return undefined; return undefined; }
    default: return undefined;
  }
}
export { hasFVarId };
