export type {
  ProofStateId, Hypothesis, Goal, ProofState, Message, TacticResult, Verdict, TheoremSource, StartResult, ProofEnvironment,
} from './environment.js';
export type { LeanEnvironmentOptions } from './lean-environment.js';
export { LeanEnvironment, createLeanEnvironment, defaultReplCommand, theoremText } from './lean-environment.js';
