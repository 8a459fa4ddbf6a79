export type {
  ProofStateId, Hypothesis, Goal, ProofState, Message, TacticResult, Verdict, TheoremSource, StartResult, ProofEnvironment,
} from './environment.js';
export type { LeanEnvironmentOptions, LeanFileCheck, LeanFileTheorem } from './lean-environment.js';
export { LeanEnvironment, createLeanEnvironment, defaultReplCommand, theoremText, checkFileWithLean } from './lean-environment.js';
export type { KernelEnvironmentOptions } from './kernel-environment.js';
export { KernelEnvironment } from './kernel-environment.js';
export type { FileItem, TheoremItem, UnsupportedItem, ErrorItem, ProofSyntax, Span, HeaderBinder, ParsedHeader } from './parser.js';
export { parseLeanFile, parseHeader } from './parser.js';
export type { CheckOptions, TheoremCheck, TheoremStatus } from './check-file.js';
export { checkFile, checkFileThreaded } from './check-file.js';
export type { Tactic as TacticSyntax, Expr as TermSyntax } from './syntax.js';
export { parseTactics } from './syntax.js';
export type { ProveOptions, ProofReport, ProofStatus, SearchKind } from './search/prover.js';
export { proveTheorem, bestFirstSearch, scriptText, INTUITIONISTIC_ALLOWED } from './search/prover.js';
export type { ProveFileOptions, ProveFileResult } from './search/prover-file.js';
export { proveFile, proveTheorems, fillProofs, proofBlock, proverWorkerUrl } from './search/prover-file.js';
export type { Candidate, GeneratorOptions, Generated } from './search/generator.js';
export { TacticGenerator, heuristicValue } from './search/generator.js';
export type { SearchCounters, ProofSearchEnvironment } from './search/search-env.js';
export { proofSearchEnvironment, GeneratorEvaluator, newCounters } from './search/search-env.js';
export type { SolveOutcome, SolveOptions, SequentInput } from './search/prop-solver.js';
export { solveGoal } from './search/prop-solver.js';
