/**
 * The Lean REPL's JSON protocol (leanprover-community/repl), typed and validated at the boundary.
 * Shapes follow the recorded transcripts in ../shared/fixtures/lean-repl (see its README): every
 * request and response kind seen there has a schema here. Unknown extra keys are kept (newer REPLs
 * add fields), missing or ill-typed known keys are a `LeanProtocolError`.
 */
import { z } from 'zod';
import { LeanProtocolError } from './errors.js';

const nat = z.number().int().nonnegative();

export const positionSchema = z.object({ line: nat, column: nat });
export const severitySchema = z.enum(['info', 'warning', 'error', 'trace']);

export const messageSchema = z.looseObject({
  severity: severitySchema,
  pos: positionSchema,
  endPos: positionSchema.nullish(),
  data: z.string(),
});

export const sorrySchema = z.looseObject({
  goal: z.string(),
  proofState: nat.nullish(),
  pos: positionSchema.optional(),
  endPos: positionSchema.nullish(),
});

export const tacticStepSchema = z.looseObject({
  tactic: z.string(),
  goals: z.string(),
  proofState: nat,
  pos: positionSchema,
  endPos: positionSchema,
  usedConstants: z.array(z.string()).optional(),
});

/** Answer to `cmd`, `path`, `pickleTo`+`env` and `unpickleEnvFrom` requests. */
export const commandResponseSchema = z.looseObject({
  env: nat,
  messages: z.array(messageSchema).optional(),
  sorries: z.array(sorrySchema).optional(),
  tactics: z.array(tacticStepSchema).optional(),
  infotree: z.array(z.unknown()).optional(),
});

/** Answer to `tactic`, `pickleTo`+`proofState` and `unpickleProofStateFrom` requests. */
export const tacticResponseSchema = z.looseObject({
  proofState: nat,
  goals: z.array(z.string()),
  messages: z.array(messageSchema).optional(),
  sorries: z.array(sorrySchema).optional(),
  traces: z.array(z.string()).optional(),
  proofStatus: z.string().optional(),
});

export const errorResponseSchema = z.looseObject({ message: z.string() });

export type Position = z.infer<typeof positionSchema>;
export type Severity = z.infer<typeof severitySchema>;
export type ReplMessage = z.infer<typeof messageSchema>;
export type ReplSorry = z.infer<typeof sorrySchema>;
export type ReplTacticStep = z.infer<typeof tacticStepSchema>;

export type CommandResponse = { readonly kind: 'command' } & z.infer<typeof commandResponseSchema>;
export type TacticResponse = { readonly kind: 'tactic' } & z.infer<typeof tacticResponseSchema>;
/** `{"message": ...}`: unknown env/proof state, or `Lean error:\n...` when a tactic fails or does not parse. */
export type ErrorResponse = { readonly kind: 'error' } & z.infer<typeof errorResponseSchema>;
export type ReplResponse = CommandResponse | TacticResponse | ErrorResponse;

// ---------------------------------------------------------------------------------------------
// Requests

const commandOptions = {
  env: nat.optional(),
  allTactics: z.boolean().optional(),
  rootGoals: z.boolean().optional(),
  infotree: z.enum(['full', 'tactics', 'original', 'substantive']).optional(),
};

export const commandRequestSchema = z.strictObject({ cmd: z.string(), ...commandOptions });
export const fileRequestSchema = z.strictObject({ path: z.string(), ...commandOptions });
export const tacticRequestSchema = z.strictObject({ tactic: z.string(), proofState: nat });
export const pickleEnvRequestSchema = z.strictObject({ pickleTo: z.string(), env: nat });
export const pickleProofStateRequestSchema = z.strictObject({ pickleTo: z.string(), proofState: nat });
export const unpickleEnvRequestSchema = z.strictObject({ unpickleEnvFrom: z.string() });
export const unpickleProofStateRequestSchema = z.strictObject({ unpickleProofStateFrom: z.string(), env: nat.optional() });

export type ReplRequest =
  | ({ readonly kind: 'command' } & z.infer<typeof commandRequestSchema>)
  | ({ readonly kind: 'file' } & z.infer<typeof fileRequestSchema>)
  | ({ readonly kind: 'tactic' } & z.infer<typeof tacticRequestSchema>)
  | ({ readonly kind: 'pickleEnv' } & z.infer<typeof pickleEnvRequestSchema>)
  | ({ readonly kind: 'pickleProofState' } & z.infer<typeof pickleProofStateRequestSchema>)
  | ({ readonly kind: 'unpickleEnv' } & z.infer<typeof unpickleEnvRequestSchema>)
  | ({ readonly kind: 'unpickleProofState' } & z.infer<typeof unpickleProofStateRequestSchema>);
export type ReplRequestKind = ReplRequest['kind'];

/** Requests answered by a proof state (or an error); all others are answered by an environment. */
export type ProofStateRequest = Extract<ReplRequest, { kind: 'tactic' | 'pickleProofState' | 'unpickleProofState' }>;
export type ResponseFor<R extends ReplRequest> = R extends ProofStateRequest ? TacticResponse | ErrorResponse : CommandResponse | ErrorResponse;

export function answersWithProofState(kind: ReplRequestKind): boolean {
  return kind === 'tactic' || kind === 'pickleProofState' || kind === 'unpickleProofState';
}

/** The wire object of a request (its fields without `kind`). */
export function requestToWire(req: ReplRequest): Record<string, unknown> {
  const { kind: _kind, ...wire } = req;
  return wire;
}

/**
 * One request as sent: a single JSON line (JSON.stringify escapes newlines inside strings, which
 * the REPL requires: it joins raw lines and would lose a raw line break) and a blank line.
 */
export function encodeRequest(req: ReplRequest): string {
  return `${JSON.stringify(requestToWire(req))}\n\n`;
}

/** Classifies and validates a request object as the REPL would (by which fields it has). */
export function parseRequest(value: unknown): ReplRequest {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new LeanProtocolError(`a REPL request must be a JSON object, got ${describe(value)}`);
  }
  const has = (k: string): boolean => k in value;
  const pick = <T extends object>(kind: ReplRequestKind, schema: z.ZodType<T>): ReplRequest => {
    const r = schema.safeParse(value);
    if (!r.success) throw new LeanProtocolError(`invalid ${kind} request: ${z.prettifyError(r.error)}`);
    return { kind, ...r.data } as unknown as ReplRequest;
  };
  if (has('cmd')) return pick('command', commandRequestSchema);
  if (has('path')) return pick('file', fileRequestSchema);
  if (has('tactic')) return pick('tactic', tacticRequestSchema);
  if (has('pickleTo')) return has('proofState') ? pick('pickleProofState', pickleProofStateRequestSchema) : pick('pickleEnv', pickleEnvRequestSchema);
  if (has('unpickleEnvFrom')) return pick('unpickleEnv', unpickleEnvRequestSchema);
  if (has('unpickleProofStateFrom')) return pick('unpickleProofState', unpickleProofStateRequestSchema);
  throw new LeanProtocolError(`unknown REPL request kind with keys [${Object.keys(value).join(', ')}]`);
}

// ---------------------------------------------------------------------------------------------
// Responses

/**
 * Validates one parsed response document against what a request of `kind` may be answered with.
 * `{"message": ...}` without `env`/`proofState` is the REPL's error answer.
 */
export function parseResponse(kind: ReplRequestKind, value: unknown): ReplResponse {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new LeanProtocolError(`response to ${kind} request is not a JSON object: ${describe(value)}`);
  }
  if ('message' in value && !('env' in value) && !('proofState' in value)) {
    const r = errorResponseSchema.safeParse(value);
    if (!r.success) throw invalid(kind, 'error', r.error, value);
    return { kind: 'error', ...r.data };
  }
  if (answersWithProofState(kind)) {
    const r = tacticResponseSchema.safeParse(value);
    if (!r.success) throw invalid(kind, 'proof-state', r.error, value);
    return { kind: 'tactic', ...r.data };
  }
  const r = commandResponseSchema.safeParse(value);
  if (!r.success) throw invalid(kind, 'environment', r.error, value);
  return { kind: 'command', ...r.data };
}

/** The wire object of a response (its fields without `kind`), e.g. to compare with a recording. */
export function responseToWire(res: ReplResponse): Record<string, unknown> {
  const { kind: _kind, ...wire } = res;
  return wire;
}

function invalid(kind: ReplRequestKind, expected: string, error: z.ZodError, value: unknown): LeanProtocolError {
  return new LeanProtocolError(
    `invalid ${expected} response to ${kind} request: ${z.prettifyError(error).replace(/\n/g, '; ')} (response: ${describe(value)})`,
  );
}

export function describe(value: unknown, max = 300): string {
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = String(value);
  }
  return text.length > max ? `${text.slice(0, max)}… (${text.length} chars)` : text;
}

// ---------------------------------------------------------------------------------------------
// proofStatus, parsed at the boundary into a tagged union

export type ProofStatus =
  | { readonly kind: 'completed' }
  | { readonly kind: 'incomplete'; readonly reason: string }
  | { readonly kind: 'error'; readonly message: string }
  | { readonly kind: 'notVerified'; readonly reason: string }
  /** Absent (older REPLs) or a text this client does not know: never counts as completed. */
  | { readonly kind: 'unknown'; readonly text: string | undefined };

export function parseProofStatus(text: string | undefined): ProofStatus {
  if (text === undefined) return { kind: 'unknown', text };
  if (text === 'Completed') return { kind: 'completed' };
  const after = (prefix: string): string | undefined => (text.startsWith(prefix) ? text.slice(prefix.length).trim() : undefined);
  const incomplete = after('Incomplete:');
  if (incomplete !== undefined) return { kind: 'incomplete', reason: incomplete };
  const error = after('Error:');
  if (error !== undefined) return { kind: 'error', message: error };
  const notVerified = after('Not verified:');
  if (notVerified !== undefined) return { kind: 'notVerified', reason: notVerified };
  return { kind: 'unknown', text };
}
