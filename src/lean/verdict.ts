/**
 * Reading Lean's answers into verdicts. Soundness lives here: a proof passes only if Lean printed
 * no error, nothing says `sorry` (neither a `sorries` entry nor the "declaration uses sorry"
 * warning, in the old or new wording), and `#print axioms` lists only allowed axioms.
 */
import { parseProofStatus, type ErrorResponse, type ReplMessage, type ReplSorry, type TacticResponse } from './protocol.js';

export const DEFAULT_ALLOWED_AXIOMS: readonly string[] = ['propext', 'Classical.choice', 'Quot.sound'];

export type Judgement =
  | { readonly kind: 'ok' }
  | { readonly kind: 'rejected'; readonly reason: string; readonly messages: readonly ReplMessage[] };

/** The part of a command answer that decides whether the elaborated source is a complete proof. */
export interface CompiledSource {
  readonly messages?: readonly ReplMessage[] | undefined;
  readonly sorries?: readonly ReplSorry[] | undefined;
}

const SORRY_WARNING = /declaration uses ['`]sorry['`]/;

export function isSorryWarning(m: ReplMessage): boolean {
  return m.severity === 'warning' && SORRY_WARNING.test(m.data);
}

export function formatMessage(m: ReplMessage): string {
  return `${m.pos.line}:${m.pos.column}: ${m.severity}: ${m.data}`;
}

/** Did elaborating the source give a complete proof (no errors, no sorry)? */
export function judgeCompilation(res: CompiledSource): Judgement {
  const messages = res.messages ?? [];
  const errors = messages.filter((m) => m.severity === 'error');
  if (errors.length > 0) {
    return {
      kind: 'rejected',
      reason: `Lean reported ${errors.length} error${errors.length === 1 ? '' : 's'}: ${errors.map(formatMessage).join(' | ')}`,
      messages,
    };
  }
  const sorries = res.sorries ?? [];
  if (sorries.length > 0) {
    return { kind: 'rejected', reason: `the proof contains sorry (${sorries.length} open: ${sorries.map((s) => JSON.stringify(s.goal)).join(', ')})`, messages };
  }
  const sorryWarning = messages.find(isSorryWarning);
  if (sorryWarning !== undefined) return { kind: 'rejected', reason: `the proof uses sorry (${formatMessage(sorryWarning)})`, messages };
  return { kind: 'ok' };
}

export interface AxiomsReport {
  readonly name: string;
  readonly axioms: readonly string[];
}

/**
 * Parses the output of `#print axioms NAME`:
 * `'NAME' depends on axioms: [propext, Classical.choice, Quot.sound]` (the list may wrap over
 * lines) or `'NAME' does not depend on any axioms`.
 */
export function parseAxioms(text: string): AxiomsReport | undefined {
  const none = /^'(.+)' does not depend on any axioms\s*$/s.exec(text.trim());
  if (none !== null) return { name: none[1]!, axioms: [] };
  const some = /^'(.+?)' depends on axioms:\s*\[([^\]]*)\]\s*$/s.exec(text.trim());
  if (some === null) return undefined;
  const axioms = some[2]!
    .split(',')
    .map((a) => a.trim())
    .filter((a) => a !== '');
  return { name: some[1]!, axioms };
}

export type AxiomsJudgement =
  | { readonly kind: 'ok'; readonly axioms: readonly string[] }
  | { readonly kind: 'rejected'; readonly reason: string; readonly messages: readonly ReplMessage[] };

/** Judges the answer to `#print axioms NAME`: exactly one axioms report, only allowed axioms. */
export function judgeAxioms(messages: readonly ReplMessage[], name: string, allowed: readonly string[] = DEFAULT_ALLOWED_AXIOMS): AxiomsJudgement {
  const errors = messages.filter((m) => m.severity === 'error');
  if (errors.length > 0) return { kind: 'rejected', reason: `#print axioms ${name} failed: ${errors.map(formatMessage).join(' | ')}`, messages };
  const reports = messages.flatMap((m) => {
    const r = m.severity === 'info' ? parseAxioms(m.data) : undefined;
    return r === undefined ? [] : [r];
  });
  // Lean prints the resolved name, which may carry a namespace the statement did not spell out.
  const mine = reports.filter((r) => r.name === name || r.name.endsWith(`.${name}`));
  const report = mine.length === 1 ? mine[0] : reports.length === 1 ? reports[0] : undefined;
  if (report === undefined) {
    return { kind: 'rejected', reason: `#print axioms ${name} gave ${reports.length} axiom reports, expected one for ${name}`, messages };
  }
  const allowedSet = new Set(allowed);
  const bad = report.axioms.filter((a) => !allowedSet.has(a));
  if (bad.length > 0) {
    return { kind: 'rejected', reason: `${name} depends on axioms that are not allowed: ${bad.join(', ')} (allowed: ${allowed.join(', ')})`, messages };
  }
  return { kind: 'ok', axioms: report.axioms };
}

export type TacticJudgement =
  /** The tactic ran and left `goals` (empty only when Lean said `proofStatus: "Completed"`). */
  | {
      readonly kind: 'progress';
      readonly goals: readonly string[];
      readonly proofState: number;
      /** Lean's `proofStatus` said `Completed`; undefined when the REPL reports no proofStatus (older versions). */
      readonly completed: boolean | undefined;
      readonly messages: readonly ReplMessage[];
    }
  | { readonly kind: 'failed'; readonly reason: string; readonly messages: readonly ReplMessage[] }
  /** The tactic text does not parse (`Lean error:\n<input>:L:C: ...`). */
  | { readonly kind: 'parseError'; readonly message: string };

const LEAN_ERROR = 'Lean error:\n';

/**
 * Judges the answer to a `tactic` request. The traps (see the fixtures README): a failing tactic
 * may come back as a new proof state with an `error` message and `goals: []`; and `goals: []`
 * alone proves nothing, only `proofStatus: "Completed"` does. A tactic that leaves a `sorry`
 * is not progress either.
 */
export function judgeTacticResponse(res: TacticResponse | ErrorResponse): TacticJudgement {
  if (res.kind === 'error') {
    const text = res.message.startsWith(LEAN_ERROR) ? res.message.slice(LEAN_ERROR.length) : res.message;
    if (/^<input>:\d+:\d+:/.test(text)) return { kind: 'parseError', message: text.replace(/^<input>:/, '') };
    const messages: ReplMessage[] = [{ severity: 'error', pos: { line: 0, column: 0 }, data: text }];
    return { kind: 'failed', reason: text, messages };
  }
  const messages = res.messages ?? [];
  const errors = messages.filter((m) => m.severity === 'error');
  if (errors.length > 0) return { kind: 'failed', reason: errors.map((m) => m.data).join(' | '), messages };
  if ((res.sorries ?? []).length > 0) return { kind: 'failed', reason: 'the tactic leaves a sorry', messages };
  const status = parseProofStatus(res.proofStatus);
  if (status.kind === 'error') return { kind: 'failed', reason: `Lean rejects the proof so far: ${status.message}`, messages };
  // An absent proofStatus (REPLs before it existed) decides nothing here; verify() still re-checks.
  if (res.goals.length === 0 && status.kind !== 'completed' && res.proofStatus !== undefined) {
    return { kind: 'failed', reason: `no goals left, but the proof is not complete (proofStatus: ${res.proofStatus ?? 'absent'})`, messages };
  }
  const completed = res.proofStatus === undefined ? undefined : status.kind === 'completed';
  return { kind: 'progress', goals: res.goals, proofState: res.proofState, completed, messages };
}
