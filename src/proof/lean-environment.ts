/**
 * Lean 4 (through the REPL pool of src/lean) as a ProofEnvironment.
 *
 * States: a REPL proof state number only exists in the process that made it, so each ProofState
 * remembers (process generation, REPL number) and its tactic script. A tactic runs on that process
 * when it is still alive (pool affinity); otherwise the state is rebuilt on whichever process runs
 * the job (start again, replay the script), so crashes, timeouts and recycling cost time, not
 * correctness.
 *
 * Verification never trusts search states: the complete theorem text is compiled in a fresh
 * environment from the header (no error, no sorry), `#print axioms` must list only allowed axioms,
 * and the script replayed in tactic mode must end with `proofStatus: "Completed"`.
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { EngineError } from '../core/index.js';
import {
  DEFAULT_ALLOWED_AXIOMS,
  LeanPool,
  LeanProcessError,
  LeanProtocolError,
  LeanTimeoutError,
  findLean,
  judgeAxioms,
  judgeCompilation,
  judgeTacticResponse,
  isSorryWarning,
  parseGoal,
  splitLeanHeader,
  type LeanPoolOptions,
  type ReplCommand,
  type ReplMessage,
  type ReplSession,
} from '../lean/index.js';
import type { Goal, Message, ProofEnvironment, ProofState, ProofStateId, StartResult, TacticResult, TheoremSource, Verdict } from './environment.js';

export interface LeanEnvironmentOptions {
  /** The Lean project directory (with the REPL as a dependency); the REPL runs there. */
  readonly project?: string;
  /** Number of REPL processes (default 1). */
  readonly workers?: number;
  /**
   * How to start the REPL. Default: `lake env repl` in `project` (or the REPL binary the project
   * built, when found), after checking that Lean is installed (`findLean`).
   */
  readonly repl?: ReplCommand;
  /** Run once per process, e.g. `import Mathlib\nopen Nat` (a file's imports and opens). Default: none. */
  readonly header?: string;
  /** Per-tactic (and per-start) limit (default 30 s). */
  readonly tacticTimeoutMs?: number;
  /** Limit for each request of a verification (default 120 s). */
  readonly verifyTimeoutMs?: number;
  /** Limit for spawning a REPL and elaborating the header (default 180 s). */
  readonly startupTimeoutMs?: number;
  /** Address-space cap per REPL process (`prlimit --as`). */
  readonly memoryLimitBytes?: number;
  /** Recycle a REPL whose resident memory grows past this. */
  readonly maxRssBytes?: number;
  readonly recycleAfterRequests?: number;
  readonly maxQueue?: number;
  /** Axioms a verified proof may use (default propext, Classical.choice, Quot.sound). */
  readonly allowedAxioms?: readonly string[];
  /** Also replay the script in tactic mode and require `proofStatus: "Completed"` (default true). */
  readonly tacticReplayCheck?: boolean;
  /** Passed to the pool (tests use it to track processes). */
  readonly onSpawn?: (pid: number) => void;
}

interface Snapshot {
  readonly theorem: TheoremSource;
  readonly script: readonly string[];
  /** Where the state lives now; updated when it is rebuilt on another process. */
  generation: number;
  replState: number;
}

const DEFAULT_TACTIC_TIMEOUT_MS = 30_000;
const DEFAULT_VERIFY_TIMEOUT_MS = 120_000;

/** Finds Lean (throws LEAN_NOT_FOUND with install instructions) and builds the environment. */
export function createLeanEnvironment(opts: LeanEnvironmentOptions = {}): LeanEnvironment {
  return new LeanEnvironment(opts);
}

/** The default REPL command for a project: the REPL binary it built if present, else `lake env repl`. */
export function defaultReplCommand(project: string | undefined): ReplCommand {
  const inst = findLean(project === undefined ? undefined : { project });
  const dir = inst.project ?? process.cwd();
  const built = [join(dir, '.lake', 'packages', 'REPL', '.lake', 'build', 'bin', 'repl'), join(dir, '.lake', 'build', 'bin', 'repl')].find((p) => existsSync(p));
  return { command: inst.lake, args: ['env', built ?? 'repl'], cwd: dir };
}

export class LeanEnvironment implements ProofEnvironment {
  readonly name = 'lean' as const;
  readonly pool: LeanPool;
  private readonly snapshots = new Map<number, Snapshot>();
  private nextId = 1;
  private readonly tacticTimeoutMs: number;
  private readonly verifyTimeoutMs: number;
  private readonly allowedAxioms: readonly string[];
  private readonly tacticReplayCheck: boolean;

  constructor(opts: LeanEnvironmentOptions = {}) {
    const repl = opts.repl ?? defaultReplCommand(opts.project);
    const poolOpts: LeanPoolOptions = {
      ...repl,
      cwd: repl.cwd ?? (opts.project === undefined ? undefined : resolve(opts.project)),
      header: opts.header ?? '',
      workers: opts.workers ?? 1,
      startupTimeoutMs: opts.startupTimeoutMs,
      requestTimeoutMs: opts.tacticTimeoutMs ?? DEFAULT_TACTIC_TIMEOUT_MS,
      memoryLimitBytes: opts.memoryLimitBytes,
      maxRssBytes: opts.maxRssBytes,
      recycleAfterRequests: opts.recycleAfterRequests,
      maxQueue: opts.maxQueue,
      onSpawn: opts.onSpawn,
    };
    this.pool = new LeanPool(poolOpts);
    this.tacticTimeoutMs = opts.tacticTimeoutMs ?? DEFAULT_TACTIC_TIMEOUT_MS;
    this.verifyTimeoutMs = opts.verifyTimeoutMs ?? DEFAULT_VERIFY_TIMEOUT_MS;
    this.allowedAxioms = opts.allowedAxioms ?? DEFAULT_ALLOWED_AXIOMS;
    this.tacticReplayCheck = opts.tacticReplayCheck ?? true;
  }

  async start(theorem: TheoremSource): Promise<StartResult> {
    try {
      return await this.pool.run(async (s) => {
        const r = await startTheorem(s, theorem, this.tacticTimeoutMs);
        if (r.kind === 'error') return r;
        return { kind: 'ok', state: this.remember(theorem, [], s.generation, r.replState, r.goals, [r.rawGoal]) };
      }, { client: theorem.name });
    } catch (e) {
      return { kind: 'error', message: describeFailure(e) };
    }
  }

  async tryTactic(state: ProofState, tactic: string): Promise<TacticResult> {
    const snap = this.snapshots.get(state.id);
    if (snap === undefined) throw new EngineError('BAD_ARGUMENT', `proof state ${state.id} was not made by this Lean environment`);
    try {
      return await this.pool.run(
        async (s): Promise<TacticResult> => {
          if (snap.generation !== s.generation) {
            // The process holding this state is gone: rebuild the state here from its script.
            const rebuilt = await replay(s, snap.theorem, snap.script, this.tacticTimeoutMs);
            if (rebuilt.kind === 'failed') {
              return { kind: 'failure', messages: [{ severity: 'error', text: `could not rebuild the proof state after a REPL restart: ${rebuilt.reason}` }] };
            }
            snap.generation = s.generation;
            snap.replState = rebuilt.replState;
          }
          const res = await s.request({ kind: 'tactic', tactic, proofState: snap.replState }, { timeoutMs: this.tacticTimeoutMs });
          const j = judgeTacticResponse(res);
          if (j.kind === 'parseError') return { kind: 'parseError', message: j.message };
          if (j.kind === 'failed') return { kind: 'failure', messages: withReason(j.messages.map(toMessage), j.reason) };
          const next = this.remember(snap.theorem, [...snap.script, tactic], s.generation, j.proofState, j.goals.map(toGoal), j.goals);
          return { kind: 'success', state: next, messages: j.messages.map(toMessage) };
        },
        // One client per theorem: searches of several theorems share the processes in turn.
        { affinity: snap.generation, client: snap.theorem.name },
      );
    } catch (e) {
      if (e instanceof LeanTimeoutError) return { kind: 'timeout', afterMs: e.afterMs };
      if (isRecoverable(e)) return { kind: 'failure', messages: [{ severity: 'error', text: describeFailure(e) }] };
      throw e;
    }
  }

  async verify(theorem: TheoremSource, script: readonly string[], opts?: { readonly allowedAxioms?: readonly string[] }): Promise<Verdict> {
    const allowed = opts?.allowedAxioms ?? this.allowedAxioms;
    try {
      return await this.pool.run((s) => this.verifyOn(s, theorem, script, allowed), { client: theorem.name });
    } catch (e) {
      if (e instanceof LeanTimeoutError) return { kind: 'rejected', reason: `verification timed out: ${e.message}`, messages: [] };
      if (isRecoverable(e)) return { kind: 'rejected', reason: `verification could not run: ${describeFailure(e)}`, messages: [] };
      throw e;
    }
  }

  /**
   * Starts every REPL process now (header included) and throws if one cannot start: call it first
   * so that a missing or broken Lean setup fails at once, not at the first tactic.
   */
  async warmup(): Promise<void> {
    await this.pool.warmup();
  }

  async close(): Promise<void> {
    await this.pool.close();
    this.snapshots.clear();
  }

  private async verifyOn(s: ReplSession, theorem: TheoremSource, script: readonly string[], allowed: readonly string[]): Promise<Verdict> {
    const t = { timeoutMs: this.verifyTimeoutMs };
    const { text, name } = theoremText(theorem, script);
    // 1. The whole text, in a fresh environment from the header.
    const compiled = await s.request({ kind: 'command', cmd: text, env: s.headerEnv }, t);
    if (compiled.kind === 'error') return { kind: 'rejected', reason: `Lean could not elaborate the proof: ${compiled.message}`, messages: [] };
    const cj = judgeCompilation(compiled);
    if (cj.kind === 'rejected') return { kind: 'rejected', reason: cj.reason, messages: cj.messages.map(toMessage) };
    // 2. Axioms, in the environment that now holds the theorem.
    const ax = await s.request({ kind: 'command', cmd: `#print axioms ${name}`, env: compiled.env }, t);
    if (ax.kind === 'error') return { kind: 'rejected', reason: `#print axioms ${name} failed: ${ax.message}`, messages: [] };
    const aj = judgeAxioms(ax.messages ?? [], name, allowed);
    if (aj.kind === 'rejected') return { kind: 'rejected', reason: aj.reason, messages: aj.messages.map(toMessage) };
    // 3. Tactic mode must agree that the script completes the proof.
    if (this.tacticReplayCheck && script.length > 0) {
      const r = await replay(s, theorem, script, this.verifyTimeoutMs);
      if (r.kind === 'failed') return { kind: 'rejected', reason: `tactic-mode replay: ${r.reason}`, messages: r.messages.map(toMessage) };
      // A REPL too old to report proofStatus can only be held to "no goals" (the compile check above passed).
      const done = r.completed ?? r.goals.length === 0;
      if (!done) return { kind: 'rejected', reason: `tactic-mode replay ends without proofStatus "Completed" (open goals: ${r.goals.length})`, messages: [] };
    }
    return { kind: 'verified', axioms: aj.axioms };
  }

  private remember(theorem: TheoremSource, script: readonly string[], generation: number, replState: number, goals: readonly Goal[], rawGoals?: readonly string[]): ProofState {
    const id = this.nextId++ as ProofStateId;
    this.snapshots.set(id, { theorem, script, generation, replState });
    const key = (rawGoals ?? goals.map(goalText)).join('\n\n');
    return { id, goals, key, script };
  }
}

// ---------------------------------------------------------------------------------------------

type StartOutcome = { kind: 'ok'; replState: number; goals: Goal[]; rawGoal: string } | { kind: 'error'; message: string; line?: number; column?: number };

/** `HEADER := by sorry` on the header env; the sorry's proof state is the initial state. */
async function startTheorem(s: ReplSession, theorem: TheoremSource, timeoutMs: number): Promise<StartOutcome> {
  const res = await s.request({ kind: 'command', cmd: `${theorem.header} := by sorry`, env: s.headerEnv }, { timeoutMs });
  if (res.kind === 'error') return { kind: 'error', message: `Lean rejected the statement of ${theorem.name}: ${res.message}` };
  const err = (res.messages ?? []).find((m) => m.severity === 'error');
  if (err !== undefined) {
    return { kind: 'error', message: `the statement of ${theorem.name} does not elaborate: ${err.data}`, line: err.pos.line, column: err.pos.column };
  }
  const sorries = res.sorries ?? [];
  if (sorries.length !== 1 || sorries[0]!.proofState === undefined || sorries[0]!.proofState === null) {
    return { kind: 'error', message: `expected one sorry with a proof state for ${theorem.name}, Lean reported ${sorries.length}` };
  }
  const goal = sorries[0]!.goal;
  return { kind: 'ok', replState: sorries[0]!.proofState, goals: [toGoal(goal)], rawGoal: goal };
}

type ReplayOutcome =
  | { kind: 'ok'; replState: number; goals: readonly string[]; completed: boolean | undefined }
  | { kind: 'failed'; reason: string; messages: readonly ReplMessage[] };

/** Starts the theorem afresh and runs the script tactic by tactic on this process. */
async function replay(s: ReplSession, theorem: TheoremSource, script: readonly string[], timeoutMs: number): Promise<ReplayOutcome> {
  const st = await startTheorem(s, theorem, timeoutMs);
  if (st.kind === 'error') return { kind: 'failed', reason: st.message, messages: [] };
  let state = st.replState;
  let goals: readonly string[] = [st.rawGoal];
  let completed: boolean | undefined = false;
  for (let i = 0; i < script.length; i++) {
    const res = await s.request({ kind: 'tactic', tactic: script[i]!, proofState: state }, { timeoutMs });
    const j = judgeTacticResponse(res);
    if (j.kind === 'parseError') return { kind: 'failed', reason: `step ${i + 1} (${JSON.stringify(script[i])}) does not parse: ${j.message}`, messages: [] };
    if (j.kind === 'failed') return { kind: 'failed', reason: `step ${i + 1} (${JSON.stringify(script[i])}) fails: ${j.reason}`, messages: j.messages };
    state = j.proofState;
    goals = j.goals;
    completed = j.completed;
  }
  return { kind: 'ok', replState: state, goals, completed };
}

/**
 * The text compiled by verify: the statement, `:= by`, and the script indented under it (every
 * line, so no tactic text can end the proof block and smuggle in commands). An `example` gets a
 * name so that `#print axioms` can check it.
 */
export function theoremText(theorem: TheoremSource, script: readonly string[]): { text: string; name: string } {
  let header = theorem.header;
  let name = theorem.name;
  const ex = /^(\s*)example\b/.exec(header);
  if (ex !== null) {
    name = 'arbor_verify_example';
    header = `${ex[1]}theorem ${name}${header.slice(ex[0].length)}`;
  }
  // One one-line tactic stays on the `by` line, as people write it.
  if (script.length === 1 && !script[0]!.includes('\n')) return { text: `${header} := by ${script[0]}`, name };
  const body = script.flatMap((t) => t.split('\n')).map((l) => `  ${l}`);
  return { text: `${header} := by\n${body.join('\n')}`, name };
}

function toGoal(text: string): Goal {
  const g = parseGoal(text);
  return { hyps: g.hyps, target: g.target };
}

function goalText(g: Goal): string {
  return [...g.hyps.map((h) => `${h.name} : ${h.type}`), `⊢ ${g.target}`].join('\n');
}

function toMessage(m: ReplMessage): Message {
  const severity = m.severity === 'trace' ? 'info' : m.severity;
  // Messages of a tactic run carry position 0:0, which means "no position".
  return m.pos.line === 0 ? { severity, text: m.data } : { severity, text: m.data, line: m.pos.line, column: m.pos.column };
}

function withReason(messages: Message[], reason: string): Message[] {
  return messages.some((m) => m.severity === 'error') ? messages : [...messages, { severity: 'error', text: reason }];
}

/** Faults of one job (a crash after its retry, garbage output): a result, not an exception. */
function isRecoverable(e: unknown): boolean {
  if (e instanceof LeanProtocolError) return true;
  if (e instanceof LeanProcessError) return e.phase === 'running';
  return false;
}

function describeFailure(e: unknown): string {
  return e instanceof EngineError ? `${e.code}: ${e.message}` : String(e);
}

// ---------------------------------------------------------------------------------------------
// Whole-file checking (Kimina Lean Server style), for `arbor check FILE.lean --verifier lean`.

export interface LeanFileTheorem {
  readonly name: string;
  /** 1-based line of the declaration in the file. */
  readonly line: number;
  readonly status: 'verified' | 'rejected' | 'sorry';
  readonly axioms: readonly string[];
  readonly reason?: string;
  /** Lean's messages about this declaration, with file line numbers. */
  readonly messages: readonly Message[];
}

export interface LeanFileCheck {
  /** The import header run once per process (e.g. `import Mathlib\nimport Aesop`). */
  readonly header: string;
  readonly theorems: readonly LeanFileTheorem[];
  /** Errors outside any theorem (e.g. in a definition the theorems use). */
  readonly otherErrors: readonly Message[];
}

const DECL = /^(?:@\[[^\]]*\]\s*)?(?:(?:private|protected|noncomputable|nonrec)\s+)*(theorem|lemma)\s+([^\s:({[]+)/;
const ANY_DECL = /^(?:@\[[^\]]*\]\s*)?(?:(?:private|protected|noncomputable|partial|unsafe|nonrec)\s+)*(?:theorem|lemma|def|abbrev|instance|example|structure|inductive|class|axiom|opaque)\b/;

/**
 * Checks every theorem of a Lean file with real Lean: the imports become the process header
 * (run once, reused), the rest is elaborated once on top of it, and each theorem is judged by the
 * messages inside its own lines (errors: rejected; sorry: sorry) and by `#print axioms`.
 */
export async function checkFileWithLean(text: string, opts: Omit<LeanEnvironmentOptions, 'header'> = {}): Promise<LeanFileCheck> {
  const { header, body, lineOffset } = splitLeanHeader(text);
  const env = new LeanEnvironment({ ...opts, header });
  try {
    await env.warmup();
    const allowed = opts.allowedAxioms ?? DEFAULT_ALLOWED_AXIOMS;
    const timeoutMs = opts.verifyTimeoutMs ?? DEFAULT_VERIFY_TIMEOUT_MS;
    return await env.pool.run(async (s) => {
      const res = await s.request({ kind: 'command', cmd: body, env: s.headerEnv }, { timeoutMs });
      if (res.kind === 'error') throw new EngineError('LEAN_PROTOCOL', `Lean could not elaborate the file: ${res.message}`);
      const lines = body.split('\n');
      // Declarations and where they end (at the next top-level declaration), with namespaces.
      const decls: { name: string; start: number; end: number }[] = [];
      const spaces: string[] = [];
      let lastStart: number | undefined;
      for (let i = 0; i < lines.length; i++) {
        const l = lines[i]!;
        const ns = /^namespace\s+(\S+)/.exec(l);
        if (ns !== null) spaces.push(ns[1]!);
        else if (/^end\s+\S+/.test(l) && spaces.length > 0) spaces.pop();
        if (ANY_DECL.test(l) || ns !== null || /^end\b/.test(l)) {
          if (lastStart !== undefined) decls[decls.length - 1]!.end = i;
          lastStart = undefined;
        }
        const d = DECL.exec(l);
        if (d !== null) {
          decls.push({ name: [...spaces, d[2]!].join('.'), start: i + 1, end: lines.length });
          lastStart = i;
        }
      }
      const messages = res.messages ?? [];
      const inside = (line: number, d: { start: number; end: number }): boolean => line >= d.start && line <= d.end;
      const theorems: LeanFileTheorem[] = [];
      for (const d of decls) {
        const mine = messages.filter((m) => inside(m.pos.line, d));
        const shown = mine.map((m) => shiftMessage(m, lineOffset));
        const base = { name: d.name, line: d.start + lineOffset, messages: shown };
        const errors = mine.filter((m) => m.severity === 'error');
        if (errors.length > 0) {
          theorems.push({ ...base, status: 'rejected', axioms: [], reason: errors.map((m) => `${m.pos.line + lineOffset}:${m.pos.column}: ${m.data}`).join(' | ') });
          continue;
        }
        const sorry = (res.sorries ?? []).some((x) => x.pos !== undefined && inside(x.pos.line, d)) || mine.some(isSorryWarning);
        if (sorry) {
          theorems.push({ ...base, status: 'sorry', axioms: [], reason: 'the proof uses sorry' });
          continue;
        }
        const ax = await s.request({ kind: 'command', cmd: `#print axioms ${d.name}`, env: res.env }, { timeoutMs });
        const aj = ax.kind === 'error' ? ({ kind: 'rejected', reason: ax.message } as const) : judgeAxioms(ax.messages ?? [], d.name, allowed);
        theorems.push(aj.kind === 'ok' ? { ...base, status: 'verified', axioms: aj.axioms } : { ...base, status: 'rejected', axioms: [], reason: aj.reason });
      }
      const otherErrors = messages.filter((m) => m.severity === 'error' && !decls.some((d) => inside(m.pos.line, d))).map((m) => shiftMessage(m, lineOffset));
      return { header, theorems, otherErrors };
    });
  } finally {
    await env.close();
  }
}

function shiftMessage(m: ReplMessage, lineOffset: number): Message {
  const severity = m.severity === 'trace' ? 'info' : m.severity;
  return { severity, text: m.data, line: m.pos.line + lineOffset, column: m.pos.column };
}
