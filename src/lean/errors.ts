import { EngineError } from '../core/index.js';

/** A REPL answer that is not what the protocol allows (bad framing, bad JSON, failed schema). */
export class LeanProtocolError extends EngineError {
  constructor(message: string, opts?: { cause?: unknown }) {
    super('LEAN_PROTOCOL', message, opts);
  }
}

/**
 * The REPL process failed: it could not start (`phase: 'startup'`), exited or crashed mid-request
 * (`'running'`), or the pool is closed (`'closed'`). `retryable` marks a crash of a process that
 * was healthy before (worth one retry on a fresh one).
 */
export class LeanProcessError extends EngineError {
  readonly retryable: boolean;
  readonly phase: 'startup' | 'running' | 'closed';
  constructor(message: string, opts?: { retryable?: boolean; phase?: 'startup' | 'running' | 'closed'; cause?: unknown }) {
    super('LEAN_PROCESS', message, { cause: opts?.cause });
    this.retryable = opts?.retryable ?? false;
    this.phase = opts?.phase ?? 'running';
  }
}

/** A request (or the startup with its header) took longer than allowed; the process was killed. */
export class LeanTimeoutError extends EngineError {
  constructor(message: string, readonly afterMs: number, opts?: { cause?: unknown }) {
    super('LEAN_TIMEOUT', message, opts);
  }
}
