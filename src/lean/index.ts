// The Lean REPL client: protocol (zod), one process, a pool of them, verdict helpers.
export { LeanProtocolError, LeanProcessError, LeanTimeoutError } from './errors.js';
export type {
  Position, Severity, ReplMessage, ReplSorry, ReplTacticStep, CommandResponse, TacticResponse, ErrorResponse, ReplResponse,
  ReplRequest, ReplRequestKind, ResponseFor, ProofStatus,
} from './protocol.js';
export { encodeRequest, parseRequest, parseResponse, requestToWire, responseToWire, parseProofStatus, commandResponseSchema, tacticResponseSchema } from './protocol.js';
export { ResponseFramer } from './framing.js';
export type { ReplCommand, ReplProcessOptions, RequestOptions } from './repl-process.js';
export { ReplProcess, REPL_DEFAULTS, whichSync } from './repl-process.js';
export type { LeanPoolOptions, ReplSession, JobOptions, PoolStats } from './pool.js';
export { LeanPool } from './pool.js';
export { killAllProcessGroups, liveProcessGroups, processGroupAlive } from './process-groups.js';
export type { LeanInstallation } from './find-lean.js';
export { findLean } from './find-lean.js';
export type { ParsedGoal, ParsedHypothesis } from './goals.js';
export { parseGoal } from './goals.js';
export type { Judgement, CompiledSource, AxiomsReport, AxiomsJudgement, TacticJudgement } from './verdict.js';
export { DEFAULT_ALLOWED_AXIOMS, judgeCompilation, judgeTacticResponse, judgeAxioms, parseAxioms, isSorryWarning, formatMessage } from './verdict.js';
export { replayStandInPath, replayStandInCommand } from './testing/stand-in.js';
export type { SplitSource } from './header.js';
export { splitLeanHeader } from './header.js';
export { splitReplInput } from './transcript.js';
