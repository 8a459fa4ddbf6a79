/**
 * Tactics (untrusted): each one assigns the main goal's metavariable a partial proof term
 * whose holes are new goals. Names and behaviour follow Lean 4 core. The finished term is
 * re-checked by check.ts; nothing here is trusted.
 */
import { LazyError } from './lazy-error.js';
import type { Env } from './check.js';
import { Elab, ElabError, type ElabHooks } from './elab.js';
import { Assignment, Meta, MetaError, NAT, PROP, Registry, collectMVars, headBeta } from './meta.js';
import { Printer } from './pretty.js';
import type { Expr, Pos, RPat, Tactic, CaseArm, RwRule } from './syntax.js';
import {
  type Term, type FVar, mkApp, mkApps, mkConst, mkDelayed, mkLit, instantiate, getAppFn, getAppArgs,
  termEq, hasFVarId, replaceFVar, abstractFVar, mkLam, mkPi, mkArrow, HAS_MVAR,
} from './term.js';

export class TacticError extends LazyError {}

export interface PState {
  readonly goals: readonly number[];
  readonly assign: ReadonlyMap<number, Term>;
}

/** Extension points filled by omega.ts, simp.ts and decide.ts (kept out of this file). */
export interface Deciders {
  omega?(t: Tactics, ctx: Ctx, gid: number): void;
  decide?(t: Tactics, ctx: Ctx, gid: number): void;
  simp?(t: Tactics, ctx: Ctx, gid: number, tac: Tactic & { k: 'simp' }): void;
}

export interface Ctx {
  readonly m: Meta;
  goals: number[];
  /** The tactic being run (for error positions). */
  pos?: Pos;
}

export const c = (n: string) => mkConst(n);

export class Tactics {
  readonly deciders: Deciders = {};
  constructor(readonly env: Env, readonly reg: Registry, readonly opts: { readonly intuitionistic: boolean }) {}

  // ------------------------------------------------------------------ helpers

  fail(msg: string | (() => string), ctx?: Ctx): never { throw new TacticError(msg, ctx?.pos); }

  printer(m: Meta, lctx: readonly number[]): Printer {
    const names = displayNames(m, lctx);
    return new Printer(this.env, { fvarName: (id) => names.get(id) ?? m.reg.fvars.get(id)?.name });
  }
  show(m: Meta, t: Term, lctx: readonly number[]): string { return this.printer(m, lctx).show(m.instantiate(t)); }

  hooks(ctx: Ctx): ElabHooks {
    return {
      runTactics: (goal, _lctx, tactics) => {
        const sub: Ctx = { m: ctx.m, goals: [goal] };
        this.runSeq(sub, tactics);
        const left = sub.goals.filter((g) => !ctx.m.isAssigned(g));
        if (left.length > 0) this.fail(() => `unsolved goals\n${this.showGoals(ctx.m, left)}`, ctx);
      },
      show: (t, lctx) => this.show(ctx.m, t, lctx),
    };
  }
  elab(ctx: Ctx): Elab { return new Elab(ctx.m, this.hooks(ctx), { intuitionistic: this.opts.intuitionistic }); }

  mainGoal(ctx: Ctx): number {
    ctx.goals = ctx.goals.filter((g) => !ctx.m.isAssigned(g));
    const g = ctx.goals[0];
    if (g === undefined) this.fail('no goals to be proved', ctx);
    return g;
  }
  target(ctx: Ctx, g: number): Term { return ctx.m.instantiate(ctx.m.mvarDecl(g).type); }
  lctx(ctx: Ctx, g: number): readonly number[] { return ctx.m.mvarDecl(g).lctx; }
  newGoal(ctx: Ctx, type: Term, lctx: readonly number[], tag?: string): number {
    const mv = ctx.m.mkMVar(type, lctx, 'goal', tag);
    return (mv as Term & { tag: 'mvar' }).id;
  }
  /** Replaces the main goal by `news` (in order). */
  replaceMain(ctx: Ctx, g: number, news: readonly number[]): void {
    const i = ctx.goals.indexOf(g);
    ctx.goals.splice(i, 1, ...news);
  }
  assignGoal(ctx: Ctx, g: number, v: Term): void {
    if (ctx.m.isAssigned(g)) this.fail('internal: goal already assigned', ctx);
    ctx.m.assign.set(g, v);
  }
  showGoals(m: Meta, goals: readonly number[]): string {
    return goals.map((g) => this.goalText(m, g)).join('\n\n');
  }
  goalText(m: Meta, g: number): string {
    const d = m.mvarDecl(g);
    const p = this.printer(m, d.lctx);
    const names = displayNames(m, d.lctx);
    const lines: string[] = [];
    if (d.tag !== undefined) lines.push(`case ${d.tag}`);
    for (const id of d.lctx) lines.push(`${names.get(id)} : ${p.show(m.instantiate(m.localDecl(id).type))}`);
    lines.push(`⊢ ${p.show(m.instantiate(d.type))}`);
    return lines.join('\n');
  }

  /** Whnf with definitions unfolded until the head is one of `heads` (or a Pi when heads includes 'pi'). */
  whnfHead(m: Meta, t: Term, heads: readonly string[]): Term {
    return m.whnfUntil(m.instantiate(t), (x) => {
      if (x.tag === 'pi') return heads.includes('pi');
      const h = getAppFn(x);
      return h.tag === 'const' && heads.includes(h.name);
    });
  }
  headName(t: Term): string | undefined {
    if (t.tag === 'pi') return 'pi';
    const h = getAppFn(t);
    return h.tag === 'const' ? h.name : undefined;
  }

  // ------------------------------------------------------------------ running

  run(state: PState, tactics: readonly Tactic[]): PState {
    const m = new Meta(this.env, this.reg, new Assignment(state.assign));
    const ctx: Ctx = { m, goals: [...state.goals] };
    for (const t of tactics) {
      this.reg.startTactic();
      this.runOne(ctx, t);
      this.reg.releaseAssigned((id) => m.isAssigned(id));
    }
    return { goals: ctx.goals.filter((g) => !m.isAssigned(g)), assign: m.assign };
  }

  runSeq(ctx: Ctx, tactics: readonly Tactic[]): void {
    for (const t of tactics) this.runOne(ctx, t);
  }

  runOne(ctx: Ctx, t: Tactic): void {
    const old = ctx.pos;
    ctx.pos = t.pos;
    try {
      this.exec(ctx, t);
    } catch (e) {
      if (e instanceof ElabError) throw new TacticError(e.message, e.pos ?? t.pos);
      if (e instanceof MetaError) throw new TacticError(e.message, t.pos);
      if (e instanceof RangeError) throw new TacticError('nesting too deep (stack exhausted)', t.pos);
      throw e;
    } finally {
      ctx.pos = old;
    }
  }

  /** Runs `tactics` on goal g alone; they must close it. */
  private solveWith(ctx: Ctx, g: number, tactics: readonly Tactic[], what: string): void {
    const sub: Ctx = { m: ctx.m, goals: [g], pos: ctx.pos };
    this.runSeq(sub, tactics);
    const left = sub.goals.filter((x) => !ctx.m.isAssigned(x));
    if (left.length > 0) this.fail(() => `unsolved goals${what ? ` (${what})` : ''}\n${this.showGoals(ctx.m, left)}`, ctx);
  }

  private exec(ctx: Ctx, t: Tactic): void {
    const m = ctx.m;
    switch (t.k) {
      case 'intro': {
        if (t.pats.length === 0) { this.intro(ctx, this.mainGoal(ctx), undefined); return; }
        for (const p of t.pats) {
          const g = this.mainGoal(ctx);
          if (p.k === 'name') this.intro(ctx, g, p.name);
          else {
            const [g2, x] = this.intro(ctx, g, '_');
            this.rcasesTop(ctx, g2, x, p, true);
          }
        }
        return;
      }
      case 'intros': {
        if (t.names.length > 0) { for (const n of t.names) this.intro(ctx, this.mainGoal(ctx), n); return; }
        for (;;) {
          const g = this.mainGoal(ctx);
          const ty = this.target(ctx, g);
          if (m.whnfCore(ty).tag !== 'pi') return;
          this.intro(ctx, g, undefined);
        }
      }
      case 'exact': {
        const g = this.mainGoal(ctx);
        const el = this.elab(ctx);
        const v = el.elab(t.e, this.target(ctx, g), this.lctx(ctx, g));
        el.ensureNoMVars(v, t.e, false);
        this.assignGoal(ctx, g, v);
        this.replaceMain(ctx, g, []);
        return;
      }
      case 'refine': {
        const g = this.mainGoal(ctx);
        const el = this.elab(ctx);
        const v = el.elab(t.e, this.target(ctx, g), this.lctx(ctx, g));
        el.ensureNoMVars(v, t.e, true);
        this.assignGoal(ctx, g, v);
        this.replaceMain(ctx, g, el.synthGoals.filter((x) => !m.isAssigned(x)));
        return;
      }
      case 'exfalsoExact': return;
      case 'apply': {
        const g = this.mainGoal(ctx);
        const el = this.elab(ctx);
        const v = el.elab(t.e, undefined, this.lctx(ctx, g));
        this.applyTerm(ctx, g, v, el.synthGoals);
        return;
      }
      case 'exists': {
        for (const e of t.es) {
          const g = this.mainGoal(ctx);
          const w = this.whnfHead(m, this.target(ctx, g), ['Exists']);
          if (this.headName(w) !== 'Exists') this.fail(() => `exists: the goal is not an ∃: ${this.show(m, w, this.lctx(ctx, g))}`, ctx);
          const [al, p] = getAppArgs(w) as [Term, Term];
          const el = this.elab(ctx);
          const x = el.elab(e, al, this.lctx(ctx, g));
          el.ensureNoMVars(x, e, false);
          const g2 = this.newGoal(ctx, headBeta(mkApp(p, x)), this.lctx(ctx, g), m.mvarDecl(g).tag);
          this.assignGoal(ctx, g, mkApps(c('Exists.intro'), [al, p, x, mkMVarT(g2)]));
          this.replaceMain(ctx, g, [g2]);
        }
        const g = this.mainGoal(ctx);
        this.tryClose(ctx, g, ['True.intro', 'rfl', 'assumption']);
        return;
      }
      case 'simple': return this.simple(ctx, t.name);
      case 'rcases': {
        const g = this.mainGoal(ctx);
        const el = this.elab(ctx);
        const v = el.elab(t.e, undefined, this.lctx(ctx, g));
        el.ensureNoMVars(v, t.e, false);
        this.rcasesTop(ctx, g, v, t.pat, true);
        return;
      }
      case 'obtain': {
        const g = this.mainGoal(ctx);
        const el = this.elab(ctx);
        let ty: Term | undefined;
        if (t.type !== undefined) ty = el.elabType(t.type, this.lctx(ctx, g));
        if (t.e === undefined) {
          if (ty === undefined) this.fail('obtain needs a type or a value', ctx);
          const gT = this.newGoal(ctx, ty, this.lctx(ctx, g));
          this.replaceMain(ctx, g, [gT, g]);
          this.rcasesTop(ctx, g, mkMVarT(gT), t.pat, false);
          return;
        }
        const v = el.elab(t.e, ty, this.lctx(ctx, g));
        el.ensureNoMVars(v, t.e, false);
        this.rcasesTop(ctx, g, v, t.pat, true);
        return;
      }
      case 'cases': case 'induction': return this.casesInduction(ctx, t);
      case 'have': {
        const g = this.mainGoal(ctx);
        const lctx = this.lctx(ctx, g);
        const el = this.elab(ctx);
        let ty = t.type !== undefined ? el.elabType(t.type, lctx) : undefined;
        const name = t.name ?? 'this';
        if (t.e === undefined) {
          const gT = this.newGoal(ctx, ty!, lctx);
          const x = m.mkLocal(name, ty!);
          const g2 = this.newGoal(ctx, this.target(ctx, g), [...lctx, x.id], m.mvarDecl(g).tag);
          this.assignGoal(ctx, g, mkApp(mkDelayed([x], g2), mkMVarT(gT)));
          this.replaceMain(ctx, g, [gT, g2]);
          return;
        }
        const v = el.elab(t.e, ty, lctx);
        el.ensureNoMVars(v, t.e, false);
        ty ??= m.instantiate(m.inferType(v));
        const x = m.mkLocal(name, ty);
        const g2 = this.newGoal(ctx, this.target(ctx, g), [...lctx, x.id], m.mvarDecl(g).tag);
        this.assignGoal(ctx, g, mkApp(mkDelayed([x], g2), v));
        this.replaceMain(ctx, g, [g2]);
        return;
      }
      case 'show': {
        const g = this.mainGoal(ctx);
        const ty = this.elab(ctx).elabType(t.type, this.lctx(ctx, g));
        if (!m.isDefEq(ty, this.target(ctx, g))) this.fail(() => `show: type mismatch, the goal is ${this.show(m, this.target(ctx, g), this.lctx(ctx, g))}`, ctx);
        const g2 = this.newGoal(ctx, m.instantiate(ty), this.lctx(ctx, g), m.mvarDecl(g).tag);
        this.assignGoal(ctx, g, mkMVarT(g2));
        this.replaceMain(ctx, g, [g2]);
        return;
      }
      case 'specialize': {
        const g = this.mainGoal(ctx);
        const lctx = this.lctx(ctx, g);
        let head: Expr = t.e;
        while (head.k === 'app') head = head.fn;
        if (head.k !== 'ident') this.fail('specialize: the head must be a hypothesis', ctx);
        const h = this.elab(ctx).resolveLocal(head.name, lctx);
        if (h === undefined) this.fail(() => `specialize: unknown hypothesis '${head.name}'`, ctx);
        const el = this.elab(ctx);
        const v = el.elab(t.e, undefined, lctx);
        el.ensureNoMVars(v, t.e, false);
        const x = m.mkLocal(head.name, m.instantiate(m.inferType(v)));
        const g2 = this.newGoal(ctx, this.target(ctx, g), [...lctx.filter((id) => id !== h.id), x.id], m.mvarDecl(g).tag);
        this.assignGoal(ctx, g, mkApp(mkDelayed([x], g2), v));
        this.replaceMain(ctx, g, [g2]);
        return;
      }
      case 'revert': {
        for (const n of [...t.names].reverse()) {
          const g = this.mainGoal(ctx);
          const h = this.elab(ctx).resolveLocal(n, this.lctx(ctx, g));
          if (h === undefined) this.fail(() => `revert: unknown hypothesis '${n}'`, ctx);
          this.revert(ctx, g, [h]);
        }
        return;
      }
      case 'clear': {
        for (const n of t.names) {
          const g = this.mainGoal(ctx);
          const lctx = this.lctx(ctx, g);
          const h = this.elab(ctx).resolveLocal(n, lctx);
          if (h === undefined) this.fail(() => `clear: unknown hypothesis '${n}'`, ctx);
          const rest = lctx.filter((id) => id !== h.id);
          if (rest.some((id) => hasFVarId(m.instantiate(m.localDecl(id).type), h.id)) || hasFVarId(this.target(ctx, g), h.id)) this.fail(() => `clear: other hypotheses or the goal depend on '${n}'`, ctx);
          const g2 = this.newGoal(ctx, this.target(ctx, g), rest, m.mvarDecl(g).tag);
          this.assignGoal(ctx, g, mkMVarT(g2));
          this.replaceMain(ctx, g, [g2]);
        }
        return;
      }
      case 'byCases': {
        const g = this.mainGoal(ctx);
        const lctx = this.lctx(ctx, g);
        const p = this.elab(ctx).elab(t.e, PROP, lctx);
        const name = t.name ?? 'h';
        const em = this.emFor(ctx, p);
        const x = m.mkLocal(name, p), y = m.mkLocal(name, mkApp(c('Not'), p));
        const target = this.target(ctx, g);
        const g1 = this.newGoal(ctx, target, [...lctx, x.id], 'pos');
        const g2 = this.newGoal(ctx, target, [...lctx, y.id], 'neg');
        this.assignGoal(ctx, g, mkApps(c('Or.elim'), [p, mkApp(c('Not'), p), target, em, mkDelayed([x], g1), mkDelayed([y], g2)]));
        this.replaceMain(ctx, g, [g1, g2]);
        return;
      }
      case 'rw': {
        for (const r of t.rules) this.rewrite(ctx, r, t.at);
        const g = ctx.goals.filter((x) => !m.isAssigned(x))[0];
        if (g !== undefined && !t.rwOnly) this.tryRflReducible(ctx, g);
        return;
      }
      case 'simp': {
        const g = this.mainGoal(ctx);
        if (this.deciders.simp === undefined) this.fail('simp is not available', ctx);
        this.deciders.simp(this, ctx, g, t);
        return;
      }
      case 'unfold': {
        const g = this.mainGoal(ctx);
        const lctx = this.lctx(ctx, g);
        const ty = this.target(ctx, g);
        let u = ty;
        for (const n of t.names) u = unfoldConst(m, u, n);
        if (termEq(u, ty)) this.fail('unfold made no progress', ctx);
        const g2 = this.newGoal(ctx, u, lctx, m.mvarDecl(g).tag);
        this.assignGoal(ctx, g, mkMVarT(g2));
        this.replaceMain(ctx, g, [g2]);
        return;
      }
      case 'focus': {
        const g = this.mainGoal(ctx);
        this.solveWith(ctx, g, t.tactics, '');
        this.replaceMain(ctx, g, []);
        return;
      }
      case 'paren': return this.runSeq(ctx, t.tactics);
      case 'then': {
        const g = this.mainGoal(ctx);
        const before = new Set(ctx.goals);
        const sub: Ctx = { m, goals: [g], pos: ctx.pos };
        this.runOne(sub, t.first);
        const produced = sub.goals.filter((x) => !m.isAssigned(x));
        const out: number[] = [];
        for (const x of produced) {
          const s2: Ctx = { m, goals: [x], pos: ctx.pos };
          this.runOne(s2, t.rest);
          out.push(...s2.goals.filter((y) => !m.isAssigned(y)));
        }
        void before;
        this.replaceMain(ctx, g, out);
        return;
      }
      case 'first': {
        for (const alt of t.alts) {
          const saved = m.save();
          const goals = [...ctx.goals];
          try { this.runSeq(ctx, alt); return; } catch (e) {
            if (!(e instanceof TacticError)) throw e;
            m.restore(saved); ctx.goals = goals;
          }
        }
        this.fail('first: all alternatives failed', ctx);
      }
      case 'try': {
        const saved = m.save();
        const goals = [...ctx.goals];
        try { this.runSeq(ctx, t.tactics); } catch (e) {
          if (!(e instanceof TacticError)) throw e;
          m.restore(saved); ctx.goals = goals;
        }
        return;
      }
      case 'repeat': {
        for (let i = 0; i < 64; i++) {
          const saved = m.save();
          const goals = [...ctx.goals];
          try { this.runSeq(ctx, t.tactics); } catch (e) {
            if (!(e instanceof TacticError)) throw e;
            m.restore(saved); ctx.goals = goals;
            return;
          }
          if (ctx.goals.filter((x) => !m.isAssigned(x)).length === 0) return;
        }
        return;
      }
      case 'allGoals': case 'anyGoals': {
        const goals = ctx.goals.filter((x) => !m.isAssigned(x));
        const out: number[] = [];
        let anyOk = false;
        for (const g of goals) {
          const saved = m.save();
          const sub: Ctx = { m, goals: [g], pos: ctx.pos };
          try { this.runSeq(sub, t.tactics); anyOk = true; out.push(...sub.goals.filter((y) => !m.isAssigned(y))); } catch (e) {
            if (t.k === 'allGoals' || !(e instanceof TacticError)) throw e;
            m.restore(saved);
            out.push(g);
          }
        }
        if (!anyOk && goals.length > 0) this.fail('any_goals: failed on all goals', ctx);
        ctx.goals = out;
        return;
      }
      case 'case': {
        const goals = ctx.goals.filter((x) => !m.isAssigned(x));
        const g = t.tag === '' ? goals[0] : goals.find((x) => m.mvarDecl(x).tag === t.tag);
        if (g === undefined) this.fail(() => `case: no goal tagged '${t.tag}'`, ctx);
        const g2 = this.renameInaccessible(ctx, g, t.names);
        this.solveWith(ctx, g2, t.tactics, `case ${t.tag}`);
        ctx.goals = ctx.goals.filter((x) => x !== g);
        return;
      }
    }
  }

  private simple(ctx: Ctx, name: string): void {
    const m = ctx.m;
    if (name === 'skip') return;
    if (name === 'done') {
      const left = ctx.goals.filter((x) => !m.isAssigned(x));
      if (left.length > 0) this.fail(() => `unsolved goals\n${this.showGoals(m, left)}`, ctx);
      return;
    }
    const g = this.mainGoal(ctx);
    const lctx = this.lctx(ctx, g);
    const target = this.target(ctx, g);
    switch (name) {
      case 'sorry': this.fail('sorry is not a proof', ctx);
      // falls through (unreachable)
      case 'constructor': {
        const w = this.whnfHead(m, target, ['And', 'Iff', 'True', 'Exists', 'Nat.le']);
        const ctor = ({ And: 'And.intro', Iff: 'Iff.intro', True: 'True.intro', Exists: 'Exists.intro', 'Nat.le': 'Nat.le.refl' } as Record<string, string>)[this.headName(w) ?? ''];
        if (ctor === undefined) this.fail(() => `constructor: the goal is not an inductive proposition with constructors: ${this.show(m, target, lctx)}`, ctx);
        this.applyTerm(ctx, g, c(ctor), []);
        return;
      }
      case 'left': case 'right': {
        const w = this.whnfHead(m, target, ['Or']);
        if (this.headName(w) !== 'Or') this.fail(() => `${name}: the goal is not a disjunction: ${this.show(m, target, lctx)}`, ctx);
        this.applyTerm(ctx, g, c(name === 'left' ? 'Or.inl' : 'Or.inr'), []);
        return;
      }
      case 'exfalso': {
        const g2 = this.newGoal(ctx, c('False'), lctx, m.mvarDecl(g).tag);
        this.assignGoal(ctx, g, mkApps(c('False.elim'), [target, mkMVarT(g2)]));
        this.replaceMain(ctx, g, [g2]);
        return;
      }
      case 'assumption': {
        if (!this.assumption(ctx, g)) this.fail('assumption: no hypothesis matches the goal', ctx);
        return;
      }
      case 'contradiction': {
        if (!this.contradiction(ctx, g)) this.fail('contradiction: no contradictory hypotheses found', ctx);
        return;
      }
      case 'trivial': {
        if (!this.tryClose(ctx, g, ['True.intro', 'rfl', 'assumption', 'decide', 'and'])) this.fail('trivial failed', ctx);
        return;
      }
      case 'rfl': {
        if (!this.rfl(ctx, g, false)) this.fail(() => `rfl: the goal is not reflexive (or its sides are not definitionally equal): ${this.show(m, target, lctx)}`, ctx);
        return;
      }
      case 'decide': {
        if (this.deciders.decide === undefined) this.fail('decide is not available', ctx);
        this.deciders.decide(this, ctx, g);
        return;
      }
      case 'omega': {
        if (this.deciders.omega === undefined) this.fail('omega is not available', ctx);
        this.deciders.omega(this, ctx, g);
        return;
      }
    }
  }

  // ------------------------------------------------------------------ building blocks

  /** Introduces one binder of goal g. */
  intro(ctx: Ctx, g: number, name: string | undefined): [number, FVar] {
    const m = ctx.m;
    const d = m.mvarDecl(g);
    const ty = m.whnfUntil(m.instantiate(d.type), (t) => t.tag === 'pi');
    if (ty.tag !== 'pi') this.fail(() => `intro: no additional binders, the goal is ${this.show(m, d.type, d.lctx)}`, ctx);
    const n = name === undefined || name === '_' ? `${ty.name === '_' ? 'a' : ty.name}✝` : name;
    const x = m.mkLocal(n, ty.type);
    const g2 = this.newGoal(ctx, instantiate(ty.body, x), [...d.lctx, x.id], d.tag);
    this.assignGoal(ctx, g, mkDelayed([x], g2));
    this.replaceMain(ctx, g, [g2]);
    return [g2, x];
  }

  /** Reverts `hs` and the hypotheses that depend on them (in context order). */
  revertWithDeps(ctx: Ctx, g: number, hs: readonly FVar[]): string[] {
    const m = ctx.m;
    const d = m.mvarDecl(g);
    const ids = new Set(hs.map((h) => h.id));
    for (const id of d.lctx) {
      if (ids.has(id)) continue;
      const ty = m.instantiate(m.localDecl(id).type);
      if ([...ids].some((x) => hasFVarId(ty, x))) ids.add(id);
    }
    const fvs = d.lctx.filter((id) => ids.has(id)).map((id) => m.localDecl(id).fvar);
    this.revert(ctx, g, fvs);
    return fvs.map((f) => m.localDecl(f.id).name);
  }

  private introNames(ctx: Ctx, g: number, names: readonly string[]): number {
    let cur = g;
    for (const n of names) {
      const sub: Ctx = { m: ctx.m, goals: [cur], pos: ctx.pos };
      [cur] = this.intro(sub, cur, n);
    }
    return cur;
  }

  /** Reverts hypotheses `hs` (and nothing depends on them). */
  revert(ctx: Ctx, g: number, hs: readonly FVar[]): number {
    const m = ctx.m;
    const d = m.mvarDecl(g);
    const ids = new Set(hs.map((h) => h.id));
    const rest = d.lctx.filter((id) => !ids.has(id));
    for (const id of rest) for (const h of hs) if (hasFVarId(m.instantiate(m.localDecl(id).type), h.id)) this.fail(() => `revert: '${m.localDecl(id).name}' depends on '${m.localDecl(h.id).name}'`, ctx);
    const ty = m.piFVars(hs, this.target(ctx, g));
    const g2 = this.newGoal(ctx, ty, rest, d.tag);
    this.assignGoal(ctx, g, mkApps(mkMVarT(g2), hs));
    this.replaceMain(ctx, g, [g2]);
    return g2;
  }

  /** `apply v`: unify the conclusion of v's type (after some arguments) with the goal. */
  applyTerm(ctx: Ctx, g: number, v: Term, synth: readonly number[]): void {
    const m = ctx.m;
    const lctx = this.lctx(ctx, g);
    const target = this.target(ctx, g);
    const vt = m.instantiate(m.inferType(v));
    // Count the binders available.
    let maxArgs = 0;
    {
      let t = vt;
      for (let i = 0; i < 64; i++) {
        t = m.whnfUntil(t, (x) => x.tag === 'pi');
        if (t.tag !== 'pi') break;
        maxArgs++;
        t = instantiate(t.body, m.mkLocal(t.name, t.type));
      }
    }
    for (let k = 0; k <= maxArgs; k++) {
      const saved = m.save();
      let t = vt;
      const mvs: Term[] = [];
      const deps: boolean[] = [];
      for (let i = 0; i < k; i++) {
        t = m.whnfUntil(m.instantiate(t), (x) => x.tag === 'pi');
        if (t.tag !== 'pi') break;
        const mv = m.mkMVar(t.type, lctx, 'goal', t.name === '_' ? undefined : t.name);
        deps.push(usesBVar0(t.body));
        mvs.push(mv);
        t = instantiate(t.body, mv);
      }
      if (mvs.length !== k) break;
      if (m.isDefEq(t, target)) {
        this.assignGoal(ctx, g, mkApps(v, mvs));
        const open = mvs.map((x) => (x as Term & { tag: 'mvar' }).id).filter((id) => !m.isAssigned(id));
        const nonDep = open.filter((id, i) => !deps[mvs.findIndex((x) => (x as Term & { tag: 'mvar' }).id === id)] || i < 0);
        const dep = open.filter((id) => !nonDep.includes(id));
        this.replaceMain(ctx, g, [...nonDep, ...dep, ...synth.filter((x) => !m.isAssigned(x))]);
        return;
      }
      m.restore(saved);
    }
    this.fail(() => `apply: could not unify the conclusion of ${this.show(m, vt, lctx)} with the goal ${this.show(m, target, lctx)}`, ctx);
  }

  assumption(ctx: Ctx, g: number): boolean {
    const m = ctx.m;
    const lctx = this.lctx(ctx, g);
    const target = this.target(ctx, g);
    for (let i = lctx.length - 1; i >= 0; i--) {
      const d = m.localDecl(lctx[i]!);
      const saved = m.save();
      if (m.isDefEq(d.type, target)) {
        if ((m.instantiate(target).fl & HAS_MVAR) !== 0) { m.restore(saved); continue; }
        this.assignGoal(ctx, g, d.fvar);
        this.replaceMain(ctx, g, []);
        return true;
      }
      m.restore(saved);
    }
    return false;
  }

  contradiction(ctx: Ctx, g: number): boolean {
    const m = ctx.m;
    const lctx = this.lctx(ctx, g);
    const target = this.target(ctx, g);
    const close = (pf: Term) => { this.assignGoal(ctx, g, mkApps(c('False.elim'), [target, pf])); this.replaceMain(ctx, g, []); return true; };
    const hyps = lctx.map((id) => m.localDecl(id));
    for (const h of hyps) {
      const ty = m.instantiate(h.type);
      const w = this.whnfHead(m, ty, ['False', 'Empty', 'Ne', 'pi']);
      if (this.headName(w) === 'False') return close(h.fvar);
      // h : a ≠ a
      if (ty.tag === 'app' && isApp(ty, 'Ne', 3)) {
        const [al, a, b] = getAppArgs(ty) as [Term, Term, Term];
        if (m.isDefEq(a, b)) return close(mkApp(h.fvar, mkApps(c('Eq.refl'), [al, a])));
      }
    }
    for (const hn of hyps) {
      const w = m.whnfUntil(m.instantiate(hn.type), (x) => x.tag === 'pi');
      if (w.tag !== 'pi' || w.body.lbr > 0) continue;
      const concl = m.whnf(w.body);
      if (!(concl.tag === 'const' && concl.name === 'False')) continue;
      for (const hp of hyps) {
        if (hp === hn) continue;
        const saved = m.save();
        if (m.isDefEq(hp.type, w.type)) return close(mkApp(hn.fvar, hp.fvar));
        m.restore(saved);
      }
    }
    // Constructor clash: h : succ x = 0 (or 0 = succ x), also with x + 1 or a positive literal.
    for (const h of hyps) {
      const ty = m.instantiate(h.type);
      if (!isApp(ty, 'Eq', 3)) continue;
      const [al, a, b] = getAppArgs(ty) as [Term, Term, Term];
      if (!m.isDefEq(al, NAT)) continue;
      const pos = (x: Term): Term | undefined => {
        const w = m.whnf(x);
        if (w.tag === 'lit') return w.value > 0 ? mkLit(w.value - 1) : undefined;
        return w.tag === 'app' && w.fn.tag === 'const' && w.fn.name === 'Nat.succ' ? w.arg : undefined;
      };
      const zero = (x: Term) => { const w = m.whnf(x); return w.tag === 'lit' && w.value === 0; };
      const pa = pos(a), pb = pos(b);
      if (pa !== undefined && zero(b)) return close(mkApps(c('Nat.succ_ne_zero'), [pa, h.fvar]));
      if (pb !== undefined && zero(a)) return close(mkApps(c('Nat.succ_ne_zero'), [pb, mkApps(c('Eq.symm'), [NAT, a, b, h.fvar])]));
    }
    // Constructor clash on Nat literals: h : a = b with a, b closed and different.
    if (this.deciders.decide !== undefined) {
      for (const h of hyps) {
        const ty = m.instantiate(h.type);
        if (!isApp(ty, 'Eq', 3)) continue;
        const sub: Ctx = { m, goals: [], pos: ctx.pos };
        const gN = this.newGoal(ctx, mkApp(c('Not'), ty), lctx);
        sub.goals = [gN];
        const saved = m.save();
        try { this.deciders.decide(this, sub, gN); return close(mkApp(mkMVarT(gN), h.fvar)); } catch { m.restore(saved); }
      }
    }
    return false;
  }

  /** `rfl`: Eq (by definitional unfolding), Iff, Nat.le. With `reducible`, only syntactic equality after instantiation. */
  rfl(ctx: Ctx, g: number, reducible: boolean): boolean {
    const m = ctx.m;
    const target = this.target(ctx, g);
    const w = this.whnfHead(m, target, ['Eq', 'Iff', 'Nat.le']);
    const h = this.headName(w);
    const args = getAppArgs(w);
    const saved = m.save();
    let pf: Term | undefined;
    if (h === 'Eq' && args.length === 3) {
      const ok = reducible ? termEq(m.instantiate(args[1]!), m.instantiate(args[2]!)) : m.isDefEq(args[1]!, args[2]!);
      if (ok) pf = mkApps(c('Eq.refl'), [args[0]!, args[1]!]);
    } else if (h === 'Iff' && args.length === 2) {
      if (reducible ? termEq(args[0]!, args[1]!) : m.isDefEq(args[0]!, args[1]!)) pf = mkApps(c('Iff.refl'), [args[0]!]);
    } else if (h === 'Nat.le' && args.length === 2 && !reducible) {
      if (m.isDefEq(args[0]!, args[1]!)) pf = mkApps(c('Nat.le.refl'), [args[0]!]);
    }
    if (pf === undefined) { m.restore(saved); return false; }
    this.assignGoal(ctx, g, pf);
    this.replaceMain(ctx, g, []);
    return true;
  }

  private tryRflReducible(ctx: Ctx, g: number): void {
    const saved = ctx.m.save();
    try { this.rfl(ctx, g, true); } catch { ctx.m.restore(saved); }
  }

  /** Tries closers in order; returns whether one closed g. */
  tryClose(ctx: Ctx, g: number, closers: readonly string[]): boolean {
    const m = ctx.m;
    for (const k of closers) {
      const saved = m.save();
      const goals = [...ctx.goals];
      try {
        const target = this.target(ctx, g);
        if (k === 'True.intro') {
          const w = this.whnfHead(m, target, ['True']);
          if (this.headName(w) === 'True') { this.assignGoal(ctx, g, c('True.intro')); this.replaceMain(ctx, g, []); return true; }
        } else if (k === 'rfl') { if (this.rfl(ctx, g, false)) return true; }
        else if (k === 'assumption') { if (this.assumption(ctx, g)) return true; }
        else if (k === 'decide' && this.deciders.decide !== undefined) {
          if ((target.fl & 3) === 0) { this.deciders.decide(this, ctx, g); return true; }
        } else if (k === 'and') {
          const w = this.whnfHead(m, target, ['And']);
          if (this.headName(w) === 'And') {
            this.applyTerm(ctx, g, c('And.intro'), []);
            const [g1, g2] = ctx.goals;
            if (g1 !== undefined && g2 !== undefined && this.tryClose(ctx, g1, closers) && this.tryClose(ctx, g2, closers)) return true;
            throw new TacticError('and');
          }
        }
      } catch (e) {
        if (!(e instanceof TacticError) && !(e instanceof MetaError) && !(e instanceof ElabError)) throw e;
      }
      m.restore(saved);
      ctx.goals = goals;
    }
    return false;
  }

  /** A proof of `p ∨ ¬p`: constructive for decidable Nat comparisons, else Classical.em. */
  emFor(ctx: Ctx, p: Term): Term {
    const m = ctx.m;
    const w = this.whnfHead(m, p, ['Eq', 'Nat.le']);
    const h = this.headName(w);
    const args = getAppArgs(w);
    if (h === 'Eq' && args.length === 3 && m.isDefEq(args[0]!, NAT) && this.env.has('Nat.em_eq')) return mkApps(c('Nat.em_eq'), [args[1]!, args[2]!]);
    if (h === 'Nat.le' && args.length === 2 && this.env.has('Nat.em_le')) return mkApps(c('Nat.em_le'), [args[0]!, args[1]!]);
    if (this.opts.intuitionistic) this.fail('by_cases on a proposition that is not decidable needs excluded middle, which --intuitionistic forbids', ctx);
    return mkApp(c('Classical.em'), p);
  }

  private renameInaccessible(ctx: Ctx, g: number, names: readonly string[]): number {
    if (names.length === 0) return g;
    const m = ctx.m;
    const d = m.mvarDecl(g);
    const inacc = d.lctx.filter((id) => m.localDecl(id).name.endsWith('✝'));
    const pick = inacc.slice(Math.max(0, inacc.length - names.length));
    const map = new Map<number, string>();
    pick.forEach((id, i) => { const n = names[i]; if (n !== undefined && n !== '_') map.set(id, n); });
    if (map.size === 0) return g;
    // Re-introduce renamed locals as new fvars bound to the old ones.
    let lctx = [...d.lctx];
    let target = m.instantiate(d.type);
    const news: [FVar, FVar][] = [];
    for (const [id, n] of map) {
      const old = m.localDecl(id);
      const x = m.mkLocal(n, old.type);
      news.push([old.fvar, x]);
      lctx = lctx.map((y) => (y === id ? x.id : y));
      target = replaceFVar(target, id, x);
    }
    const g2 = this.newGoal(ctx, target, lctx, d.tag);
    let v: Term = mkDelayed(news.map(([, x]) => x), g2);
    v = mkApps(v, news.map(([o]) => o));
    this.assignGoal(ctx, g, v);
    this.replaceMain(ctx, g, [g2]);
    return g2;
  }

  // ------------------------------------------------------------------ rcases / cases / induction

  /** Destructs `v` in goal g by pattern `pat`; clears `v` from the new goals when it is a local. */
  rcasesTop(ctx: Ctx, g: number, v: Term, pat: RPat, clear: boolean): void {
    const news = this.rcases(ctx, g, v, pat, clear);
    this.replaceMain(ctx, g, news);
  }

  private withoutLocal(lctx: readonly number[], v: Term, clear: boolean): number[] {
    return clear && v.tag === 'fvar' ? lctx.filter((id) => id !== v.id) : [...lctx];
  }

  /** Returns the new goals (in order). Does not touch ctx.goals. */
  rcases(ctx: Ctx, g: number, v: Term, pat: RPat, clear: boolean): number[] {
    const m = ctx.m;
    const d = m.mvarDecl(g);
    const target = m.instantiate(d.type);
    const vty = m.instantiate(m.inferType(v));
    switch (pat.k) {
      case 'clear': return [g];
      case 'rfl': return this.substEq(ctx, g, v, vty, clear);
      case 'typed': {
        const ty = this.elab(ctx).elabType(pat.type, d.lctx);
        if (!m.isDefEq(ty, vty)) this.fail(() => `rcases: type mismatch in pattern, ${this.show(m, ty, d.lctx)} vs ${this.show(m, vty, d.lctx)}`, ctx);
        return this.rcases(ctx, g, v, pat.pat, clear);
      }
      case 'name': {
        if (v.tag === 'fvar' && (pat.name === '_' ? false : m.localDecl(v.id).name === pat.name) && d.lctx.includes(v.id)) return [g];
        const x = m.mkLocal(pat.name === '_' ? 'h✝' : pat.name, vty);
        const g2 = this.newGoal(ctx, target, [...this.withoutLocal(d.lctx, v, clear), x.id], d.tag);
        this.assignGoal(ctx, g, mkApp(mkDelayed([x], g2), v));
        return [g2];
      }
      case 'tuple': {
        if (pat.elems.length === 1) return this.rcases(ctx, g, v, pat.elems[0]!, clear);
        const w = this.whnfHead(m, vty, ['And', 'Iff', 'Exists', 'True', 'False', 'Empty', 'Or']);
        const h = this.headName(w);
        const args = getAppArgs(w);
        if (pat.elems.length === 0) {
          if (h === 'False' || h === 'Empty') {
            this.assignGoal(ctx, g, mkApps(c(h === 'False' ? 'False.elim' : 'Empty.elim'), [target, v]));
            return [];
          }
          return [g];
        }
        const p1 = pat.elems[0]!;
        const rest: RPat = pat.elems.length === 2 ? pat.elems[1]! : { k: 'tuple', elems: pat.elems.slice(1) };
        if (h === 'And' || h === 'Iff' || h === 'Exists') {
          let x: FVar, y: FVar, term: (body: Term) => Term;
          const nm = (p: RPat, dflt: string) => (p.k === 'name' && p.name !== '_' ? p.name : `${dflt}✝`);
          if (h === 'Exists') {
            const [al, p] = args as [Term, Term];
            x = m.mkLocal(nm(p1, 'w'), al);
            y = m.mkLocal(nm(rest, 'h'), headBeta(mkApp(p, x)));
            term = (body) => mkApps(c('Exists.elim'), [al, p, target, v, body]);
          } else {
            const [a, b] = args as [Term, Term];
            x = m.mkLocal(nm(p1, h === 'And' ? 'left' : 'mp'), h === 'And' ? a : mkArrowT(a, b));
            y = m.mkLocal(nm(rest, h === 'And' ? 'right' : 'mpr'), h === 'And' ? b : mkArrowT(b, a));
            term = (body) => mkApps(c(`${h}.rec`), [a, b, target, body, v]);
          }
          const g2 = this.newGoal(ctx, target, [...this.withoutLocal(d.lctx, v, clear), x.id, y.id], d.tag);
          this.assignGoal(ctx, g, term(mkDelayed([x, y], g2)));
          const out: number[] = [];
          const afterX = p1.k === 'name' ? [g2] : this.rcases(ctx, g2, x, p1, true);
          for (const g3 of afterX) {
            if (rest.k === 'name') out.push(g3);
            else out.push(...this.rcases(ctx, g3, y, rest, true));
          }
          return out;
        }
        this.fail(() => `rcases: tuple pattern on ${this.show(m, vty, d.lctx)}, which is not ∧, ↔ or ∃`, ctx);
      }
      // falls through (unreachable)
      case 'alts': {
        if (pat.alts.length === 1) return this.rcases(ctx, g, v, pat.alts[0]!, clear);
        const w = this.whnfHead(m, vty, ['Or', 'Nat', 'False']);
        const h = this.headName(w);
        if (h === 'Or') {
          const [a, b] = getAppArgs(w) as [Term, Term];
          const p1 = pat.alts[0]!;
          const rest: RPat = pat.alts.length === 2 ? pat.alts[1]! : { k: 'alts', alts: pat.alts.slice(1) };
          const nm = (p: RPat, dflt: string) => (p.k === 'name' && p.name !== '_' ? p.name : `${dflt}✝`);
          const x = m.mkLocal(nm(p1, 'h'), a), y = m.mkLocal(nm(rest, 'h'), b);
          const base = this.withoutLocal(d.lctx, v, clear);
          const g1 = this.newGoal(ctx, target, [...base, x.id], 'inl');
          const g2 = this.newGoal(ctx, target, [...base, y.id], 'inr');
          this.assignGoal(ctx, g, mkApps(c('Or.elim'), [a, b, target, v, mkDelayed([x], g1), mkDelayed([y], g2)]));
          const out1 = p1.k === 'name' ? [g1] : this.rcases(ctx, g1, x, p1, true);
          const out2 = rest.k === 'name' ? [g2] : this.rcases(ctx, g2, y, rest, true);
          return [...out1, ...out2];
        }
        if (h === 'Nat' && pat.alts.length === 2) {
          const p2 = pat.alts[1]!;
          const names = p2.k === 'name' ? [p2.name] : [];
          return this.natCases(ctx, g, v, false, names, false);
        }
        this.fail(() => `rcases: alternative pattern on ${this.show(m, vty, d.lctx)}, which is not ∨`, ctx);
      }
    }
  }

  /** `h : a = b` with b (or a) a local variable: substitute it away. */
  private substEq(ctx: Ctx, g: number, h: Term, hty: Term, clear: boolean): number[] {
    const m = ctx.m;
    const d = m.mvarDecl(g);
    const w = this.whnfHead(m, hty, ['Eq']);
    if (!isApp(w, 'Eq', 3)) this.fail('rcases: rfl pattern needs an equation', ctx);
    const [al, a, b] = getAppArgs(w) as [Term, Term, Term];
    // Rewrite the goal: target[x := other]; revert nothing (only the target is generalised).
    const [x, other, eq] = b.tag === 'fvar' && !hasFVarId(a, b.id) ? [b, a, h] : a.tag === 'fvar' && !hasFVarId(b, a.id) ? [a, b, mkApps(c('Eq.symm'), [al, a, b, h])] : [undefined, undefined, undefined];
    if (x === undefined || other === undefined || eq === undefined) this.fail('rcases: rfl pattern needs one side to be a local variable', ctx);
    const target = m.instantiate(d.type);
    const dependents = d.lctx.filter((id) => id !== x.id && (h.tag !== 'fvar' || id !== h.id) && hasFVarId(m.instantiate(m.localDecl(id).type), x.id));
    if (dependents.length > 0) this.fail('rcases: rfl pattern with hypotheses depending on the variable is not supported', ctx);
    // target[x] from target[other]: Eq.rec (motive := fun y => target[y]) (p : target[other]) (eq : other = x)
    const motive = mkLam('y', al, abstractFVar(target, x.id));
    const newT = replaceFVar(target, x.id, other);
    const lctx = d.lctx.filter((id) => id !== x.id && (!clear || h.tag !== 'fvar' || id !== h.id));
    const g2 = this.newGoal(ctx, newT, lctx, d.tag);
    this.assignGoal(ctx, g, mkApps(c('Eq.rec'), [al, other, motive, mkMVarT(g2), x, eq]));
    return [g2];
  }

  private casesInduction(ctx: Ctx, t: Tactic & { k: 'cases' | 'induction' }): void {
    const m = ctx.m;
    // `generalizing xs`: revert xs first, re-introduce them in every case.
    let gen: readonly string[] = [];
    if ((t.generalizing ?? []).length > 0) {
      const g0 = this.mainGoal(ctx);
      const lctx0 = this.lctx(ctx, g0);
      const hs = (t.generalizing ?? []).map((n) => {
        const h = this.elab(ctx).resolveLocal(n, lctx0);
        if (h === undefined) this.fail(`generalizing: unknown variable '${n}'`, ctx);
        return h;
      });
      gen = this.revertWithDeps(ctx, g0, hs);
    }
    const g = this.mainGoal(ctx);
    const d = m.mvarDecl(g);
    const el = this.elab(ctx);
    const v = el.elab(t.e, undefined, d.lctx);
    el.ensureNoMVars(v, t.e, false);
    const vty = m.instantiate(m.inferType(v));
    const w = this.whnfHead(m, vty, ['Nat', 'Or', 'And', 'Iff', 'Exists', 'False', 'Empty', 'True']);
    const h = this.headName(w);
    const arms = t.arms;
    const armFor = (ctor: string): CaseArm | undefined => arms?.find((a) => a.ctor === ctor || a.ctor === `${h}.${ctor}`);
    if (arms !== undefined) {
      const known: Record<string, string[]> = { Nat: ['zero', 'succ'], Or: ['inl', 'inr'], And: ['intro'], Iff: ['intro'], Exists: ['intro'], False: [], Empty: [], True: ['intro'] };
      for (const a of arms) if (!(known[h ?? ''] ?? []).some((k) => a.ctor === k || a.ctor === `${h}.${k}`)) this.fail(() => `invalid alternative name '${a.ctor}'`, ctx);
    }
    let goals: { g: number; ctor: string }[];
    if (h === 'Nat') {
      const succArm = armFor('succ');
      const gs = this.natCases(ctx, g, v, t.k === 'induction', succArm?.names ?? [], true).map((x) => this.introNames(ctx, x, gen));
      goals = [{ g: gs[0]!, ctor: 'zero' }, { g: gs[1]!, ctor: 'succ' }];
    } else {
      if (t.k === 'induction') this.fail(() => `induction: only Nat is supported, not ${this.show(m, vty, d.lctx)}`, ctx);
      const names = (ctor: string) => armFor(ctor)?.names ?? [];
      const pname = (ns: readonly string[], i: number): RPat => ({ k: 'name', name: ns[i] ?? '_' });
      let pat: RPat;
      if (h === 'Or') pat = { k: 'alts', alts: [pname(names('inl'), 0), pname(names('inr'), 0)] };
      else if (h === 'And' || h === 'Iff' || h === 'Exists') pat = { k: 'tuple', elems: [pname(names('intro'), 0), pname(names('intro'), 1)] };
      else if (h === 'False' || h === 'Empty') pat = { k: 'tuple', elems: [] };
      else if (h === 'True') pat = { k: 'clear' };
      else this.fail(() => `cases: unsupported type ${this.show(m, vty, d.lctx)}`, ctx);
      const gs = this.rcases(ctx, g, v, pat, true);
      const ctors = h === 'Or' ? ['inl', 'inr'] : h === 'False' || h === 'Empty' ? [] : ['intro'];
      goals = gs.map((x, i) => ({ g: x, ctor: ctors[i] ?? 'intro' }));
    }
    if (arms === undefined) { this.replaceMain(ctx, g, goals.map((x) => x.g)); return; }
    this.replaceMain(ctx, g, []);
    for (const { g: x, ctor } of goals) {
      const arm = armFor(ctor);
      if (arm === undefined) this.fail(() => `alternative '${ctor}' has not been provided`, ctx);
      this.solveWith(ctx, x, arm.tactics, `case ${ctor}`);
    }
  }

  /**
   * Cases/induction on a Nat: `Nat.rec (motive := fun x => ∀ deps, target[x]) z s n deps`.
   * Hypotheses that depend on n are reverted and re-introduced in each case (as Lean does).
   * Goals read `0` and `k + 1`, as Lean ≥ 4.8 phrases them.
   */
  natCases(ctx: Ctx, g: number, v: Term, withIh: boolean, names: readonly string[], _fromCases: boolean): number[] {
    const m = ctx.m;
    const d = m.mvarDecl(g);
    let n: FVar;
    let lctx = [...d.lctx];
    let target = m.instantiate(d.type);
    let gCur = g;
    if (v.tag === 'fvar' && d.lctx.includes(v.id)) n = v;
    else {
      // Generalise a non-variable term: introduce it as a fresh local (target mentions of it are not abstracted).
      const x = m.mkLocal('n✝', NAT);
      const g2 = this.newGoal(ctx, target, [...lctx, x.id], d.tag);
      this.assignGoal(ctx, g, mkApp(mkDelayed([x], g2), v));
      n = x; lctx = [...lctx, x.id]; gCur = g2;
    }
    const idx = lctx.indexOf(n.id);
    const deps: FVar[] = [];
    const depIds = new Set<number>([n.id]);
    for (const id of lctx.slice(idx + 1)) {
      const ty = m.instantiate(m.localDecl(id).type);
      if ([...depIds].some((x) => hasFVarId(ty, x))) { deps.push(m.localDecl(id).fvar); depIds.add(id); }
    }
    const base = lctx.filter((id) => !depIds.has(id));
    const full = m.piFVars(deps, target);
    const motive = mkLam(m.localDecl(n.id).name, NAT, abstractFVar(full, n.id));
    const reintro = (gg: number): number => {
      let cur = gg;
      for (const dep of deps) {
        const sub: Ctx = { m, goals: [cur], pos: ctx.pos };
        const [g3] = this.intro(sub, cur, m.localDecl(dep.id).name);
        cur = g3;
      }
      return cur;
    };
    const gz = this.newGoal(ctx, replaceFVar(full, n.id, mkLit(0)), base, 'zero');
    const k = m.mkLocal(names[0] ?? `${m.localDecl(n.id).name}✝`, NAT);
    const ih = m.mkLocal(names[1] ?? 'ih✝', replaceFVar(full, n.id, k));
    const gs = this.newGoal(ctx, replaceFVar(full, n.id, mkApps(c('Nat.add'), [k, mkLit(1)])), withIh ? [...base, k.id, ih.id] : [...base, k.id], 'succ');
    const rec = mkApps(mkConst('Nat.rec', [0]), [motive, mkMVarT(gz), mkDelayed([k, ih], gs), n]);
    this.assignGoal(ctx, gCur, mkApps(rec, deps));
    return [reintro(gz), reintro(gs)];
  }

  // ------------------------------------------------------------------ rewriting

  /** Elaborates a rewrite rule into an equation `lhs = rhs` (instantiating its ∀s with metavariables). */
  ruleEquation(ctx: Ctx, lctx: readonly number[], r: RwRule): { proof: Term; al: Term; lhs: Term; rhs: Term } {
    const m = ctx.m;
    const el = this.elab(ctx);
    let pf = el.elab(r.e, undefined, lctx);
    let ty = m.instantiate(m.inferType(pf));
    for (let i = 0; i < 32; i++) {
      const w = this.whnfHead(m, ty, ['Eq', 'Iff', 'pi']);
      if (w.tag !== 'pi') { ty = w; break; }
      const mv = m.mkMVar(w.type, lctx);
      pf = mkApp(pf, mv);
      ty = instantiate(w.body, mv);
    }
    let h = this.headName(ty);
    let args = getAppArgs(ty);
    if (h === 'Iff') {
      pf = mkApps(c('propext'), [args[0]!, args[1]!, pf]);
      ty = mkApps(c('Eq'), [PROP, args[0]!, args[1]!]);
      h = 'Eq';
      args = getAppArgs(ty);
    }
    if (h !== 'Eq' || args.length !== 3) this.fail(() => `rw: ${this.show(m, ty, lctx)} is not an equation or an iff`, ctx);
    let [al, lhs, rhs] = args as [Term, Term, Term];
    if (r.rev) { pf = mkApps(c('Eq.symm'), [al, lhs, rhs, pf]); [lhs, rhs] = [rhs, lhs]; }
    return { proof: pf, al, lhs, rhs };
  }

  /** Abstracts the instances of `pattern` in `t` (first match fixes the metavariables). */
  kabstract(m: Meta, t: Term, pattern: Term): { body: Term; found: boolean } {
    pattern = m.instantiate(pattern);
    const pHead = getAppFn(pattern);
    const pArgs = getAppArgs(pattern).length;
    let fixed = (pattern.fl & HAS_MVAR) === 0 ? pattern : undefined;
    let found = false;
    const go = (u: Term, depth: number): Term => {
      if (u.lbr === 0) {
        if (fixed !== undefined) {
          if (termEq(u, fixed)) { found = true; return { tag: 'bvar', idx: depth, lbr: depth + 1, fl: 0 }; }
        } else {
          const uh = getAppFn(u);
          const sameHead = (uh.tag === pHead.tag) && (uh.tag !== 'const' || (pHead.tag === 'const' && uh.name === pHead.name)) && (uh.tag !== 'fvar' || (pHead.tag === 'fvar' && uh.id === pHead.id));
          if (sameHead && getAppArgs(u).length === pArgs && pHead.tag !== 'mvar') {
            const saved = m.save();
            if (m.withReducible(() => m.isDefEq(u, pattern))) {
              fixed = m.instantiate(pattern);
              if ((fixed.fl & HAS_MVAR) === 0) { found = true; return { tag: 'bvar', idx: depth, lbr: depth + 1, fl: 0 }; }
              fixed = undefined;
            }
            m.restore(saved);
          }
        }
      }
      switch (u.tag) {
        case 'app': { const f = go(u.fn, depth); const a = go(u.arg, depth); return f === u.fn && a === u.arg ? u : mkApp(f, a); }
        case 'lam': case 'pi': {
          const ty = go(u.type, depth); const b = go(u.body, depth + 1);
          if (ty === u.type && b === u.body) return u;
          return u.tag === 'lam' ? mkLam(u.name, ty, b, u.bi) : mkPi(u.name, ty, b, u.bi);
        }
        default: return u;
      }
    };
    const body = go(t, 0);
    return { body, found };
  }

  rewrite(ctx: Ctx, r: RwRule, at: string | undefined): void {
    const m = ctx.m;
    const g = this.mainGoal(ctx);
    const d = m.mvarDecl(g);
    const { proof, al, lhs, rhs } = this.ruleEquation(ctx, d.lctx, r);
    if (getAppFn(m.instantiate(lhs)).tag === 'mvar') this.fail('rw: motive is not type correct / pattern is a metavariable', ctx);
    let hyp: FVar | undefined;
    let subject: Term;
    if (at !== undefined) {
      hyp = this.elab(ctx).resolveLocal(at, d.lctx);
      if (hyp === undefined) this.fail(() => `rw: unknown hypothesis '${at}'`, ctx);
      subject = m.instantiate(m.localDecl(hyp.id).type);
    } else subject = m.instantiate(d.type);
    const { body, found } = this.kabstract(m, subject, lhs);
    if (!found) this.fail(() => `rw: did not find instance of the pattern ${this.show(m, lhs, d.lctx)} in ${this.show(m, subject, d.lctx)}`, ctx);
    const pf = m.instantiate(proof);
    if ((pf.fl & HAS_MVAR) !== 0) {
      const ms = new Set<number>(); collectMVars(pf, ms);
      for (const id of ms) if (!m.isAssigned(id)) this.fail('rw: could not determine all arguments of the rewrite rule', ctx);
    }
    const L = m.instantiate(lhs), R = m.instantiate(rhs), A = m.instantiate(al);
    const motive = mkLam('x', A, body);
    const newSubject = instantiate(body, R);
    if (hyp === undefined) {
      // goal[L] from goal[R]: Eq.rec (motive) (p : motive R) (Eq.symm pf : R = L)
      const g2 = this.newGoal(ctx, newSubject, d.lctx, d.tag);
      this.assignGoal(ctx, g, mkApps(c('Eq.rec'), [A, R, motive, mkMVarT(g2), L, mkApps(c('Eq.symm'), [A, L, R, pf])]));
      this.replaceMain(ctx, g, [g2]);
    } else {
      const x = m.mkLocal(m.localDecl(hyp.id).name, newSubject);
      const lctx = [...d.lctx.filter((id) => id !== hyp.id), x.id];
      const g2 = this.newGoal(ctx, m.instantiate(d.type), lctx, d.tag);
      this.assignGoal(ctx, g, mkApp(mkDelayed([x], g2), mkApps(c('Eq.rec'), [A, L, motive, hyp, R, pf])));
      this.replaceMain(ctx, g, [g2]);
    }
  }
}

export function mkMVarT(id: number): Term { return { tag: 'mvar', id, lbr: 0, fl: 2 }; }
function mkArrowT(a: Term, b: Term): Term { return mkArrow(a, b); }
export function isApp(t: Term, name: string, n: number): boolean {
  const h = getAppFn(t);
  return h.tag === 'const' && h.name === name && getAppArgs(t).length === n;
}
function usesBVar0(t: Term, depth = 0): boolean {
  if (t.lbr <= depth) return false;
  switch (t.tag) {
    case 'bvar': return t.idx === depth;
    case 'app': return usesBVar0(t.fn, depth) || usesBVar0(t.arg, depth);
    case 'lam': case 'pi': return usesBVar0(t.type, depth) || usesBVar0(t.body, depth + 1);
    default: return false;
  }
}
function unfoldConst(m: Meta, t: Term, name: string): Term {
  const go = (u: Term): Term => {
    if (u.tag === 'app' || u.tag === 'const') {
      const h = getAppFn(u);
      if (h.tag === 'const' && h.name === name) {
        const v = m.unfold(u);
        if (v !== undefined) return go(headBeta(v));
      }
    }
    switch (u.tag) {
      case 'app': return mkApp(go(u.fn), go(u.arg));
      case 'lam': return mkLam(u.name, go(u.type), go(u.body), u.bi);
      case 'pi': return mkPi(u.name, go(u.type), go(u.body), u.bi);
      default: return u;
    }
  };
  return go(t);
}

/** Display names: a shadowed hypothesis shows as `name✝`, as in Lean. */
export function displayNames(m: Meta, lctx: readonly number[]): Map<number, string> {
  const out = new Map<number, string>();
  const seen = new Set<string>();
  for (let i = lctx.length - 1; i >= 0; i--) {
    const d = m.localDecl(lctx[i]!);
    let n = d.name;
    if (seen.has(n) && !n.endsWith('✝')) n = `${n}✝`;
    seen.add(d.name);
    out.set(d.fvar.id, n);
  }
  return out;
}
