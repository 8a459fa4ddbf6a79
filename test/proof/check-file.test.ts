/**
 * The known proofs of ../shared/problems are accepted as written (target ≥ 95%; the exact list
 * of exceptions is pinned below), classical ones only without --intuitionistic, and no
 * statement marked unprovable is ever verified.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sharedDir } from '../../src/core/index.js';
import { checkFile, parseLeanFile, type TheoremCheck } from '../../src/proof/index.js';

const problems = join(sharedDir(), 'problems');
const read = (f: string) => readFileSync(join(problems, f), 'utf8');
interface IndexEntry { file: string; name: string; status: 'theorem' | 'classical-only' | 'unprovable' }
const index: IndexEntry[] = JSON.parse(read('index.json'));

/** Known proofs the kernel does not accept, with the reason. Keep in sync with the kernel. */
const NOT_ACCEPTED: Record<string, string> = {};

const PROOF_FILES = ['prop-intuitionistic', 'prop-classical', 'fol-intuitionistic', 'fol-classical', 'nat-arith'];
const results = new Map<string, TheoremCheck>();
for (const f of PROOF_FILES) for (const r of checkFile(read(`${f}.proofs.lean`))) results.set(r.name, r);

describe('known proofs (../shared/problems/*.proofs.lean)', () => {
  it('covers every theorem of the index', () => {
    const expected = index.filter((e) => e.status !== 'unprovable').map((e) => e.name).sort();
    expect([...results.keys()].sort()).toEqual(expected);
  });

  it('accepts all of them as written, except the pinned list', () => {
    const rejected = Object.fromEntries([...results.values()].filter((r) => r.status !== 'verified').map((r) => [r.name, `${r.status}: ${r.reason}`]));
    expect(Object.keys(rejected).sort()).toEqual(Object.keys(NOT_ACCEPTED).sort());
    expect(results.size - Object.keys(rejected).length).toBeGreaterThanOrEqual(Math.ceil(0.95 * results.size));
  });

  it('reports axioms as #print axioms would: classical exactly for the classical-only problems', () => {
    for (const e of index.filter((x) => x.status !== 'unprovable')) {
      const r = results.get(e.name)!;
      if (r.status !== 'verified') continue;
      const classical = r.axioms.includes('Classical.choice');
      expect(classical, e.name).toBe(e.status === 'classical-only');
    }
  });

  it('with intuitionistic, rejects every classical-only proof and keeps the others', () => {
    for (const f of ['prop-classical', 'fol-classical']) {
      for (const r of checkFile(read(`${f}.proofs.lean`), { intuitionistic: true })) expect(r.status, r.name).not.toBe('verified');
    }
    const intu = checkFile(read('prop-intuitionistic.proofs.lean'), { intuitionistic: true });
    expect(intu.every((r) => r.status === 'verified')).toBe(true);
  });

  it('verifies the refutations of the non-theorems', () => {
    const r = checkFile(read('non-theorems.refutations.lean'));
    expect(r).toHaveLength(20);
    expect(r.filter((x) => x.status !== 'verified').map((x) => `${x.name}: ${x.reason}`)).toEqual([]);
  });
});

describe('non-theorems are never verified', () => {
  // Every tactic proof of the dev set, transplanted onto every non-theorem statement, plus
  // generic closers: nothing may verify.
  const nonThm = parseLeanFile(read('non-theorems.lean')).filter((i) => i.kind === 'theorem');
  const scripts = new Set<string>(['omega', 'decide', 'simp', 'trivial', 'rfl', 'assumption', 'contradiction',
    'intro h\n  exact h', 'intros\n  omega', 'intro a b\n  omega', 'constructor', 'intro h\n  simp', 'exact Classical.em _']);
  for (const f of PROOF_FILES) {
    for (const it of parseLeanFile(read(`${f}.proofs.lean`))) if (it.kind === 'theorem' && it.proof.kind !== 'sorry') scripts.add(it.proofText);
  }
  it(`rejects ${scripts.size} scripts on each of the ${nonThm.length} unprovable statements`, () => {
    expect(nonThm).toHaveLength(20);
    const file = nonThm.map((t) => [...scripts].map((s, i) => `${t.header.replace(/theorem (\S+)/, `theorem $1_${i}`)} := ${s.startsWith('by') || s.startsWith('fun') ? s : `by\n  ${s}`}`).join('\n\n')).join('\n\n');
    const r = checkFile(file);
    expect(r).toHaveLength(nonThm.length * scripts.size);
    // The scripts really run: they fail in tactics, not in the parser.
    expect(r.filter((x) => x.status === 'error').length).toBe(0);
    expect(r.filter((x) => x.status === 'verified').map((x) => x.name)).toEqual([]);
  });
});

describe('checkFile', () => {
  it('lets later theorems use earlier ones (never themselves), and reports sorry and unsupported items', () => {
    const r = checkFile([
      'theorem two (n : Nat) : n + n = 2 * n := by omega',
      'theorem four (n : Nat) : n + n + (n + n) = 4 * n := by',
      '  rw [two, two]',
      '  omega',
      'theorem loop (p : Prop) : p := loop p',
      'theorem s (p : Prop) : p := by sorry',
      'theorem u (a b : Nat) : a - b ≤ a := by omega',
      'example (p : Prop) (hp : p) : p := hp',
    ].join('\n'));
    expect(r.map((x) => [x.name, x.status])).toEqual([['two', 'verified'], ['four', 'verified'], ['loop', 'rejected'], ['s', 'sorry'], ['u', 'unsupported'], ['_example', 'verified']]);
    expect(r[2]!.reason).toMatch(/unknown identifier 'loop'/);
  });
});
