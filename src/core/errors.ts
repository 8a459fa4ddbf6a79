/** Stable error codes: scripts and the wire protocol match on these, never on messages. */
export type ErrorCode =
  | 'ILLEGAL_ACTION'
  | 'MALFORMED_ACTION'
  | 'MALFORMED_POSITION'
  | 'GAME_OVER'
  | 'UNKNOWN_GAME'
  | 'BAD_PLAYER_SPEC'
  | 'BAD_ARGUMENT'
  | 'BAD_CONFIG'
  | 'BAD_CHECKPOINT'
  | 'IO_ERROR'
  | 'PARSE_ERROR'
  | 'UNSUPPORTED'
  | 'KERNEL_ERROR'
  | 'LEAN_PROTOCOL'
  | 'LEAN_PROCESS'
  | 'LEAN_TIMEOUT'
  | 'LEAN_NOT_FOUND'
  | 'LEAN_QUEUE_FULL'
  | 'INTERNAL';

export class EngineError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    opts?: { cause?: unknown },
  ) {
    super(message, opts);
    this.name = new.target.name;
  }
}

export class IllegalActionError extends EngineError {
  constructor(message: string, opts?: { cause?: unknown }) {
    super('ILLEGAL_ACTION', message, opts);
  }
}

export class ParseError extends EngineError {
  constructor(code: 'MALFORMED_ACTION' | 'MALFORMED_POSITION' | 'PARSE_ERROR' | 'BAD_PLAYER_SPEC' | 'BAD_ARGUMENT' | 'BAD_CONFIG', message: string, opts?: { cause?: unknown }) {
    super(code, message, opts);
  }
}

export function isEngineError(e: unknown): e is EngineError {
  return e instanceof EngineError;
}
