import { describe, it, expect } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { whichSync } from '../../src/lean/index.js';

const root = join(import.meta.dirname, '..', '..');
const bin = join(root, 'bin', 'arbor.js');
const hasLean = whichSync('lake', process.env['PATH'] ?? '') !== undefined;

describe('--verifier lean without Lean installed', () => {
  const name = 'prove and check fail at once, saying what is missing and how to install it';
  it.skipIf(hasLean)(hasLean ? `${name} (skipped: lake is on PATH, so Lean is installed)` : name, () => {
    const file = join(mkdtempSync(join(tmpdir(), 'arbor-lean-')), 't.lean');
    writeFileSync(file, 'theorem t (p : Prop) : p → p := by sorry\n');
    for (const cmd of ['prove', 'check']) {
      const r = spawnSync(process.execPath, [bin, cmd, file, '--verifier', 'lean', '--lean-project', tmpdir()], { encoding: 'utf8', timeout: 60_000 });
      expect(r.status, cmd).toBe(1);
      expect(r.stderr, cmd).toMatch(/LEAN_NOT_FOUND.*`lake`.*elan/s);
    }
  });
});
