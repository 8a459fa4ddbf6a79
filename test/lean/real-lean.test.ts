// findLean's diagnosis everywhere, and the whole bridge against a real Lean 4 REPL where one is
// installed (`lake` on PATH and a `repl` binary on PATH or in $ARBOR_LEAN_REPL). Without them the
// real-Lean tests are reported as skipped, with the reason in their name.
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { findLean, whichSync } from '../../src/lean/index.js';
import { createLeanEnvironment, LeanEnvironment } from '../../src/proof/index.js';

const tmp = mkdtempSync(join(tmpdir(), 'arbor-real-lean-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const lake = whichSync('lake');
const repl = process.env['ARBOR_LEAN_REPL'] ?? whichSync('repl');
const missing = [lake === undefined ? '`lake` is not on PATH' : '', repl === undefined ? 'no `repl` binary (PATH or $ARBOR_LEAN_REPL)' : ''].filter((s) => s !== '');
const skipReason = missing.length === 0 ? '' : ` [SKIPPED: ${missing.join('; ')}]`;

describe('findLean', () => {
  it('says what is missing and how to install it', () => {
    expect(() => findLean({ pathEnv: '' })).toThrow(/Lean 4 is not installed: `lake` and `lean` not found on PATH\. Install Lean 4 with elan/);
    try {
      findLean({ pathEnv: '' });
    } catch (e) {
      expect((e as { code: string }).code).toBe('LEAN_NOT_FOUND');
    }
  });

  it('finds lake and lean on PATH and checks the project directory', () => {
    const bin = join(tmp, 'bin');
    mkdirSync(bin);
    for (const name of ['lake', 'lean']) {
      writeFileSync(join(bin, name), '#!/bin/sh\nexit 0\n');
      chmodSync(join(bin, name), 0o755);
    }
    expect(findLean({ pathEnv: bin })).toEqual({ lake: join(bin, 'lake'), lean: join(bin, 'lean'), project: undefined });
    expect(() => findLean({ pathEnv: bin, project: join(tmp, 'nope') })).toThrow(/nope does not exist/);
    const proj = join(tmp, 'proj');
    mkdirSync(proj);
    expect(() => findLean({ pathEnv: bin, project: proj })).toThrow(/not a Lake project \(no lakefile\.lean or lakefile\.toml\)/);
    writeFileSync(join(proj, 'lakefile.toml'), 'name = "proj"\n');
    expect(findLean({ pathEnv: bin, project: proj }).project).toBe(proj);
  });

  it.skipIf(lake !== undefined)('createLeanEnvironment fails at once, before any work, when Lean is missing', () => {
    expect(() => createLeanEnvironment({ project: tmp, workers: 2 })).toThrow(expect.objectContaining({ code: 'LEAN_NOT_FOUND' }));
  });
});

describe('against the real Lean 4 REPL', () => {
  it.skipIf(missing.length > 0)(`proves, rejects and verifies with real Lean${skipReason}`, async () => {
    const proj = join(tmp, 'real');
    mkdirSync(proj);
    writeFileSync(join(proj, 'lakefile.toml'), 'name = "arbor_test"\n');
    const env = new LeanEnvironment({ repl: { command: lake!, args: ['env', repl!], cwd: proj }, workers: 1, tacticTimeoutMs: 60_000, verifyTimeoutMs: 120_000 });
    try {
      const thm = { name: 'and_swap', header: 'theorem and_swap (p q : Prop) (h : p ∧ q) : q ∧ p' };
      const s = await env.start(thm);
      expect(s.kind).toBe('ok');
      if (s.kind !== 'ok') return;
      expect(s.state.goals[0]?.target).toBe('q ∧ p');
      const bad = await env.tryTactic(s.state, 'exact h');
      expect(bad.kind).toBe('failure');
      const done = await env.tryTactic(s.state, 'exact ⟨h.2, h.1⟩');
      expect(done.kind === 'success' && done.state.goals).toEqual([]);
      expect(await env.verify(thm, ['exact ⟨h.2, h.1⟩'])).toMatchObject({ kind: 'verified' });
      expect((await env.verify(thm, ['sorry'])).kind).toBe('rejected');
      expect((await env.verify(thm, ['exact h'])).kind).toBe('rejected');
      const dec = { name: 'two', header: 'theorem two : 2 + 2 = 4' };
      const nd = await env.verify(dec, ['native_decide']);
      expect(nd).toMatchObject({ kind: 'rejected', reason: expect.stringMatching(/Lean\.ofReduceBool/) });
    } finally {
      await env.close();
    }
  });
});
