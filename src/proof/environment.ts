/**
 * A proof environment: the embedded kernel and the Lean bridge both implement it.
 * States are immutable snapshots (backtracking is free); failures are results, not exceptions.
 */

export type ProofStateId = number & { readonly __brand: 'ProofStateId' };

export interface Hypothesis {
  readonly name: string;
  /** Pretty-printed type, in Lean syntax. */
  readonly type: string;
}

export interface Goal {
  readonly hyps: readonly Hypothesis[];
  /** Pretty-printed target, in Lean syntax. */
  readonly target: string;
}

export interface ProofState {
  readonly id: ProofStateId;
  readonly goals: readonly Goal[];
  /** A canonical text of all goals, equal for states the search may merge. */
  readonly key: string;
  /** Tactics applied from the start, in order (the script so far). */
  readonly script: readonly string[];
}

export interface Message {
  readonly severity: 'error' | 'warning' | 'info';
  readonly text: string;
  readonly line?: number;
  readonly column?: number;
}

export type TacticResult =
  | { readonly kind: 'success'; readonly state: ProofState; readonly messages: readonly Message[] }
  | { readonly kind: 'failure'; readonly messages: readonly Message[] }
  | { readonly kind: 'parseError'; readonly message: string }
  | { readonly kind: 'timeout'; readonly afterMs: number };

export type Verdict =
  | { readonly kind: 'verified'; readonly axioms: readonly string[] }
  | { readonly kind: 'rejected'; readonly reason: string; readonly messages: readonly Message[] };

export interface TheoremSource {
  readonly name: string;
  /** The full declaration text up to and excluding `:=`, e.g. `theorem foo (p : Prop) : p → p`. */
  readonly header: string;
}

export type StartResult =
  | { readonly kind: 'ok'; readonly state: ProofState }
  | { readonly kind: 'unsupported'; readonly message: string; readonly line?: number; readonly column?: number }
  | { readonly kind: 'error'; readonly message: string };

export interface ProofEnvironment {
  readonly name: 'kernel' | 'lean';
  start(theorem: TheoremSource): Promise<StartResult>;
  tryTactic(state: ProofState, tactic: string): Promise<TacticResult>;
  /**
   * Re-checks the complete script from scratch (statement included), independently of the
   * states that search produced. Only a `verified` verdict makes a proof.
   */
  verify(theorem: TheoremSource, script: readonly string[], opts?: { readonly allowedAxioms?: readonly string[] }): Promise<Verdict>;
  close?(): Promise<void>;
}
