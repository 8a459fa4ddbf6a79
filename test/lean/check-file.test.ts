// checkFileWithLean: whole-file checking the way Kimina Lean Server does it (imports as the
// process header, the rest elaborated once), on a real recorded verdict and on a synthetic file
// with several theorems (verified, error, sorry, forbidden axiom, namespaces).
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { replayStandInCommand, splitLeanHeader } from '../../src/lean/index.js';
import { checkFileWithLean } from '../../src/proof/index.js';
import { kiminaFixtures, pidAlive } from './helpers.js';

const tmp = mkdtempSync(join(tmpdir(), 'arbor-lean-check-'));
const spawned: number[] = [];
afterAll(() => {
  rmSync(tmp, { recursive: true, force: true });
  for (const p of spawned) expect(pidAlive(p)).toBe(false);
});

const frame = (v: unknown) => `${JSON.stringify(v)}\n\n`;
const info = (data: string) => ({ severity: 'info', pos: { line: 1, column: 0 }, endPos: { line: 1, column: 6 }, data });

function standIn(name: string, entries: { request: unknown; response: string }[]) {
  const file = join(tmp, `${name}.json`);
  writeFileSync(file, JSON.stringify(entries));
  return { repl: replayStandInCommand(['--table', file]), onSpawn: (p: number) => spawned.push(p) };
}

describe('checkFileWithLean', () => {
  it('reads a real Kimina verdict: header split, body once, warnings mapped to file lines, axioms checked', async () => {
    const name = 'goedel-lean_workbook_10014';
    const text = readFileSync(join(kiminaFixtures(), 'input', `${name}.lean`), 'utf8');
    const recorded = (JSON.parse(readFileSync(join(kiminaFixtures(), 'output', `${name}.json`), 'utf8')) as { results: { response: Record<string, unknown> }[] }).results[0]!.response;
    const { time: _t, ...response } = recorded;
    const { header, body } = splitLeanHeader(text);
    const r = await checkFileWithLean(
      text,
      standIn('kimina', [
        { request: { cmd: 'import Mathlib\nimport Aesop' }, response: frame({ env: 0 }) },
        { request: { cmd: body, env: 0 }, response: frame({ ...response, env: 1 }) },
        { request: { cmd: '#print axioms lean_workbook_10014', env: 1 }, response: frame({ messages: [info("'lean_workbook_10014' depends on axioms: [propext, Classical.choice, Quot.sound]")], env: 2 }) },
      ]),
    );
    expect(r.header).toBe(header);
    expect(r.otherErrors).toEqual([]);
    expect(r.theorems).toHaveLength(1);
    const t = r.theorems[0]!;
    expect(t).toMatchObject({ name: 'lean_workbook_10014', line: 9, status: 'verified', axioms: ['propext', 'Classical.choice', 'Quot.sound'] });
    // The recorded warning sits at body line 19, i.e. file line 22, where the unused tactic is.
    expect(t.messages.map((m) => m.line)).toEqual([22, 22]);
    expect(text.split('\n')[21]!.slice(t.messages[0]!.column!)).toMatch(/^nlinarith/);
  });

  it('judges each theorem by its own lines: verified, error, sorry, forbidden axiom, namespaced names', async () => {
    const text = [
      'import Mathlib',
      '',
      'theorem good : 1 + 1 = 2 := by norm_num',
      '',
      'theorem bad : 1 = 2 := by',
      '  simp',
      '',
      'namespace Foo',
      'theorem holey : True := by sorry',
      'theorem fast : 2 + 2 = 4 := by native_decide',
      'end Foo',
    ].join('\n');
    const { body } = splitLeanHeader(text);
    const msg = (severity: string, line: number, data: string) => ({ severity, pos: { line, column: 2 }, endPos: { line, column: 6 }, data });
    const r = await checkFileWithLean(
      text,
      standIn('multi', [
        { request: { cmd: 'import Mathlib' }, response: frame({ env: 0 }) },
        {
          request: { cmd: body, env: 0 },
          response: frame({
            sorries: [{ proofState: 0, pos: { line: 7, column: 27 }, goal: '⊢ True', endPos: { line: 7, column: 32 } }],
            messages: [msg('error', 4, 'simp made no progress'), msg('warning', 7, 'declaration uses `sorry`')],
            env: 1,
          }),
        },
        { request: { cmd: '#print axioms good', env: 1 }, response: frame({ messages: [info("'good' depends on axioms: [propext]")], env: 2 }) },
        { request: { cmd: '#print axioms Foo.fast', env: 1 }, response: frame({ messages: [info("'Foo.fast' depends on axioms: [propext, Lean.ofReduceBool]")], env: 3 }) },
      ]),
    );
    expect(r.theorems.map((t) => [t.name, t.line, t.status])).toEqual([
      ['good', 3, 'verified'],
      ['bad', 5, 'rejected'],
      ['Foo.holey', 9, 'sorry'],
      ['Foo.fast', 10, 'rejected'],
    ]);
    expect(r.theorems[1]!.reason).toBe('6:2: simp made no progress');
    expect(r.theorems[3]!.reason).toMatch(/not allowed: Lean\.ofReduceBool/);
  });
});
