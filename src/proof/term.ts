/**
 * Terms of the kernel's small dependent type theory (part of the trusted base, with check.ts).
 *
 * Bound variables are de Bruijn indices; free variables (`fvar`) are locals named by a unique
 * id; `mvar` (metavariables) and `delayed` only occur while tactics build a proof and are
 * rejected by the checker. Universe levels are concrete numbers (`Sort 0` = Prop, `Sort 1` =
 * Type): the fragment never needs universe polymorphism beyond `Nat.rec`, whose level is an
 * explicit constant level. Every node caches its loose-bound-variable range (`lbr`) and flags,
 * so instantiation skips closed subterms.
 */

export type BinderInfo = 'default' | 'implicit';

export const HAS_FVAR = 1;
export const HAS_MVAR = 2;

interface Base { readonly lbr: number; readonly fl: number }
export interface BVar extends Base { readonly tag: 'bvar'; readonly idx: number }
export interface FVar extends Base { readonly tag: 'fvar'; readonly id: number }
export interface MVar extends Base { readonly tag: 'mvar'; readonly id: number }
export interface Sort extends Base { readonly tag: 'sort'; readonly level: number }
export interface Const extends Base { readonly tag: 'const'; readonly name: string; readonly levels: readonly number[] }
export interface App extends Base { readonly tag: 'app'; readonly fn: Term; readonly arg: Term }
export interface Lam extends Base { readonly tag: 'lam'; readonly name: string; readonly type: Term; readonly body: Term; readonly bi: BinderInfo }
export interface Pi extends Base { readonly tag: 'pi'; readonly name: string; readonly type: Term; readonly body: Term; readonly bi: BinderInfo }
export interface Lit extends Base { readonly tag: 'lit'; readonly value: number }
/** `fun fvars => ?mvar`, abstracted once the metavariable is assigned (Lean's delayed assignment). */
export interface Delayed extends Base { readonly tag: 'delayed'; readonly fvars: readonly FVar[]; readonly mvar: number }

export type Term = BVar | FVar | MVar | Sort | Const | App | Lam | Pi | Lit | Delayed;

const bvarCache: BVar[] = [];
export function mkBVar(idx: number): BVar {
  let b = bvarCache[idx];
  if (b === undefined) { b = { tag: 'bvar', idx, lbr: idx + 1, fl: 0 }; if (idx < 64) bvarCache[idx] = b; }
  return b;
}
export function mkFVar(id: number): FVar { return { tag: 'fvar', id, lbr: 0, fl: HAS_FVAR }; }
export function mkMVar(id: number): MVar { return { tag: 'mvar', id, lbr: 0, fl: HAS_MVAR }; }
const sorts: Sort[] = [0, 1, 2, 3].map((level) => ({ tag: 'sort', level, lbr: 0, fl: 0 }) as Sort);
export function mkSort(level: number): Sort { return sorts[level] ?? { tag: 'sort', level, lbr: 0, fl: 0 }; }
export const PROP = mkSort(0);
export const TYPE = mkSort(1);
const NOLEVELS: readonly number[] = [];
export function mkConst(name: string, levels: readonly number[] = NOLEVELS): Const { return { tag: 'const', name, levels, lbr: 0, fl: 0 }; }
export function mkApp(fn: Term, arg: Term): App {
  return { tag: 'app', fn, arg, lbr: Math.max(fn.lbr, arg.lbr), fl: fn.fl | arg.fl };
}
export function mkApps(fn: Term, args: readonly Term[]): Term {
  let t = fn;
  for (const a of args) t = mkApp(t, a);
  return t;
}
export function mkLam(name: string, type: Term, body: Term, bi: BinderInfo = 'default'): Lam {
  return { tag: 'lam', name, type, body, bi, lbr: Math.max(type.lbr, body.lbr - 1, 0), fl: type.fl | body.fl };
}
export function mkPi(name: string, type: Term, body: Term, bi: BinderInfo = 'default'): Pi {
  return { tag: 'pi', name, type, body, bi, lbr: Math.max(type.lbr, body.lbr - 1, 0), fl: type.fl | body.fl };
}
export function mkArrow(a: Term, b: Term): Pi { return mkPi('_', a, liftLoose(b, 1)); }
export function mkLit(value: number): Lit { return { tag: 'lit', value, lbr: 0, fl: 0 }; }
export function mkDelayed(fvars: readonly FVar[], mvar: number): Delayed {
  return { tag: 'delayed', fvars, mvar, lbr: 0, fl: HAS_MVAR | HAS_FVAR };
}

/** Head and arguments of an application spine. */
export function getAppFn(t: Term): Term {
  while (t.tag === 'app') t = t.fn;
  return t;
}
export function getAppArgs(t: Term): Term[] {
  const args: Term[] = [];
  while (t.tag === 'app') { args.push(t.arg); t = t.fn; }
  return args.reverse();
}
export function isConstApp(t: Term, name: string, nargs: number): boolean {
  let n = 0;
  while (t.tag === 'app') { t = t.fn; n++; }
  return n === nargs && t.tag === 'const' && t.name === name;
}

/** Shift loose bound variables >= `cutoff` by `d`. */
export function liftLoose(t: Term, d: number, cutoff = 0): Term {
  if (d === 0 || t.lbr <= cutoff) return t;
  switch (t.tag) {
    case 'bvar': return mkBVar(t.idx + d);
    case 'app': return mkApp(liftLoose(t.fn, d, cutoff), liftLoose(t.arg, d, cutoff));
    case 'lam': return mkLam(t.name, liftLoose(t.type, d, cutoff), liftLoose(t.body, d, cutoff + 1), t.bi);
    case 'pi': return mkPi(t.name, liftLoose(t.type, d, cutoff), liftLoose(t.body, d, cutoff + 1), t.bi);
    default: return t;
  }
}

/** Replace bound variable `depth` (counted from outside) with `v` (which has no loose bvars... or is lifted). */
export function instantiate(body: Term, v: Term): Term {
  return instAt(body, v, 0);
}
function instAt(t: Term, v: Term, depth: number): Term {
  if (t.lbr <= depth) return t;
  switch (t.tag) {
    case 'bvar':
      if (t.idx === depth) return liftLoose(v, depth);
      return t.idx > depth ? mkBVar(t.idx - 1) : t;
    case 'app': return mkApp(instAt(t.fn, v, depth), instAt(t.arg, v, depth));
    case 'lam': return mkLam(t.name, instAt(t.type, v, depth), instAt(t.body, v, depth + 1), t.bi);
    case 'pi': return mkPi(t.name, instAt(t.type, v, depth), instAt(t.body, v, depth + 1), t.bi);
    default: return t;
  }
}

/**
 * Opens n binders at once (Lean's instantiate_rev): bound variable i < n becomes `vs[n - 1 - i]`
 * (vs[0] is the outermost binder), larger ones drop by n. The same as n `instantiate`s from the
 * innermost binder out, in one pass. The vs are free variables (closed terms).
 */
export function instantiateRev(t: Term, vs: readonly FVar[]): Term {
  return vs.length === 0 || t.lbr === 0 ? t : instRevAt(t, vs, 0);
}
function instRevAt(t: Term, vs: readonly FVar[], depth: number): Term {
  return mapSharing(t, depth, (u, d) => u.lbr <= d, (u, d) => {
    if (u.tag !== 'bvar') return u;
    const i = u.idx - d;
    return i < vs.length ? vs[vs.length - 1 - i]! : mkBVar(u.idx - vs.length);
  });
}

/**
 * Rebuilds a term bottom-up: subtrees where `unchanged(node, depth)` holds are kept, leaves go
 * through `leaf`, binder bodies are visited at depth + 1. One result per (node, depth) keeps
 * shared subterms shared; the map is a pure function of (node, depth), so reusing a result changes
 * nothing but the cost, which without it is the size of the term as a tree (for nested proofs
 * repeating their implicit type arguments, quadratic in the nesting).
 */
export function mapSharing(t: Term, depth: number, unchanged: (t: Term, depth: number) => boolean, leaf: (t: Term, depth: number) => Term): Term {
  // Nodes whose children come back unchanged are kept (no copy): most calls change little.
  let memo: Map<number, Map<Term, Term>> | undefined;
  const go = (u: Term, d: number): Term => {
    if (unchanged(u, d)) return u;
    if (u.tag !== 'app' && u.tag !== 'lam' && u.tag !== 'pi') return leaf(u, d);
    memo ??= new Map();
    let m = memo.get(d);
    if (m === undefined) memo.set(d, (m = new Map()));
    let r = m.get(u);
    if (r !== undefined) return r;
    if (u.tag === 'app') {
      const f = go(u.fn, d), a = go(u.arg, d);
      r = f === u.fn && a === u.arg ? u : mkApp(f, a);
    } else {
      const ty = go(u.type, d), b = go(u.body, d + 1);
      r = ty === u.type && b === u.body ? u : u.tag === 'lam' ? mkLam(u.name, ty, b, u.bi) : mkPi(u.name, ty, b, u.bi);
    }
    m.set(u, r);
    return r;
  };
  return go(t, depth);
}

/**
 * Closes over n locals at once: ids[n - 1] becomes bound variable 0 and ids[0] becomes n - 1, as
 * wrapping n binders around `t` with one `abstractFVar` per binder would give, in one pass.
 */
export function abstractFVars(t: Term, ids: readonly number[]): Term {
  const pos = new Map<number, number>();
  ids.forEach((id, k) => pos.set(id, ids.length - 1 - k));
  return absManyAt(t, pos, 0);
}
function absManyAt(t: Term, pos: ReadonlyMap<number, number>, depth: number): Term {
  if ((t.fl & HAS_FVAR) === 0) return t;
  switch (t.tag) {
    case 'fvar': { const k = pos.get(t.id); return k === undefined ? t : mkBVar(depth + k); }
    case 'app': return mkApp(absManyAt(t.fn, pos, depth), absManyAt(t.arg, pos, depth));
    case 'lam': return mkLam(t.name, absManyAt(t.type, pos, depth), absManyAt(t.body, pos, depth + 1), t.bi);
    case 'pi': return mkPi(t.name, absManyAt(t.type, pos, depth), absManyAt(t.body, pos, depth + 1), t.bi);
    default: return t;
  }
}

/** Replace free variable `id` by bound variable (depth) — the inverse of instantiating with an fvar. */
export function abstractFVar(t: Term, id: number): Term {
  return absAt(t, id, 0);
}
function absAt(t: Term, id: number, depth: number): Term {
  if ((t.fl & HAS_FVAR) === 0) return t;
  switch (t.tag) {
    case 'fvar': return t.id === id ? mkBVar(depth) : t;
    case 'app': return mkApp(absAt(t.fn, id, depth), absAt(t.arg, id, depth));
    case 'lam': return mkLam(t.name, absAt(t.type, id, depth), absAt(t.body, id, depth + 1), t.bi);
    case 'pi': return mkPi(t.name, absAt(t.type, id, depth), absAt(t.body, id, depth + 1), t.bi);
    default: return t;
  }
}

/** Replace every free variable `id` by `v` (v closed w.r.t. bound variables). */
export function replaceFVar(t: Term, id: number, v: Term): Term {
  if ((t.fl & HAS_FVAR) === 0) return t;
  switch (t.tag) {
    case 'fvar': return t.id === id ? v : t;
    case 'app': return mkApp(replaceFVar(t.fn, id, v), replaceFVar(t.arg, id, v));
    case 'lam': return mkLam(t.name, replaceFVar(t.type, id, v), replaceFVar(t.body, id, v), t.bi);
    case 'pi': return mkPi(t.name, replaceFVar(t.type, id, v), replaceFVar(t.body, id, v), t.bi);
    case 'delayed': return t;
    default: return t;
  }
}

export function hasFVarId(t: Term, id: number): boolean {
  if ((t.fl & HAS_FVAR) === 0) return false;
  switch (t.tag) {
    case 'fvar': return t.id === id;
    case 'app': return hasFVarId(t.fn, id) || hasFVarId(t.arg, id);
    case 'lam': case 'pi': return hasFVarId(t.type, id) || hasFVarId(t.body, id);
    case 'delayed': return t.fvars.some((f) => f.id === id);
    default: return false;
  }
}

/** Structural equality (alpha-equivalence, since bound variables are indices). */
export function termEq(a: Term, b: Term): boolean {
  if (a === b) return true;
  if (a.tag !== b.tag || a.lbr !== b.lbr || a.fl !== b.fl) return false;
  switch (a.tag) {
    case 'bvar': return a.idx === (b as BVar).idx;
    case 'fvar': return a.id === (b as FVar).id;
    case 'mvar': return a.id === (b as MVar).id;
    case 'sort': return a.level === (b as Sort).level;
    case 'lit': return a.value === (b as Lit).value;
    case 'const': {
      const c = b as Const;
      if (a.name !== c.name || a.levels.length !== c.levels.length) return false;
      for (let i = 0; i < a.levels.length; i++) if (a.levels[i] !== c.levels[i]) return false;
      return true;
    }
    case 'app': return termEq(a.fn, (b as App).fn) && termEq(a.arg, (b as App).arg);
    case 'lam': case 'pi': {
      const c = b as Lam | Pi;
      return termEq(a.type, c.type) && termEq(a.body, c.body);
    }
    case 'delayed': return false;
  }
}

/** imax, the level of a Pi type: impredicative Prop. */
export function imax(u: number, v: number): number { return v === 0 ? 0 : Math.max(u, v); }

let nextId = 1;
/** A fresh id for free variables and metavariables (globally unique within the process). */
export function freshId(): number { return nextId++; }
