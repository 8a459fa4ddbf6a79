export type {
  ProofStateId, Hypothesis, Goal, ProofState, Message, TacticResult, Verdict, TheoremSource, StartResult, ProofEnvironment,
} from './environment.js';
