// No orphans: a process owning a pool (with busy REPLs, one of which started a grandchild) is ended
// by SIGINT, SIGTERM or process.exit; afterwards no REPL process of it may remain.
// The owner runs the real client code, compiled here once (types stripped) into a temp dir.
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { packageRoot } from '../../src/core/index.js';
import { pidAlive, waitUntil } from './helpers.js';

const here = (f: string) => fileURLToPath(new URL(`./stand-ins/${f}`, import.meta.url));
let build = '';

function compileTree(from: string, to: string): void {
  for (const e of readdirSync(from, { withFileTypes: true })) {
    const src = join(from, e.name);
    if (e.isDirectory()) compileTree(src, join(to, e.name));
    else if (e.name.endsWith('.ts')) {
      const out = ts.transpileModule(readFileSync(src, 'utf8'), {
        compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022, useDefineForClassFields: true },
      });
      const dest = join(to, `${e.name.slice(0, -3)}.js`);
      mkdirSync(dirname(dest), { recursive: true });
      writeFileSync(dest, out.outputText);
    }
  }
}

beforeAll(() => {
  build = mkdtempSync(join(tmpdir(), 'arbor-lean-shutdown-'));
  const root = packageRoot();
  for (const area of ['core', 'lean']) compileTree(join(root, 'src', area), join(build, 'src', area));
  symlinkSync(join(root, 'node_modules'), join(build, 'node_modules'));
  expect(relative(build, join(build, 'src/lean/index.js'))).toBe('src/lean/index.js');
});
afterAll(() => rmSync(build, { recursive: true, force: true }));

async function runOwner(end: (child: ReturnType<typeof spawn>) => void): Promise<{ pids: number[]; code: number | null; signal: NodeJS.Signals | null }> {
  const child = spawn(process.execPath, [here('pool-owner.mjs')], {
    stdio: ['pipe', 'pipe', 'pipe'],
    env: { ...process.env, ARBOR_LEAN_INDEX: join(build, 'src', 'lean', 'index.js') },
  });
  let out = '';
  let err = '';
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((res) => child.on('exit', (code, signal) => res({ code, signal })));
  const pids = await new Promise<number[]>((res, rej) => {
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const nl = out.indexOf('\n');
      if (nl >= 0) res((JSON.parse(out.slice(0, nl)) as { pids: number[] }).pids);
    });
    child.on('exit', () => rej(new Error(`owner exited early: ${err}`)));
  });
  expect(pids.length).toBe(3);
  for (const p of pids) expect(pidAlive(p), `pid ${p} running before the end`).toBe(true);
  end(child);
  return { pids, ...(await exited) };
}

describe('no orphan REPL processes after Arbor ends', () => {
  it('SIGINT: children killed, and the owner still dies of SIGINT (Ctrl-C is not swallowed)', async () => {
    const r = await runOwner((c) => c.kill('SIGINT'));
    expect(r.signal).toBe('SIGINT');
    await waitUntil(() => r.pids.every((p) => !pidAlive(p)), 'REPL processes to be gone');
  });

  it('SIGTERM', async () => {
    const r = await runOwner((c) => c.kill('SIGTERM'));
    expect(r.signal).toBe('SIGTERM');
    await waitUntil(() => r.pids.every((p) => !pidAlive(p)), 'REPL processes to be gone');
  });

  it('process.exit with requests in flight', async () => {
    const r = await runOwner((c) => c.stdin!.write('exit\n'));
    expect(r.code).toBe(0);
    await waitUntil(() => r.pids.every((p) => !pidAlive(p)), 'REPL processes to be gone');
  });
});
