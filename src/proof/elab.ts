/**
 * Elaboration of surface terms into kernel terms with metavariables (untrusted). Follows
 * Lean's shape: implicit arguments become metavariables, the expected type is propagated into
 * applications before their arguments are elaborated (retried without it if that fails),
 * anonymous constructors and `fun` binders take their types from the expected type, and
 * generalized field notation (`h.1`, `h.mp`, `(h x).elim`) resolves through the head constant
 * of the argument's type.
 */
import { LazyError } from './lazy-error.js';
import type { Arg, Binder, Expr, Pos, RPat, Tactic } from './syntax.js';

type BinderExpr = Expr & { readonly k: 'forall' | 'exists' | 'fun'; readonly binders: readonly Binder[]; readonly body: Expr };
import { Meta, MetaError, NAT, PROP, collectMVars, headBeta as headBetaE } from './meta.js';
import {
  type Term, mkApp, mkApps, mkConst, mkLit, mkPi, mkSort, getAppFn, getAppArgs, instantiate, TYPE,
  liftLoose, imax, type FVar,
} from './term.js';

export class ElabError extends LazyError {}

export interface ElabHooks {
  /** Runs a nested `by` block on goal `?goal`; must close it or throw. */
  runTactics(goal: number, lctx: readonly number[], tactics: readonly Tactic[]): void;
  /** Pretty-printer for error messages. */
  show(t: Term, lctx: readonly number[]): string;
}

type PArg = Arg | { readonly pre: Term; readonly named?: undefined };

/** Structures whose anonymous constructor `⟨..⟩` and numeric projections we know. */
const CONNECTIVES = new Set(['∧', '∨', '↔', '→']);

const STRUCTS: Record<string, { ctor: string; fields: number; proj?: readonly string[] }> = {
  And: { ctor: 'And.intro', fields: 2, proj: ['And.left', 'And.right'] },
  Iff: { ctor: 'Iff.intro', fields: 2, proj: ['Iff.mp', 'Iff.mpr'] },
  Exists: { ctor: 'Exists.intro', fields: 2 },
  True: { ctor: 'True.intro', fields: 0 },
};

/** Retries without the expected type per elaborator (one tactic's terms). */
const MAX_RETRIES = 32;

export class Elab {
  /** `?_` holes created by the last elaboration (new goals for `refine`). */
  readonly synthGoals: number[] = [];
  /** Retries without the expected type so far (bounded: see applyFn). */
  private retries = 0;
  constructor(readonly m: Meta, readonly hooks: ElabHooks, readonly opts: { readonly intuitionistic?: boolean } = {}) {}

  /** A reference to a global constant; in intuitionistic mode, classical ones are refused. */
  private constRef(name: string, e: Expr): Term {
    if (this.opts.intuitionistic && (this.m.env.get(name)?.axioms ?? []).includes('Classical.choice')) {
      this.err(() => `'${name}' depends on classical axioms, which intuitionistic mode forbids`, e);
    }
    return mkConst(name);
  }

  private err(msg: string | (() => string), e?: Expr): never { throw new ElabError(msg, e?.pos); }

  resolveLocal(name: string, lctx: readonly number[]): FVar | undefined {
    // The last local of the context with that name. Long scripts have thousands of locals and
    // most names looked up (`Or.inl`, `Or`) are none of them: compare ids, skip unknown names.
    const ids = this.m.reg.byName.get(name);
    if (ids === undefined) return undefined;
    for (let i = lctx.length - 1; i >= 0; i--) if (ids.includes(lctx[i]!)) return this.m.localDecl(lctx[i]!).fvar;
    return undefined;
  }

  /** Elaborates a type (a term whose type is a sort). */
  elabType(e: Expr, lctx: readonly number[]): Term {
    const t = this.elab(e, undefined, lctx);
    try { this.m.sortLevel(t); } catch { this.err(() => `type expected: ${this.hooks.show(t, lctx)}`, e); }
    return t;
  }

  elab(e: Expr, expected: Term | undefined, lctx: readonly number[]): Term {
    try {
      return this.elabCore(e, expected, lctx);
    } catch (x) {
      if (x instanceof MetaError) this.err(x.message, e);
      throw x;
    }
  }

  private ensureType(t: Term, ty: Term, expected: Term | undefined, e: Expr, lctx: readonly number[]): Term {
    if (expected !== undefined && !this.m.isDefEq(ty, expected)) {
      this.err(() => `type mismatch: ${this.hooks.show(t, lctx)} has type ${this.hooks.show(this.m.instantiate(ty), lctx)} but is expected to have type ${this.hooks.show(this.m.instantiate(expected), lctx)}`, e);
    }
    return t;
  }

  private elabCore(e: Expr, expected: Term | undefined, lctx: readonly number[]): Term {
    switch (e.k) {
      case 'ident': case 'explicit': case 'app': case 'proj':
        return this.elabApp(e, [], expected, lctx);
      case 'num': {
        if (expected !== undefined && !this.m.isDefEq(expected, NAT)) this.err(() => `numerals are Nat in this fragment; expected ${this.hooks.show(this.m.instantiate(expected), lctx)}`, e);
        return mkLit(e.value);
      }
      case 'sort': return this.ensureType(mkSort(e.level), mkSort(e.level + 1), expected, e, lctx);
      case 'hole': return this.m.mkMVar(expected ?? this.m.mkMVar(TYPE, lctx), lctx);
      case 'synth': {
        if (expected === undefined) this.err('cannot create a goal for ?_ without an expected type', e);
        const g = this.m.mkMVar(expected, lctx, 'goal');
        this.synthGoals.push((g as Term & { tag: 'mvar' }).id);
        return g;
      }
      case 'by': {
        if (expected === undefined) this.err("'by' needs a known expected type", e);
        const g = this.m.mkMVar(this.m.instantiate(expected), lctx, 'goal');
        this.hooks.runTactics((g as Term & { tag: 'mvar' }).id, lctx, e.tactics);
        return this.m.instantiate(g);
      }
      case 'ascribe': {
        const ty = this.elabType(e.type, lctx);
        const v = this.elab(e.e, ty, lctx);
        return this.ensureType(v, ty, expected, e, lctx);
      }
      case 'not': {
        const a = this.elab(e.arg, PROP, lctx);
        return this.ensureType(mkApp(mkConst('Not'), a), PROP, expected, e, lctx);
      }
      case 'binop': return CONNECTIVES.has(e.op) ? this.elabConnectives(e, expected, lctx) : this.elabBinop(e, expected, lctx);
      case 'forall': case 'exists': return this.elabQuant(e, expected, lctx);
      case 'fun': return this.elabFun(e, expected, lctx);
      case 'anon': return this.elabAnon(e, expected, lctx);
    }
  }

  /**
   * `a₁ op₁ (a₂ op₂ (... aₙ))` for the connectives ∧ ∨ ↔ →, iterating down the right spine (so
   * ILTP's chains thousands deep use no stack) with the same steps, in the same order, as
   * elaborating each level recursively: left operands top-down, the last operand, then each
   * level's result checked bottom-up. A Pi's sort is tracked (imax of its parts) instead of
   * re-inferred at every level, which made arrow chains quadratic.
   */
  private elabConnectives(e0: Expr & { k: 'binop' }, expected: Term | undefined, lctx: readonly number[]): Term {
    const spine: { e: Expr & { k: 'binop' }; a: Term; u: number; exp: Term | undefined }[] = [];
    let e: Expr = e0;
    let exp = expected;
    while (e.k === 'binop' && CONNECTIVES.has(e.op)) {
      const cur = e;
      const step = () => {
        if (cur.op === '→') { const a = this.elabType(cur.lhs, lctx); return { a, u: this.m.sortLevel(a) }; }
        return { a: this.elab(cur.lhs, PROP, lctx), u: 0 };
      };
      spine.push({ e: cur, ...this.atExpr(cur, step), exp });
      exp = cur.op === '→' ? undefined : PROP;
      e = cur.rhs;
    }
    const last = e;
    let b: Term, v: number;
    if (spine[spine.length - 1]!.e.op === '→') { b = this.elabType(last, lctx); v = this.atExpr(last, () => this.m.sortLevel(b)); }
    else { b = this.elab(last, PROP, lctx); v = 0; }
    for (let i = spine.length - 1; i >= 0; i--) {
      const { e: cur, a, u, exp: want } = spine[i]!;
      const bb = b, vv = v;
      [b, v] = this.atExpr(cur, (): [Term, number] => {
        if (cur.op === '→') {
          const t = mkPi('_', a, liftLoose(bb, 1));
          const lvl = imax(u, vv);
          return [this.ensureType(t, mkSort(lvl), want, cur, lctx), lvl];
        }
        const name = cur.op === '∧' ? 'And' : cur.op === '∨' ? 'Or' : 'Iff';
        return [this.ensureType(mkApps(mkConst(name), [a, bb]), PROP, want, cur, lctx), 0];
      });
    }
    return b;
  }

  /** Runs `f` with metavariable errors reported at `e` (as `elab(e, ...)` does). */
  private atExpr<T>(e: Expr, f: () => T): T {
    try { return f(); } catch (x) {
      if (x instanceof MetaError) this.err(x.message, e);
      throw x;
    }
  }

  private elabBinop(e: Expr & { k: 'binop' }, expected: Term | undefined, lctx: readonly number[]): Term {
    const c = (n: string) => mkConst(n);
    switch (e.op) {
      case '∧': case '∨': case '↔': {
        const a = this.elab(e.lhs, PROP, lctx), b = this.elab(e.rhs, PROP, lctx);
        const name = e.op === '∧' ? 'And' : e.op === '∨' ? 'Or' : 'Iff';
        return this.ensureType(mkApps(c(name), [a, b]), PROP, expected, e, lctx);
      }
      case '→': {
        const a = this.elabType(e.lhs, lctx);
        const b = this.elabType(e.rhs, lctx);
        const t = mkPi('_', a, liftLoose(b, 1));
        return this.ensureType(t, mkSort(Math.max(0, this.m.sortLevel(t))), expected, e, lctx);
      }
      case '=': case '≠': {
        let a: Term, b: Term, ty: Term;
        if (e.lhs.k === 'num' && e.rhs.k !== 'num') {
          b = this.elab(e.rhs, undefined, lctx);
          ty = this.m.instantiate(this.m.inferType(b));
          a = this.elab(e.lhs, ty, lctx);
        } else {
          a = this.elab(e.lhs, undefined, lctx);
          ty = this.m.instantiate(this.m.inferType(a));
          b = this.elab(e.rhs, ty, lctx);
        }
        const u = this.m.sortLevel(ty);
        if (u !== 1) this.err(() => `equality is supported on types in Type only (Nat, α, Prop, functions); here it is on ${this.hooks.show(ty, lctx)}`, e);
        return this.ensureType(mkApps(c(e.op === '=' ? 'Eq' : 'Ne'), [ty, a, b]), PROP, expected, e, lctx);
      }
      case '≤': case '<': case '≥': case '>': {
        const a = this.elab(e.lhs, NAT, lctx), b = this.elab(e.rhs, NAT, lctx);
        const name = e.op === '≤' ? 'Nat.le' : e.op === '<' ? 'Nat.lt' : e.op === '≥' ? 'GE.ge' : 'GT.gt';
        return this.ensureType(mkApps(c(name), [a, b]), PROP, expected, e, lctx);
      }
      case '+': case '*': {
        const a = this.elab(e.lhs, NAT, lctx), b = this.elab(e.rhs, NAT, lctx);
        return this.ensureType(mkApps(c(e.op === '+' ? 'Nat.add' : 'Nat.mul'), [a, b]), NAT, expected, e, lctx);
      }
      default: this.err(() => `unsupported operator ${e.op}`, e);
    }
  }

  private elabQuant(e: BinderExpr, expected: Term | undefined, lctx: readonly number[]): Term {
    const fvars: FVar[] = [];
    let ctx = lctx;
    const types: Term[] = [];
    for (const b of e.binders) {
      const ty = b.type !== undefined ? this.elabType(b.type, ctx) : this.m.mkMVar(TYPE, ctx);
      for (const n of b.names) {
        const x = this.m.mkLocal(n, ty);
        fvars.push(x);
        types.push(ty);
        ctx = [...ctx, x.id];
      }
    }
    if (e.k === 'forall') {
      const body = this.elabType(e.body, ctx);
      const t = this.m.piFVars(fvars, body);
      return this.ensureType(t, mkSort(this.m.sortLevel(t)), expected, e, lctx);
    }
    let body = this.elab(e.body, PROP, ctx);
    for (let i = fvars.length - 1; i >= 0; i--) {
      const ty = this.m.instantiate(types[i]!);
      if (this.m.sortLevel(ty) !== 1) this.err(() => `∃ is supported over types in Type only; here over ${this.hooks.show(ty, lctx)}`, e);
      const lam = this.m.lambdaFVars([fvars[i]!], body);
      body = mkApps(mkConst('Exists'), [ty, lam]);
    }
    return this.ensureType(body, PROP, expected, e, lctx);
  }

  private elabFun(e: BinderExpr, expected: Term | undefined, lctx: readonly number[]): Term {
    const fvars: FVar[] = [];
    const pats: [FVar, RPat][] = [];
    let ctx = lctx;
    let exp = expected === undefined ? undefined : this.m.instantiate(expected);
    for (const b of e.binders) {
      const annot = b.type !== undefined ? this.elabType(b.type, ctx) : undefined;
      for (const n of b.names) {
        let dom: Term | undefined;
        let rest: Term | undefined;
        if (exp !== undefined) {
          const w = this.m.whnfUntil(exp, (t) => t.tag === 'pi');
          if (w.tag === 'pi') { dom = w.type; rest = w.body; }
          else { const ex = exp; this.err(() => `fun expects a function type, but the expected type is ${this.hooks.show(ex, lctx)}`, e); }
        }
        if (annot !== undefined && dom !== undefined && !this.m.isDefEq(annot, dom)) {
          this.err(() => `binder type mismatch: ${this.hooks.show(annot, ctx)} vs ${this.hooks.show(this.m.instantiate(dom), ctx)}`, e);
        }
        const ty = annot ?? dom ?? this.m.mkMVar(TYPE, ctx);
        const x = this.m.mkLocal(b.pat !== undefined ? 'x✝' : n, ty);
        if (b.pat !== undefined) pats.push([x, b.pat]);
        fvars.push(x);
        ctx = [...ctx, x.id];
        exp = rest === undefined ? undefined : instantiate(rest, x);
      }
    }
    let body: Term;
    if (pats.length === 0) body = this.elab(e.body, exp, ctx);
    else {
      if (exp === undefined) this.err('fun with a pattern needs a known expected type', e);
      const motive = exp;
      const go = (i: number, c: readonly number[]): Term => (i === pats.length ? this.elab(e.body, motive, c) : this.destruct(pats[i]![0], pats[i]![1], motive, c, e, (c2) => go(i + 1, c2)));
      body = go(0, ctx);
    }
    return this.m.lambdaFVars(fvars, body);
  }

  /** Destructs `v` by an anonymous-constructor pattern for a body of (Prop) type `motive`. */
  private destruct(v: Term, pat: RPat, motive: Term, ctx: readonly number[], e: Expr, k: (ctx: readonly number[]) => Term): Term {
    const m = this.m;
    const vty = m.instantiate(m.inferType(v));
    if (pat.k === 'name' || pat.k === 'clear') {
      if (pat.k === 'clear' || pat.name === '_') return k(ctx);
      if (v.tag === 'fvar' && m.localDecl(v.id).name === pat.name) return k(ctx);
      const x = m.mkLocal(pat.name, vty);
      return mkApp(m.lambdaFVars([x], k([...ctx, x.id])), v);
    }
    if (pat.k === 'typed') return this.destruct(v, pat.pat, motive, ctx, e, k);
    if (!m.isProp(m.instantiate(motive))) this.err('pattern binders are supported for proofs only', e);
    const heads = ['And', 'Iff', 'Exists', 'Or', 'False'];
    const w = m.whnfUntil(vty, (t) => { const h = getAppFn(t); return h.tag === 'const' && heads.includes(h.name); });
    const h = getAppFn(w);
    const args = getAppArgs(w);
    const hn = h.tag === 'const' ? h.name : '';
    if (pat.k === 'tuple') {
      if (pat.elems.length === 0 && hn === 'False') return mkApps(mkConst('False.elim'), [motive, v]);
      if (pat.elems.length === 1) return this.destruct(v, pat.elems[0]!, motive, ctx, e, k);
      if (hn !== 'And' && hn !== 'Iff' && hn !== 'Exists') this.err(() => `pattern ⟨...⟩ on ${this.hooks.show(vty, ctx)}, which is not ∧, ↔ or ∃`, e);
      const p1 = pat.elems[0]!;
      const rest: RPat = pat.elems.length === 2 ? pat.elems[1]! : { k: 'tuple', elems: pat.elems.slice(1) };
      let a: FVar, b: FVar;
      // Components named by simple sub-patterns get those names directly (later types refer to them).
      const nm = (p: RPat, d: string) => (p.k === 'name' && p.name !== '_' ? p.name : `${d}✝`);
      if (hn === 'Exists') { a = m.mkLocal(nm(p1, 'w'), args[0]!); b = m.mkLocal(nm(rest, 'h'), headBetaE(mkApp(args[1]!, a))); }
      else if (hn === 'And') { a = m.mkLocal(nm(p1, 'left'), args[0]!); b = m.mkLocal(nm(rest, 'right'), args[1]!); }
      else { a = m.mkLocal(nm(p1, 'mp'), mkPi('_', args[0]!, liftLoose(args[1]!, 1))); b = m.mkLocal(nm(rest, 'mpr'), mkPi('_', args[1]!, liftLoose(args[0]!, 1))); }
      const c2 = [...ctx, a.id, b.id];
      const inner = this.destruct(a, p1, motive, c2, e, (c3) => this.destruct(b, rest, motive, c3, e, k));
      const lam = m.lambdaFVars([a, b], inner);
      if (hn === 'Exists') return mkApps(mkConst('Exists.elim'), [args[0]!, args[1]!, motive, v, lam]);
      return mkApps(mkConst(`${hn}.rec`), [args[0]!, args[1]!, motive, lam, v]);
    }
    if (pat.k === 'alts') {
      if (pat.alts.length === 1) return this.destruct(v, pat.alts[0]!, motive, ctx, e, k);
      if (hn !== 'Or') this.err(() => `pattern with alternatives on ${this.hooks.show(vty, ctx)}, which is not ∨`, e);
      const rest: RPat = pat.alts.length === 2 ? pat.alts[1]! : { k: 'alts', alts: pat.alts.slice(1) };
      const nm = (p: RPat) => (p.k === 'name' && p.name !== '_' ? p.name : 'h✝');
      const a = m.mkLocal(nm(pat.alts[0]!), args[0]!), b = m.mkLocal(nm(rest), args[1]!);
      const l = m.lambdaFVars([a], this.destruct(a, pat.alts[0]!, motive, [...ctx, a.id], e, k));
      const r = m.lambdaFVars([b], this.destruct(b, rest, motive, [...ctx, b.id], e, k));
      return mkApps(mkConst('Or.elim'), [args[0]!, args[1]!, motive, v, l, r]);
    }
    this.err('rfl patterns are not supported in fun binders', e);
  }

  private elabAnon(e: Expr & { k: 'anon' }, expected: Term | undefined, lctx: readonly number[]): Term {
    if (expected === undefined) this.err('invalid constructor ⟨...⟩, the expected type must be known', e);
    const w = this.m.whnfUntil(this.m.instantiate(expected), (t) => { const h = getAppFn(t); return h.tag === 'const' && STRUCTS[h.name] !== undefined; });
    const h = getAppFn(w);
    const s = h.tag === 'const' ? STRUCTS[h.name] : undefined;
    if (s === undefined) this.err(() => `invalid constructor ⟨...⟩, expected type must be a structure (∧, ↔, ∃, True), not ${this.hooks.show(this.m.instantiate(expected), lctx)}`, e);
    let elems = e.elems;
    if (elems.length < s.fields) this.err(() => `insufficient number of arguments in ⟨...⟩: ${s.fields} expected`, e);
    if (elems.length > s.fields) {
      if (s.fields === 0) this.err('too many arguments in ⟨...⟩', e);
      const tail: Expr = { k: 'anon', elems: elems.slice(s.fields - 1), pos: elems[s.fields - 1]!.pos };
      elems = [...elems.slice(0, s.fields - 1), tail];
    }
    return this.applyFn(mkConst(s.ctor), elems.map((x) => ({ e: x })), w, lctx, false, e);
  }

  /** Application (or a bare identifier/projection): resolves the head, then applies arguments. */
  private elabApp(e: Expr, outerArgs: readonly PArg[], expected: Term | undefined, lctx: readonly number[]): Term {
    if (e.k === 'app') return this.elabApp(e.fn, [...e.args, ...outerArgs], expected, lctx);
    if (e.k === 'explicit') {
      if (!this.m.env.has(e.name)) this.err(() => `unknown constant '${e.name}'`, e);
      return this.applyFn(this.constRef(e.name, e), outerArgs, expected, lctx, true, e);
    }
    if (e.k === 'proj') {
      const base = this.elab(e.e, undefined, lctx);
      return this.applyProj(base, e.field, outerArgs, expected, lctx, e);
    }
    if (e.k !== 'ident') return this.applyFn(this.elab(e, undefined, lctx), outerArgs, expected, lctx, false, e);
    const name = e.name;
    const parts = name.split('.');
    for (let k = parts.length; k >= 1; k--) {
      const prefix = parts.slice(0, k).join('.');
      const local = this.resolveLocal(prefix, lctx);
      let head: Term | undefined;
      if (local !== undefined) head = local;
      else if (this.m.env.has(prefix)) head = undefined;
      else continue;
      const projs = parts.slice(k);
      if (projs.length === 0) {
        return head !== undefined ? this.applyFn(head, outerArgs, expected, lctx, false, e) : this.applyFn(this.constRef(prefix, e), outerArgs, expected, lctx, false, e);
      }
      let base = head ?? this.applyFn(this.constRef(prefix, e), [], undefined, lctx, false, e);
      for (let i = 0; i < projs.length - 1; i++) base = this.applyProj(base, projs[i]!, [], undefined, lctx, e);
      return this.applyProj(base, projs[projs.length - 1]!, outerArgs, expected, lctx, e);
    }
    this.err(() => `unknown identifier '${name}'`, e);
  }

  private applyProj(base: Term, field: string, args: readonly PArg[], expected: Term | undefined, lctx: readonly number[], e: Expr): Term {
    const bt = this.m.instantiate(this.m.inferType(base));
    const isKnown = (t: Term) => { const h = getAppFn(t); return h.tag === 'const' && (STRUCTS[h.name] !== undefined || this.m.env.has(`${h.name}.${field}`)); };
    const w = this.m.whnfUntil(bt, isKnown);
    const h = getAppFn(w);
    if (h.tag !== 'const') this.err(() => `invalid field notation '.${field}': the type ${this.hooks.show(bt, lctx)} is not a structure`, e);
    let fname: string;
    if (/^[0-9]+$/.test(field)) {
      const s = STRUCTS[h.name];
      const p = s?.proj?.[Number(field) - 1];
      if (p === undefined) this.err(() => `invalid projection .${field} on ${this.hooks.show(bt, lctx)}`, e);
      fname = p;
    } else {
      fname = `${h.name}.${field}`;
      if (!this.m.env.has(fname)) this.err(() => `invalid field '${field}': unknown constant '${fname}'`, e);
    }
    // The base goes to the first explicit argument whose type is headed by the structure.
    let ft = this.m.env.get(fname)!.type([]);
    let pos = 0;
    let found = -1;
    while (ft.tag === 'pi') {
      if (ft.bi === 'default') {
        const hh = getAppFn(ft.type);
        if (hh.tag === 'const' && hh.name === h.name) { found = pos; break; }
        pos++;
      }
      ft = ft.body;
    }
    if (found < 0) this.err(() => `invalid field notation: ${fname} takes no argument of type ${h.name}`, e);
    const positional = args.filter((a) => a.named === undefined);
    const named = args.filter((a) => a.named !== undefined);
    const all: PArg[] = [...positional.slice(0, found), { pre: base }, ...positional.slice(found), ...named];
    return this.applyFn(this.constRef(fname, e), all, expected, lctx, false, e);
  }

  /** Applies `f` to `args`, inserting implicit arguments; propagates `expected` first (retrying without). */
  applyFn(f: Term, args: readonly PArg[], expected: Term | undefined, lctx: readonly number[], explicit: boolean, e: Expr): Term {
    if (expected === undefined) return this.applyFnCore(f, args, undefined, lctx, explicit, e, false);
    const saved = this.m.save();
    try {
      return this.applyFnCore(f, args, expected, lctx, explicit, e, true);
    } catch (x) {
      if (!(x instanceof ElabError) && !(x instanceof MetaError)) throw x;
      this.m.restore(saved);
      // Into a bare metavariable, propagation only assigns it: the arguments saw the same types,
      // so the retry would fail the same way. Skipping it keeps rejecting nested wrong terms
      // (`Or.inr (Or.inr ...)`) polynomial instead of doubling the work at every level.
      if (expected.tag === 'mvar' && this.m.instantiate(expected).tag === 'mvar') throw x;
      // The retry is a fallback for the odd term that elaborates only arguments-first; a term
      // needing more than a few is wrong at depth, and retrying at every level costs a power of it.
      if (++this.retries > MAX_RETRIES) throw x;
      try {
        return this.applyFnCore(f, args, expected, lctx, explicit, e, false);
      } catch (y) {
        // Report the first error: it is usually the informative one.
        this.m.restore(saved);
        throw x;
      }
    }
  }

  private applyFnCore(f: Term, args: readonly PArg[], expected: Term | undefined, lctx: readonly number[], explicit: boolean, e: Expr, propagate: boolean): Term {
    let fType = this.m.instantiate(this.m.inferType(f));
    const positional = args.filter((a) => a.named === undefined);
    const named = new Map<string, Expr>();
    for (const a of args) if (a.named !== undefined && 'e' in a) named.set(a.named, a.e);
    const slots: { mvar: Term; arg: PArg }[] = [];
    let acc = f;
    let next = 0;
    for (;;) {
      if (fType.tag !== 'pi') {
        if (next >= positional.length && named.size === 0) break;
        const w = this.m.whnfUntil(fType, (t) => t.tag === 'pi');
        if (w.tag !== 'pi') {
          if (next < positional.length) this.err(() => `function expected: ${this.hooks.show(this.m.instantiate(acc), lctx)} : ${this.hooks.show(this.m.instantiate(fType), lctx)} cannot be applied to more arguments`, e);
          break;
        }
        fType = w;
      }
      const namedArg = named.get(fType.name);
      if (namedArg !== undefined) {
        named.delete(fType.name);
        const mv = this.m.mkMVar(fType.type, lctx);
        slots.push({ mvar: mv, arg: { e: namedArg } });
        acc = mkApp(acc, mv);
        fType = instantiate(fType.body, mv);
        continue;
      }
      if (fType.bi === 'implicit' && !explicit) {
        // Trailing implicits are inserted only when something follows (or always, like Lean, for constants).
        const mv = this.m.mkMVar(fType.type, lctx);
        acc = mkApp(acc, mv);
        fType = instantiate(fType.body, mv);
        continue;
      }
      if (next >= positional.length) {
        if (named.size > 0) this.err(() => `invalid argument name(s): ${[...named.keys()].join(', ')}`, e);
        break;
      }
      const arg = positional[next++]!;
      const mv = 'pre' in arg ? arg.pre : this.m.mkMVar(fType.type, lctx);
      if (!('pre' in arg)) slots.push({ mvar: mv, arg });
      else if (!this.m.isDefEq(this.m.inferType(arg.pre), fType.type)) {
        const want = fType.type;
        this.err(() => `argument type mismatch: ${this.hooks.show(this.m.instantiate(arg.pre), lctx)} has type ${this.hooks.show(this.m.instantiate(this.m.inferType(arg.pre)), lctx)} but ${this.hooks.show(this.m.instantiate(want), lctx)} is expected`, e);
      }
      acc = mkApp(acc, mv);
      fType = instantiate(fType.body, mv);
    }
    if (propagate && expected !== undefined) {
      if (!this.m.isDefEq(fType, expected)) {
        const got = fType, acc0 = acc;
        this.err(() => `type mismatch: ${this.hooks.show(this.m.instantiate(acc0), lctx)} has type ${this.hooks.show(this.m.instantiate(got), lctx)} but is expected to have type ${this.hooks.show(this.m.instantiate(expected), lctx)}`, e);
      }
    }
    for (const s of slots) {
      const d = this.m.mvarDecl((s.mvar as Term & { tag: 'mvar' }).id);
      const argE = (s.arg as Arg).e;
      const v = this.elab(argE, this.m.instantiate(d.type), lctx);
      if (!this.m.isDefEq(s.mvar, v)) {
        const vt = this.m.instantiate(this.m.inferType(v));
        this.err(() => `argument type mismatch: ${this.hooks.show(this.m.instantiate(v), lctx)} has type ${this.hooks.show(vt, lctx)} but is expected to have type ${this.hooks.show(this.m.instantiate(d.type), lctx)}`, argE);
      }
    }
    const r = this.m.instantiate(acc);
    if (!propagate && expected !== undefined) {
      if (!this.m.isDefEq(fType, expected)) {
        this.err(() => `type mismatch: ${this.hooks.show(r, lctx)} has type ${this.hooks.show(this.m.instantiate(fType), lctx)} but is expected to have type ${this.hooks.show(this.m.instantiate(expected), lctx)}`, e);
      }
    }
    return r;
  }

  /** Fails if natural metavariables remain unassigned in `t`. */
  ensureNoMVars(t: Term, e: Expr | undefined, allowGoals: boolean): Term {
    const r = this.m.instantiate(t);
    const ms = new Set<number>();
    collectMVars(r, ms);
    for (const id of ms) {
      if (this.m.isAssigned(id)) continue;
      const d = this.m.mvarDecl(id);
      if (allowGoals && d.kind === 'goal') continue;
      throw new ElabError("don't know how to synthesize placeholder", e?.pos);
    }
    return r;
  }
}

export { getAppArgs, mkLit };
