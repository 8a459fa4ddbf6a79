/**
 * The kernel session layer: elaborates theorem headers, runs tactic scripts and term proofs,
 * and hands finished proof terms to the trusted checker. Shared by KernelEnvironment and
 * checkFile. The library (library.ts) is proved through this same path when the kernel loads.
 */
import { type Env, KernelError, checkTheorem } from './check.js';
import { ElabError } from './elab.js';
import { Assignment, Meta, MetaError, Registry, closeOver, collectMVars } from './meta.js';
import type { HeaderBinder, ParsedHeader } from './parser.js';
import { buildPrelude, CLASSICAL_AXIOMS } from './prelude.js';
import { SyntaxError_, type Expr, type Pos, type Tactic } from './syntax.js';
import { type PState, Tactics, TacticError, type Ctx } from './tactics.js';
import { type Term, type FVar, mkPi, mkLam } from './term.js';
import { installDeciders } from './deciders.js';

export interface KernelOptions { readonly intuitionistic?: boolean }

export interface Session {
  readonly reg: Registry;
  readonly tactics: Tactics;
  readonly fvars: readonly FVar[];
  readonly implicit: readonly boolean[];
  readonly goal: number;
  /** The statement as a closed Pi type over the binders. */
  readonly type: Term;
  readonly initial: PState;
}

export type Outcome =
  | { readonly kind: 'verified'; readonly axioms: readonly string[]; readonly proof: Term; readonly type: Term }
  | { readonly kind: 'rejected'; readonly reason: string; readonly line?: number; readonly column?: number };

export class Kernel {
  readonly env: Env;
  constructor(env?: Env) { this.env = env ?? buildPrelude(); }

  /** Elaborates a theorem header into a session with one goal. Throws ElabError/SyntaxError_. */
  start(h: { readonly binders: readonly HeaderBinder[]; readonly statement: Expr }, opts: KernelOptions = {}): Session {
    const reg = new Registry();
    const tactics = new Tactics(this.env, reg, { intuitionistic: opts.intuitionistic ?? false });
    installDeciders(tactics);
    const m = new Meta(this.env, reg, new Map());
    const ctx: Ctx = { m, goals: [] };
    const el = tactics.elab(ctx);
    const fvars: FVar[] = [];
    const implicit: boolean[] = [];
    let lctx: number[] = [];
    try {
      for (const b of h.binders) {
        const ty = el.elabType(b.type, lctx);
        el.ensureNoMVars(ty, b.type, false);
        for (const n of b.names) {
          const x = m.mkLocal(n, ty);
          fvars.push(x);
          implicit.push(b.implicit);
          lctx = [...lctx, x.id];
        }
      }
      const stmt = el.ensureNoMVars(el.elabType(h.statement, lctx), h.statement, false);
      if (m.sortLevel(stmt) !== 0) throw new ElabError('the statement of a theorem must be a proposition', h.statement.pos);
      const decls = fvars.map((f) => m.localDecl(f.id));
      const type = closeOver(fvars, decls.map((d) => d.type), stmt, (i, ty, b) => mkPi(decls[i]!.name, ty, b, implicit[i] ? 'implicit' : 'default'));
      const goal = (m.mkMVar(stmt, lctx, 'goal') as Term & { tag: 'mvar' }).id;
      return { reg, tactics, fvars, implicit, goal, type, initial: { goals: [goal], assign: new Map() } };
    } catch (e) {
      if (e instanceof MetaError) throw new ElabError(e.message, h.statement.pos);
      throw e;
    }
  }

  /** Runs tactics on a state; failures are thrown as TacticError. */
  step(s: Session, state: PState, tactics: readonly Tactic[]): PState {
    return s.tactics.run(state, tactics);
  }

  /** Elaborates a term proof against the goal. */
  termProof(s: Session, e: Expr): PState {
    const m = new Meta(this.env, s.reg, new Map());
    const ctx: Ctx = { m, goals: [s.goal] };
    const el = s.tactics.elab(ctx);
    try {
      const v = el.elab(e, m.mvarDecl(s.goal).type, m.mvarDecl(s.goal).lctx);
      el.ensureNoMVars(v, e, false);
      m.assign.set(s.goal, v);
    } catch (x) {
      if (x instanceof ElabError) throw new TacticError(x.message, x.pos);
      if (x instanceof MetaError) throw new TacticError(x.message, e.pos);
      throw x;
    }
    return { goals: [], assign: m.assign };
  }

  /** The closed proof term of a finished state (or undefined if holes remain). */
  proofTerm(s: Session, state: PState): Term | undefined {
    const m = new Meta(this.env, s.reg, new Assignment(state.assign));
    const body = m.instantiate({ tag: 'mvar', id: s.goal, lbr: 0, fl: 2 });
    const ms = new Set<number>();
    collectMVars(body, ms);
    if (ms.size > 0) return undefined;
    const decls = s.fvars.map((f) => m.localDecl(f.id));
    return closeOver(s.fvars, decls.map((d) => d.type), body, (i, ty, b) => mkLam(decls[i]!.name, ty, b, s.implicit[i] ? 'implicit' : 'default'));
  }

  /** Checks a finished state with the trusted checker. */
  verify(s: Session, state: PState, opts: { readonly allowedAxioms?: readonly string[] } = {}): Outcome {
    if (state.goals.length > 0) return { kind: 'rejected', reason: `unsolved goals (${state.goals.length})` };
    const proof = this.proofTerm(s, state);
    if (proof === undefined) return { kind: 'rejected', reason: 'the proof term has unassigned metavariables' };
    let axioms: readonly string[];
    try {
      axioms = checkTheorem(this.env, s.type, proof, true);
    } catch (e) {
      if (e instanceof KernelError) return { kind: 'rejected', reason: `kernel: ${e.message}` };
      if (e instanceof RangeError) return { kind: 'rejected', reason: 'kernel: term too deep (stack exhausted)' };
      throw e;
    }
    const allowed = opts.allowedAxioms;
    if (allowed !== undefined) {
      const bad = axioms.filter((a) => !allowed.includes(a));
      if (bad.length > 0) return { kind: 'rejected', reason: `uses axioms that are not allowed: ${bad.join(', ')}` };
    }
    return { kind: 'verified', axioms, proof, type: s.type };
  }

  /** Runs a whole proof (tactics or term) from the start and checks it. */
  prove(h: ParsedHeader | { binders: readonly HeaderBinder[]; statement: Expr }, proof: { kind: 'tactics'; tactics: readonly Tactic[] } | { kind: 'term'; term: Expr }, opts: KernelOptions & { readonly allowedAxioms?: readonly string[] } = {}): Outcome {
    let s: Session;
    try { s = this.start(h, opts); } catch (e) { return rejectFrom(e, 'statement'); }
    let st: PState;
    try {
      st = proof.kind === 'term' ? this.termProof(s, proof.term) : this.step(s, s.initial, proof.tactics);
    } catch (e) { return rejectFrom(e, 'proof'); }
    if (st.goals.length > 0) {
      const m = new Meta(this.env, s.reg, new Assignment(st.assign));
      return { kind: 'rejected', reason: `unsolved goals\n${s.tactics.showGoals(m, st.goals)}` };
    }
    const allowed = opts.allowedAxioms ?? (opts.intuitionistic ? INTUITIONISTIC_AXIOMS : undefined);
    return this.verify(s, st, allowed !== undefined ? { allowedAxioms: allowed } : {});
  }
}

export function rejectFrom(e: unknown, what: string): Outcome & { kind: 'rejected' } {
  if (e instanceof TacticError || e instanceof ElabError) return { kind: 'rejected', reason: e.message, ...posOf(e.pos) };
  if (e instanceof SyntaxError_) return { kind: 'rejected', reason: e.message, line: e.line, column: e.column };
  if (e instanceof MetaError || e instanceof KernelError) return { kind: 'rejected', reason: `${what}: ${e.message}` };
  if (e instanceof RangeError) return { kind: 'rejected', reason: `${what}: nesting too deep (stack exhausted)` };
  // Anything else is a bug in untrusted code: the proof is rejected, never accepted.
  return { kind: 'rejected', reason: `${what}: internal error: ${e instanceof Error ? e.message : String(e)}` };
}
function posOf(p: Pos | undefined): { line?: number; column?: number } {
  return p === undefined ? {} : { line: p.line, column: p.column };
}

export { CLASSICAL_AXIOMS };
/** Axioms that do not give excluded middle. */
export const INTUITIONISTIC_AXIOMS: readonly string[] = ['propext', 'Quot.sound'];
