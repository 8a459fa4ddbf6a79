// ReplProcess against stand-ins that misbehave the ways a real REPL can: hang, crash mid-answer,
// print garbage or huge output, start slowly or not at all. Every case ends in a typed error
// naming the cause, and no process is left behind.
import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EngineError } from '../../src/core/index.js';
import { LeanProcessError, LeanProtocolError, LeanTimeoutError, ReplProcess, type ReplProcessOptions } from '../../src/lean/index.js';
import { fakeRepl, pidAlive, waitUntil } from './helpers.js';

const started: number[] = [];
const dir = mkdtempSync(join(tmpdir(), 'arbor-lean-faults-'));
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
  for (const pid of started) expect(pidAlive(pid), `pid ${pid} left running`).toBe(false);
});

async function start({ args, ...opts }: Partial<ReplProcessOptions> & { args?: string[] } = {}): Promise<ReplProcess> {
  const p = await ReplProcess.start({ ...fakeRepl(...(args ?? [])), env: { ...process.env, FAKE_REPL_DIR: dir }, header: 'import Mathlib', ...opts }, (q) => started.push(q.pid));
  return p;
}

async function rejection(p: Promise<unknown>): Promise<Error> {
  try {
    await p;
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected a rejection');
}

const cmd = (c: string) => ({ kind: 'command' as const, cmd: c });

describe('ReplProcess faults', () => {
  it('answers normally, with the header env as base', async () => {
    const p = await start();
    expect(p.headerEnv).toBe(0);
    const r = await p.request(cmd('echo:hello ⊢ world'));
    expect(r.kind === 'command' && r.messages?.[0]?.data).toBe('hello ⊢ world');
    await p.close();
    expect(pidAlive(p.pid)).toBe(false);
  });

  it('a hanging request times out, and the whole process group (grandchild too) is killed', async () => {
    const p = await start();
    const r = await p.request(cmd('spawn-child'));
    const grandchild = Number(r.kind === 'command' ? r.messages?.[0]?.data : NaN);
    expect(pidAlive(grandchild)).toBe(true);
    const e = await rejection(p.request(cmd('hang'), { timeoutMs: 200 }));
    expect(e).toBeInstanceOf(LeanTimeoutError);
    expect((e as LeanTimeoutError).afterMs).toBe(200);
    await p.whenExited();
    await waitUntil(() => !pidAlive(p.pid) && !pidAlive(grandchild), 'the group to die');
    // A dead process refuses further work with a clear error instead of hanging.
    expect(await rejection(p.request(cmd('echo:x')))).toBeInstanceOf(LeanProcessError);
  });

  it('a crash mid-response is a retryable LeanProcessError with exit code, partial output and stderr', async () => {
    const p = await start();
    const e = await rejection(p.request(cmd('crash')));
    expect(e).toBeInstanceOf(LeanProcessError);
    expect((e as LeanProcessError).retryable).toBe(true);
    expect(e.message).toMatch(/exited with code 1/);
    expect(e.message).toMatch(/partial output: .*severity/);
    expect(e.message).toMatch(/stderr: fake-repl: PANIC/);
  });

  it('stderr is kept bounded: a flood leaves only its end in the error message', async () => {
    const p = await start({ stderrBytes: 4096 });
    const e = await rejection(p.request(cmd('stderr-flood')));
    expect(e.message).toMatch(/fake-repl: LAST WORDS/);
    expect(e.message.length).toBeLessThan(4000);
    expect(p.stderr.length).toBeLessThanOrEqual(2 * 4096);
  });

  it('an exit without answering is reported', async () => {
    const p = await start();
    const e = await rejection(p.request(cmd('exit')));
    expect(e).toBeInstanceOf(LeanProcessError);
    expect(e.message).toMatch(/exited with code 0/);
  });

  it('garbage on stdout is a LeanProtocolError quoting it; the process is killed', async () => {
    const p = await start();
    const e = await rejection(p.request(cmd('garbage')));
    expect(e).toBeInstanceOf(LeanProtocolError);
    expect((e as EngineError).code).toBe('LEAN_PROTOCOL');
    expect(e.message).toMatch(/not JSON: "uncaught exception: this is not json"/);
    await p.whenExited();
  });

  it('well-framed JSON that fails the schema is a LeanProtocolError naming the field; the process stays usable', async () => {
    const p = await start();
    const e = await rejection(p.request(cmd('bad-schema')));
    expect(e).toBeInstanceOf(LeanProtocolError);
    expect(e.message).toMatch(/invalid environment response to command request: .*env/);
    expect(p.alive).toBe(true);
    expect((await p.request(cmd('echo:still here'))).kind).toBe('command');
    await p.close();
  });

  it('an answer over the size cap kills the process; one under it is read whole', async () => {
    const p = await start({ maxResponseBytes: 100_000 });
    const big = await p.request(cmd('huge:90000'));
    expect(big.kind === 'command' && big.messages?.[0]?.data.length).toBe(90_000);
    const e = await rejection(p.request(cmd('huge:300000')));
    expect(e).toBeInstanceOf(LeanProtocolError);
    expect(e.message).toMatch(/exceeds 100000 bytes/);
    await p.whenExited();
  });

  it('output nobody asked for desynchronizes the stream: protocol error, process killed', async () => {
    const p = await start();
    await p.request(cmd('unasked'));
    await p.whenExited();
    expect(await rejection(p.request(cmd('echo:x')))).toBeInstanceOf(LeanProcessError);
  });

  it('startup: slow start within the limit works; beyond it is a LeanTimeoutError', async () => {
    const ok = await start({ args: ['--slow-start', '200'], startupTimeoutMs: 20_000 });
    await ok.close();
    const e = await rejection(start({ args: ['--slow-start', '60000'], startupTimeoutMs: 300 }));
    expect(e).toBeInstanceOf(LeanTimeoutError);
    expect(e.message).toMatch(/did not start within 300 ms/);
  });

  it('startup: a process that dies at once, a bad header, a missing program', async () => {
    const dies = await rejection(start({ args: ['--die-at-start'] }));
    expect(dies).toBeInstanceOf(LeanProcessError);
    expect((dies as LeanProcessError).phase).toBe('startup');
    expect(dies.message).toMatch(/exited with code 2.*stderr: fake-repl: cannot load the Lean toolchain/s);
    const header = await rejection(start({ header: 'import Bad.Module' }));
    expect(header.message).toMatch(/header "import Bad.Module" does not elaborate: 1:0: unknown module prefix 'Bad'/);
    const missing = await rejection(ReplProcess.start({ command: 'arbor-no-such-lean-repl', args: [], header: 'import Mathlib' }));
    expect((missing as EngineError).code).toBe('LEAN_NOT_FOUND');
    expect(missing.message).toMatch(/arbor-no-such-lean-repl not found/);
  });

  it('memory cap: runs under prlimit --as, and a too-small cap stops the process', async () => {
    const roomy = await start({ memoryLimitBytes: 4 * 1024 ** 3 });
    expect(roomy.memoryCap).toBe('prlimit');
    await roomy.request(cmd('echo:fits'));
    await roomy.close();
    // Node cannot even reserve its code range in 150 MB of address space.
    const e = await rejection(start({ memoryLimitBytes: 150 * 1024 ** 2 }));
    expect(e).toBeInstanceOf(LeanProcessError);
    expect((e as LeanProcessError).phase).toBe('startup');
  });
});
