import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { command as check } from '../../src/cli/commands/check.js';
import { command as prove } from '../../src/cli/commands/prove.js';

const FILE = `theorem a (p q : Prop) : p ∧ q → q ∧ p := by sorry

theorem b (p : Prop) : p ∨ ¬p := by sorry

theorem c (p : Prop) : p → p := by
  intro h
  exact h
`;

function capture(): { out: () => string } {
  const chunks: string[] = [];
  vi.spyOn(process.stdout, 'write').mockImplementation((s: string | Uint8Array) => {
    chunks.push(String(s));
    return true;
  });
  vi.spyOn(console, 'log').mockImplementation((...xs: unknown[]) => {
    chunks.push(`${xs.join(' ')}\n`);
  });
  vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
  return { out: () => chunks.join('') };
}

afterEach(() => vi.restoreAllMocks());

describe('arbor prove / check', () => {
  it('--intuitionistic --json: one object per sorry theorem; the output file is written, the input untouched', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'arbor-prove-'));
    const input = join(dir, 'in.lean');
    const out = join(dir, 'out.lean');
    writeFileSync(input, FILE);
    const cap = capture();
    const code = await prove.run([input, '--intuitionistic', '--json', '--budget', '30', '--time', '10', '--out', out]);
    const lines = cap
      .out()
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    vi.restoreAllMocks();
    expect(code).toBe(1); // b is classical-only
    const byName = new Map(lines.map((l) => [l.name, l]));
    expect(byName.get('a')).toMatchObject({ status: 'proved', verified: true });
    expect(byName.get('b')).toMatchObject({ status: 'failed', verified: false, proof: null });
    expect(byName.has('c')).toBe(false);
    for (const l of lines) expect(Object.keys(l)).toEqual(expect.arrayContaining(['name', 'status', 'proof', 'axioms', 'verified', 'expansions', 'ms']));
    expect(readFileSync(input, 'utf8')).toBe(FILE);
    const written = readFileSync(out, 'utf8');
    expect(written).toContain('theorem b (p : Prop) : p ∨ ¬p := by sorry');
    expect(written).not.toMatch(/theorem a[^\n]*by sorry/);

    // The written file checks: a and c verified, b still sorry.
    const cap2 = capture();
    const code2 = await check.run([out, '--json']);
    const checks = cap2
      .out()
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { name: string; status: string });
    vi.restoreAllMocks();
    expect(code2).toBe(1);
    expect(checks.map((c) => [c.name, c.status])).toEqual([
      ['a', 'verified'],
      ['b', 'sorry'],
      ['c', 'verified'],
    ]);
  });

  it('classical run proves b with Classical axioms; --in-place rewrites the input', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'arbor-prove-'));
    const input = join(dir, 'in.lean');
    writeFileSync(input, FILE);
    capture();
    const code = await prove.run([input, '--in-place', '--budget', '30', '--time', '10', '--search', 'best-first']);
    vi.restoreAllMocks();
    expect(code).toBe(0);
    expect(readFileSync(input, 'utf8')).not.toContain('sorry');
  });

  it('rejects bad arguments with a clear error', async () => {
    await expect(prove.run(['x.lean', '--search', 'dfs'])).rejects.toThrow(/--search must be one of mcts, best-first/);
    await expect(prove.run(['x.lean', '--out', 'a', '--in-place'])).rejects.toThrow(/exclude each other/);
    await expect(prove.run(['/nonexistent/x.lean'])).rejects.toThrow(/cannot read/);
  });
});
