/**
 * One Lean REPL child process: spawned in its own process group, header (imports) elaborated once,
 * then one request at a time. Every way it can go wrong ends in a typed error, never a hang:
 * startup timeout, per-request timeout (kills the group), exit or crash mid-response, garbage or
 * oversized output (kills the group), bounded stderr kept for the error messages.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';
import { EngineError } from '../core/index.js';
import { LeanProcessError, LeanProtocolError, LeanTimeoutError } from './errors.js';
import { ResponseFramer } from './framing.js';
import { encodeRequest, parseResponse, type ReplRequest, type ReplResponse, type ResponseFor } from './protocol.js';
import { killProcessGroup, registerProcessGroup, unregisterProcessGroup } from './process-groups.js';

export interface ReplCommand {
  /** Program to run, e.g. `lake` (found on PATH) or an absolute path. */
  readonly command: string;
  readonly args: readonly string[];
  /** Working directory: the Lean project (where `lakefile.lean`/`lakefile.toml` is). */
  readonly cwd?: string;
  readonly env?: NodeJS.ProcessEnv;
}

export interface ReplProcessOptions extends ReplCommand {
  /**
   * Source run once per process before any job, e.g. `import Mathlib` (may also hold `open ...`).
   * Its environment is the base of every job. Empty: no header, jobs start from Lean's prelude.
   */
  readonly header?: string;
  /** Limit for spawn + header elaboration (`import Mathlib` takes a while). */
  readonly startupTimeoutMs?: number;
  /** Default limit for one request. */
  readonly requestTimeoutMs?: number;
  /** Address-space cap per process, enforced with `prlimit --as` when available. */
  readonly memoryLimitBytes?: number;
  /** A response document larger than this kills the process (a runaway `#print` or trace). */
  readonly maxResponseBytes?: number;
  /** How much of the end of stderr is kept for error messages. */
  readonly stderrBytes?: number;
}

export const REPL_DEFAULTS = {
  startupTimeoutMs: 180_000,
  requestTimeoutMs: 60_000,
  maxResponseBytes: 64 * 1024 * 1024,
  stderrBytes: 16 * 1024,
} as const;

export interface RequestOptions {
  readonly timeoutMs?: number;
}

interface Pending {
  readonly kind: ReplRequest['kind'];
  readonly resolve: (v: unknown) => void;
  readonly reject: (e: Error) => void;
  readonly timer: NodeJS.Timeout;
}

let prlimitPath: string | null | undefined;

/** Absolute path of an executable found on PATH, or undefined. */
export function whichSync(name: string, pathEnv = process.env['PATH'] ?? ''): string | undefined {
  if (name.includes('/')) return isExecutable(name) ? name : undefined;
  for (const dir of pathEnv.split(delimiter)) {
    if (dir === '') continue;
    const p = join(dir, name);
    if (isExecutable(p)) return p;
  }
  return undefined;
}

function isExecutable(p: string): boolean {
  try {
    accessSync(p, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** The command actually spawned: wrapped in `prlimit --as=N` when a memory cap is asked for. */
export function wrapWithMemoryLimit(cmd: ReplCommand, memoryLimitBytes: number | undefined): { command: string; args: string[]; memoryCap: 'prlimit' | 'none' } {
  if (memoryLimitBytes === undefined) return { command: cmd.command, args: [...cmd.args], memoryCap: 'none' };
  if (prlimitPath === undefined) prlimitPath = whichSync('prlimit') ?? null;
  if (prlimitPath === null) return { command: cmd.command, args: [...cmd.args], memoryCap: 'none' };
  return { command: prlimitPath, args: [`--as=${Math.floor(memoryLimitBytes)}`, cmd.command, ...cmd.args], memoryCap: 'prlimit' };
}

export class ReplProcess {
  readonly pid: number;
  /** Environment number of the header, the base of every job (undefined without header). */
  headerEnv: number | undefined;
  /** Requests answered (header excluded). */
  requestsServed = 0;
  readonly memoryCap: 'prlimit' | 'none';

  private readonly child: ChildProcess;
  private readonly framer = new ResponseFramer();
  private readonly opts: Required<Omit<ReplProcessOptions, 'header' | 'memoryLimitBytes' | 'cwd' | 'env'>> & ReplProcessOptions;
  private stderrTail = '';
  private pending: Pending | undefined;
  private exitInfo: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  private readonly exited: Promise<void>;
  private deathReason: string | undefined;
  private readonly exitListeners: (() => void)[] = [];

  private constructor(opts: ReplProcessOptions) {
    this.opts = { ...REPL_DEFAULTS, ...opts };
    const { command, args, memoryCap } = wrapWithMemoryLimit(opts, opts.memoryLimitBytes);
    this.memoryCap = memoryCap;
    this.child = spawn(command, args, {
      cwd: opts.cwd,
      env: opts.env ?? process.env,
      stdio: ['pipe', 'pipe', 'pipe'],
      // Own process group: a timeout or shutdown kills `lake` and the `repl` it started together.
      detached: true,
    });
    this.pid = this.child.pid ?? -1;
    if (this.pid > 0) registerProcessGroup(this.pid);
    let spawnError: Error | undefined;
    this.exited = new Promise<void>((resolve) => {
      let done = false;
      const finish = (code: number | null, signal: NodeJS.Signals | null): void => {
        if (done) return;
        done = true;
        this.exitInfo = { code, signal };
        if (this.pid > 0) {
          // Grandchildren (the `repl` under `lake`) may still run: take the whole group down.
          killProcessGroup(this.pid);
          unregisterProcessGroup(this.pid);
        }
        this.failPending(() => this.exitError(spawnError));
        for (const l of this.exitListeners) l();
        resolve();
      };
      this.child.on('error', (e) => {
        spawnError = e;
        // A failed spawn emits no 'exit'.
        if (this.child.pid === undefined) finish(null, null);
      });
      this.child.on('exit', (code, signal) => finish(code, signal));
    });
    this.child.stdout!.on('data', (chunk: Buffer) => this.onStdout(chunk));
    this.child.stderr!.on('data', (chunk: Buffer) => this.onStderr(chunk));
    // Writing to a dead process gives EPIPE; the exit handler reports it.
    this.child.stdin!.on('error', () => {});
  }

  /**
   * Spawns the REPL and elaborates the header; rejects with a typed error naming the cause.
   * `onSpawn` receives the process at once, so an owner can kill it while it is still starting.
   */
  static async start(opts: ReplProcessOptions, onSpawn?: (p: ReplProcess) => void): Promise<ReplProcess> {
    const p = new ReplProcess(opts);
    onSpawn?.(p);
    const startupTimeoutMs = opts.startupTimeoutMs ?? REPL_DEFAULTS.startupTimeoutMs;
    const header = opts.header?.trim() ?? '';
    try {
      if (header === '') {
        // Without a header nothing proves the process runs: wait until the spawn has succeeded.
        await new Promise<void>((resolve, reject) => {
          if (p.exitInfo !== undefined) reject(p.exitError(undefined));
          p.child.once('spawn', () => resolve());
          p.exitListeners.push(() => reject(p.exitError(undefined)));
        });
      } else {
        const res = await p.send({ kind: 'command', cmd: header }, startupTimeoutMs, 'header');
        if (res.kind !== 'command') throw new LeanProcessError(`Lean REPL rejected the header ${quote(header)}: ${res.kind === 'error' ? res.message : 'answered with a proof state'}`, { phase: 'startup' });
        const errors = (res.messages ?? []).filter((m) => m.severity === 'error');
        if (errors.length > 0) {
          throw new LeanProcessError(
            `the header ${quote(header)} does not elaborate: ${errors.map((m) => `${m.pos.line}:${m.pos.column}: ${m.data}`).join('; ')}`,
            { phase: 'startup' },
          );
        }
        p.headerEnv = res.env;
      }
    } catch (e) {
      p.kill('startup failed');
      await p.exited;
      if (e instanceof LeanTimeoutError) throw new LeanTimeoutError(`Lean REPL did not start within ${startupTimeoutMs} ms (${p.describeCommand()})${p.stderrSuffix()}`, startupTimeoutMs);
      // A crash while starting (not a bad header, not a timeout) is worth one more try.
      if (e instanceof LeanProcessError) throw new LeanProcessError(`Lean REPL failed to start: ${e.message}`, { phase: 'startup', retryable: e.retryable, cause: e });
      throw e;
    }
    return p;
  }

  get alive(): boolean {
    return this.exitInfo === undefined && this.deathReason === undefined;
  }

  get busy(): boolean {
    return this.pending !== undefined;
  }

  /** The last bytes the process wrote to stderr. */
  get stderr(): string {
    return this.stderrTail;
  }

  /** Resolves when the process has exited and its group was killed. */
  whenExited(): Promise<void> {
    return this.exited;
  }

  onExit(listener: () => void): void {
    if (this.exitInfo !== undefined) listener();
    else this.exitListeners.push(listener);
  }

  /** Sends one request and validates the answer. Throws LeanTimeoutError, LeanProcessError, LeanProtocolError. */
  request<R extends ReplRequest>(req: R, opts?: RequestOptions): Promise<ResponseFor<R>> {
    return this.send(req, opts?.timeoutMs ?? this.opts.requestTimeoutMs, req.kind).then((r) => {
      this.requestsServed++;
      return r as ResponseFor<R>;
    });
  }

  private send(req: ReplRequest, timeoutMs: number, what: string): Promise<ReplResponse> {
    if (!this.alive) return Promise.reject(this.exitError(undefined));
    if (this.pending !== undefined) {
      return Promise.reject(new EngineError('INTERNAL', `REPL process ${this.pid} is busy: one request at a time`));
    }
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        const p = this.pending;
        this.pending = undefined;
        this.kill(`${what} request timed out after ${timeoutMs} ms`);
        p?.reject(new LeanTimeoutError(`Lean REPL (pid ${this.pid}) did not answer the ${what} request within ${timeoutMs} ms; process killed${this.stderrSuffix()}`, timeoutMs));
      }, timeoutMs);
      this.pending = { kind: req.kind, resolve: resolve as (v: unknown) => void, reject, timer };
      this.child.stdin!.write(encodeRequest(req));
    });
  }

  /** SIGKILL to the whole process group. Safe to call more than once. */
  kill(reason = 'killed'): void {
    if (this.deathReason === undefined) this.deathReason = reason;
    if (this.pid > 0 && this.exitInfo === undefined) killProcessGroup(this.pid);
  }

  /** Ends the process: closes stdin (the REPL exits at end of input), SIGKILL after `graceMs`. */
  async close(graceMs = 2000): Promise<void> {
    if (this.exitInfo !== undefined) return;
    if (this.deathReason === undefined) this.deathReason = 'closed';
    this.child.stdin!.end();
    const t = setTimeout(() => this.kill('closed'), graceMs);
    await this.exited;
    clearTimeout(t);
  }

  describeCommand(): string {
    const cmd = [this.opts.command, ...this.opts.args].join(' ');
    return this.opts.cwd === undefined ? `\`${cmd}\`` : `\`${cmd}\` in ${this.opts.cwd}`;
  }

  private onStdout(chunk: Buffer): void {
    let frames: string[];
    try {
      frames = this.framer.push(chunk);
    } catch (e) {
      this.protocolFailure(new LeanProtocolError(`unreadable REPL output: ${(e as Error).message}`));
      return;
    }
    for (const text of frames) {
      const p = this.pending;
      if (p === undefined) {
        this.protocolFailure(new LeanProtocolError(`Lean REPL (pid ${this.pid}) wrote output nobody asked for: ${excerpt(text)}`));
        return;
      }
      let parsed: unknown;
      try {
        parsed = JSON.parse(text);
      } catch {
        this.protocolFailure(new LeanProtocolError(`Lean REPL (pid ${this.pid}) answered the ${p.kind} request with text that is not JSON: ${excerpt(text)}${this.stderrSuffix()}`));
        return;
      }
      this.pending = undefined;
      clearTimeout(p.timer);
      try {
        p.resolve(parseResponse(p.kind, parsed));
      } catch (e) {
        // The document was well framed, so the stream is still in sync: keep the process.
        p.reject(e as Error);
      }
    }
    if (this.pending !== undefined && this.framer.pendingBytes > this.opts.maxResponseBytes) {
      this.protocolFailure(
        new LeanProtocolError(`Lean REPL (pid ${this.pid}) response to the ${this.pending.kind} request exceeds ${this.opts.maxResponseBytes} bytes; process killed`),
      );
    } else if (this.pending === undefined && this.framer.pendingBytes > this.opts.maxResponseBytes) {
      this.protocolFailure(new LeanProtocolError(`Lean REPL (pid ${this.pid}) wrote more than ${this.opts.maxResponseBytes} bytes unasked; process killed`));
    }
  }

  /** After unframeable output the stream cannot be trusted again: fail the request, kill the process. */
  private protocolFailure(e: LeanProtocolError): void {
    const p = this.pending;
    this.pending = undefined;
    this.kill(e.message);
    if (p !== undefined) {
      clearTimeout(p.timer);
      p.reject(e);
    }
  }

  private onStderr(chunk: Buffer): void {
    const max = this.opts.stderrBytes;
    this.stderrTail += chunk.toString('utf8');
    if (this.stderrTail.length > 2 * max) this.stderrTail = this.stderrTail.slice(-max);
  }

  private failPending(make: () => Error): void {
    const p = this.pending;
    if (p === undefined) return;
    this.pending = undefined;
    clearTimeout(p.timer);
    p.reject(make());
  }

  private exitError(spawnError: Error | undefined): EngineError {
    if (spawnError !== undefined) {
      const code = (spawnError as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') {
        // The same code as `findLean()`, so the CLI can explain how to install Lean.
        return new EngineError('LEAN_NOT_FOUND', `cannot run ${this.describeCommand()}: ${this.opts.command} not found (or the working directory does not exist)`);
      }
      return new LeanProcessError(`cannot run ${this.describeCommand()}: ${spawnError.message}`, { phase: 'startup', cause: spawnError });
    }
    const info = this.exitInfo;
    const how = info === undefined ? 'is not running' : info.signal !== null ? `was killed by ${info.signal}` : `exited with code ${info.code}`;
    const why = this.deathReason !== undefined ? ` (${this.deathReason})` : '';
    const partial = this.framer.remainder.trim() !== '' ? `; partial output: ${excerpt(this.framer.remainder)}` : '';
    // A crash of a process we did not kill on purpose is worth one retry on a fresh process.
    return new LeanProcessError(`Lean REPL (pid ${this.pid}) ${how}${why}${partial}${this.stderrSuffix()}`, { retryable: this.deathReason === undefined });
  }

  private stderrSuffix(): string {
    const s = this.stderrTail.slice(-this.opts.stderrBytes).trim();
    return s === '' ? '' : `; stderr: ${s.length > 2000 ? `…${s.slice(-2000)}` : s}`;
  }
}


function excerpt(text: string, max = 400): string {
  const t = text.trim();
  return JSON.stringify(t.length > max ? `${t.slice(0, max)}…` : t);
}

function quote(s: string): string {
  return JSON.stringify(s.length > 80 ? `${s.slice(0, 80)}…` : s);
}
