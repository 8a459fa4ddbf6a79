/**
 * The embedded kernel as a ProofEnvironment: states are immutable snapshots (a metavariable
 * assignment plus open goals), tactics are parsed from Lean text and applied by the untrusted
 * tactic engine, and `verify` replays the whole script from the statement and hands the
 * resulting term to the trusted checker.
 */
import type {
  Goal, Message, ProofEnvironment, ProofState, ProofStateId, StartResult, TacticResult, TheoremSource, Verdict,
} from './environment.js';
import { ElabError } from './elab.js';
import { Kernel, INTUITIONISTIC_AXIOMS, rejectFrom, type Session } from './kernel.js';
import { defaultKernel } from './library.js';
import { Assignment, Meta, MetaError } from './meta.js';
import { parseHeader } from './parser.js';
import { SyntaxError_, parseTactics, type Tactic } from './syntax.js';
import { type PState, TacticError, displayNames } from './tactics.js';

export interface KernelEnvironmentOptions {
  /** Forbid excluded middle (Classical.em, by_cases on undecidable propositions, ...). */
  readonly intuitionistic?: boolean;
}

interface Internal { readonly session: Session; readonly pstate: PState }

export class KernelEnvironment implements ProofEnvironment {
  readonly name = 'kernel' as const;
  private readonly kernel: Kernel;
  private readonly internals = new WeakMap<ProofState, Internal>();
  private nextId = 1;
  /** Tactic applications attempted (for throughput figures). */
  tacticsTried = 0;

  constructor(readonly options: KernelEnvironmentOptions = {}) {
    this.kernel = defaultKernel();
  }

  private get intuitionistic(): boolean { return this.options.intuitionistic ?? false; }

  async start(theorem: TheoremSource): Promise<StartResult> { return this.startSync(theorem); }

  startSync(theorem: TheoremSource): StartResult {
    let session: Session;
    try {
      const h = parseHeader(theorem.header);
      session = this.kernel.start(h, { intuitionistic: this.intuitionistic });
    } catch (e) {
      if (e instanceof SyntaxError_) {
        return e.unsupported ? { kind: 'unsupported', message: e.message, line: e.line, column: e.column } : { kind: 'error', message: e.message };
      }
      if (e instanceof ElabError) {
        const pos = e.pos ? { line: e.pos.line, column: e.pos.column } : {};
        return /supported/.test(e.message) ? { kind: 'unsupported', message: e.message, ...pos } : { kind: 'error', message: e.message };
      }
      if (e instanceof MetaError) return { kind: 'error', message: e.message };
      if (e instanceof RangeError) return { kind: 'unsupported', message: 'unsupported: statement nesting too deep' };
      throw e;
    }
    return { kind: 'ok', state: this.makeState(session, session.initial, []) };
  }

  async tryTactic(state: ProofState, tactic: string): Promise<TacticResult> { return this.tryTacticSync(state, tactic); }

  tryTacticSync(state: ProofState, tactic: string): TacticResult {
    this.tacticsTried++;
    const internal = this.internals.get(state);
    if (internal === undefined) return { kind: 'failure', messages: [{ severity: 'error', text: 'unknown proof state (not created by this environment)' }] };
    let tactics: Tactic[];
    try {
      tactics = parseTactics(tactic);
    } catch (e) {
      if (e instanceof SyntaxError_) return e.unsupported ? { kind: 'failure', messages: [{ severity: 'error', text: e.message, line: e.line, column: e.column }] } : { kind: 'parseError', message: e.message };
      if (e instanceof RangeError) return { kind: 'parseError', message: 'tactic nesting too deep' };
      throw e;
    }
    if (internal.pstate.goals.length === 0) return { kind: 'failure', messages: [{ severity: 'error', text: 'no goals to be proved' }] };
    try {
      const next = this.kernel.step(internal.session, internal.pstate, tactics);
      return { kind: 'success', state: this.makeState(internal.session, next, [...state.script, tactic.trim()]), messages: [] };
    } catch (e) {
      return { kind: 'failure', messages: [toMessage(e)] };
    }
  }

  async verify(theorem: TheoremSource, script: readonly string[], opts?: { readonly allowedAxioms?: readonly string[] }): Promise<Verdict> {
    return this.verifySync(theorem, script, opts);
  }

  verifySync(theorem: TheoremSource, script: readonly string[], opts?: { readonly allowedAxioms?: readonly string[] }): Verdict {
    const allowed = opts?.allowedAxioms ?? (this.intuitionistic ? INTUITIONISTIC_AXIOMS : undefined);
    let out;
    try {
      const h = parseHeader(theorem.header);
      const tactics: Tactic[] = [];
      for (const s of script) tactics.push(...parseTactics(s));
      out = this.kernel.prove(h, { kind: 'tactics', tactics }, { intuitionistic: this.intuitionistic, ...(allowed ? { allowedAxioms: allowed } : {}) });
    } catch (e) {
      if (e instanceof SyntaxError_) return { kind: 'rejected', reason: e.message, messages: [{ severity: 'error', text: e.message, line: e.line, column: e.column }] };
      try { out = rejectFrom(e, 'verify'); } catch { out = { kind: 'rejected' as const, reason: `internal error: ${e instanceof Error ? e.message : String(e)}` }; }
    }
    if (out.kind === 'verified') return { kind: 'verified', axioms: out.axioms };
    const msg: Message = { severity: 'error', text: out.reason, ...(out.line !== undefined ? { line: out.line, column: out.column ?? 0 } : {}) };
    return { kind: 'rejected', reason: out.reason, messages: [msg] };
  }

  private makeState(session: Session, pstate: PState, script: readonly string[]): ProofState {
    const m = new Meta(this.kernel.env, session.reg, new Assignment(pstate.assign));
    const goals: Goal[] = pstate.goals.map((g) => {
      const d = m.mvarDecl(g);
      const p = session.tactics.printer(m, d.lctx);
      const names = displayNames(m, d.lctx);
      return {
        hyps: d.lctx.map((id) => ({ name: names.get(id) ?? '?', type: p.show(m.instantiate(m.localDecl(id).type)) })),
        target: p.show(m.instantiate(d.type)),
      };
    });
    const key = goals.map((g) => `${g.hyps.map((h) => `${h.name} : ${h.type}`).join('\n')}\n⊢ ${g.target}`).join('\n\n');
    const state: ProofState = { id: this.nextId++ as ProofStateId, goals, key, script };
    this.internals.set(state, { session, pstate });
    return state;
  }
}

function toMessage(e: unknown): Message {
  if (e instanceof TacticError || e instanceof ElabError) return { severity: 'error', text: e.message, ...(e.pos ? { line: e.pos.line, column: e.pos.column } : {}) };
  if (e instanceof SyntaxError_) return { severity: 'error', text: e.message, line: e.line, column: e.column };
  if (e instanceof MetaError) return { severity: 'error', text: e.message };
  if (e instanceof RangeError) return { severity: 'error', text: 'nesting too deep (stack exhausted)' };
  // A bug in an (untrusted) tactic must not take the search down: it is a failed tactic.
  return { severity: 'error', text: `internal error in tactic: ${e instanceof Error ? e.message : String(e)}` };
}
