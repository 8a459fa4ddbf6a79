import type { Pos } from './syntax.js';

/**
 * An error whose message is computed on first read and which captures no stack: elaboration and
 * tactic failures are the common case in proof search, caught and retried by the thousand.
 */
export class LazyError extends Error {
  readonly pos?: Pos;
  constructor(message: string | (() => string), pos?: Pos) {
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    super(typeof message === 'string' ? message : '');
    Error.stackTraceLimit = limit;
    this.pos = pos;
    this.name = new.target.name;
    if (typeof message !== 'string') {
      let cached: string | undefined;
      Object.defineProperty(this, 'message', { get: () => (cached ??= message()), configurable: true });
    }
  }
}
