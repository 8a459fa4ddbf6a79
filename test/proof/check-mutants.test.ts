/**
 * Mutation tests. (1) Every known proof with one tactic line deleted or one token mutated is
 * rejected, except the mutants pinned below, each of which is still a correct Lean proof.
 * (2) Statement mutants: the known proof run against a mutated propositional statement may
 * only be accepted if the mutated statement is a tautology (truth tables, independent of the
 * kernel).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sharedDir } from '../../src/core/index.js';
import { checkFile, parseHeader, parseLeanFile, type TermSyntax, type TheoremItem } from '../../src/proof/index.js';

const problems = join(sharedDir(), 'problems');
const FILES = ['prop-intuitionistic', 'prop-classical', 'fol-intuitionistic', 'fol-classical', 'nat-arith'];
const theorems = (f: string) => parseLeanFile(readFileSync(join(problems, `${f}.proofs.lean`), 'utf8')).filter((i): i is TheoremItem => i.kind === 'theorem');

const SWAPS: [RegExp, string][] = [
  [/\bleft\b/, 'right'], [/\bright\b/, 'left'], [/Or\.inl/, 'Or.inr'], [/Or\.inr/, 'Or.inl'], [/\.1\b/, '.2'], [/\.2\b/, '.1'],
  [/\.mpr\b/, '.mp'], [/\.mp\b/, '.mpr'], [/\b(\d+)\b/, '+1'], [/\bomega\b/, 'decide'], [/\brfl\b/, 'trivial'], [/\bsymm\b/, 'trans'],
  [/←\s*/, ''], [/\bhp\b/, 'hq'], [/\bhq\b/, 'hp'], [/\bh1\b/, 'h2'], [/\bh2\b/, 'h1'], [/\bx\b/, 'y'], [/\by\b/, 'x'], [/\ba\b/, 'b'],
  [/\bb\b/, 'a'], [/\bk\b/, '0'], [/\bih\b/, 'h'], [/\bconstructor\b/, 'exfalso'], [/\bClassical\.em\b/, 'Or.inl'],
];

/** Mutants that are still correct proofs (Lean accepts them too). */
const STILL_CORRECT = new Set([
  // In the ¬p case, `fun hp' => absurd hp' hnp` proves p → r as well as p → q.
  'pc_009: line 6: · exact Or.inl (fun hp\' => absurd hp\' hnp)  ==>  · exact Or.inr (fun hp\' => absurd hp\' hnp)',
  // Renaming a bound variable.
  'fol_030: line 1: intro x h  ==>  intro y h',
  // `trivial` tries `rfl`.
  'na_006: line 1: rfl  ==>  trivial', 'na_007: line 1: rfl  ==>  trivial', 'na_008: line 1: rfl  ==>  trivial',
  'na_011: line 1: rfl  ==>  trivial', 'na_012: line 2: | zero => rfl  ==>  | zero => trivial', 'na_013: line 2: | zero => rfl  ==>  | zero => trivial',
  'na_016: line 1: rfl  ==>  trivial', 'na_037: line 3: | zero => rfl  ==>  | zero => trivial',
]);

describe('proof mutants', () => {
  it('rejects every mutant that is not still a correct proof', () => {
    const mutants: { src: string; label: string }[] = [];
    for (const f of FILES) {
      for (const it of theorems(f)) {
        const lines = it.proofText.split('\n');
        for (let i = 0; i < lines.length; i++) {
          if (i > 0) mutants.push({ src: `${it.header} := ${lines.filter((_, j) => j !== i).join('\n')}`, label: `${it.name}: delete line ${i}: ${lines[i]!.trim()}` });
          for (const [re, rep] of SWAPS) {
            const l = lines[i]!;
            const m = re.exec(l);
            if (!m) continue;
            const nl = l.slice(0, m.index) + (rep === '+1' ? String(Number(m[1]) + 1) : rep) + l.slice(m.index + m[0].length);
            const ls = [...lines];
            ls[i] = nl;
            mutants.push({ src: `${it.header} := ${ls.join('\n')}`, label: `${it.name}: line ${i}: ${l.trim()}  ==>  ${nl.trim()}` });
          }
        }
      }
    }
    expect(mutants.length).toBeGreaterThan(1000);
    const res = checkFile(mutants.map((m) => m.src).join('\n\n'));
    expect(res).toHaveLength(mutants.length);
    const accepted = res.flatMap((r, i) => (r.status === 'verified' ? [mutants[i]!.label] : []));
    expect(accepted.filter((a) => !STILL_CORRECT.has(a))).toEqual([]);
  });
});

// ------------------------------------------------------------------ statement mutants

type Env = Map<string, boolean>;
function evalProp(e: TermSyntax, env: Env): boolean {
  switch (e.k) {
    case 'ident':
      if (e.name === 'True') return true;
      if (e.name === 'False') return false;
      if (!env.has(e.name)) throw new Error(`unbound ${e.name}`);
      return env.get(e.name)!;
    case 'not': return !evalProp(e.arg, env);
    case 'binop': {
      const a = evalProp(e.lhs, env), b = evalProp(e.rhs, env);
      switch (e.op) { case '∧': return a && b; case '∨': return a || b; case '→': return !a || b; case '↔': return a === b; default: throw new Error(e.op); }
    }
    default: throw new Error(`not propositional: ${e.k}`);
  }
}
function tautology(stmt: TermSyntax, atoms: readonly string[]): boolean {
  for (let mask = 0; mask < 1 << atoms.length; mask++) {
    const env: Env = new Map(atoms.map((a, i) => [a, ((mask >> i) & 1) === 1]));
    if (!evalProp(stmt, env)) return false;
  }
  return true;
}
/** Mutations of a statement: each binary operator replaced, each negation dropped, each atom renamed. */
function statementMutants(text: string, atoms: readonly string[]): string[] {
  const out = new Set<string>();
  const ops = ['∧', '∨', '→', '↔'];
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (ops.includes(ch)) for (const o of ops) if (o !== ch) out.add(text.slice(0, i) + o + text.slice(i + 1));
    if (ch === '¬') out.add(text.slice(0, i) + text.slice(i + 1));
  }
  for (const a of atoms) for (const b of atoms) {
    if (a === b) continue;
    const re = new RegExp(`\\b${a}\\b`);
    const m = re.exec(text);
    if (m) out.add(text.slice(0, m.index) + b + text.slice(m.index + a.length));
  }
  return [...out];
}

describe('statement mutants (truth-table oracle)', () => {
  it('never verifies a proof of a mutated statement that is not a tautology', () => {
    const cases: { src: string; stmt: TermSyntax; atoms: string[] }[] = [];
    for (const f of ['prop-intuitionistic', 'prop-classical']) {
      for (const it of theorems(f)) {
        if (it.binders.some((b) => !(b.type.k === 'sort' && b.type.level === 0))) continue; // Prop atoms only
        const atoms = it.binders.flatMap((b) => b.names);
        const colon = it.header.indexOf(') :') + 3;
        const stmtText = it.header.slice(colon);
        for (const ms of statementMutants(stmtText, atoms).slice(0, 12)) {
          let stmt: TermSyntax;
          try { stmt = parseHeader(`${it.header.slice(0, colon)} ${ms}`).statement; } catch { continue; }
          cases.push({ src: `${it.header.slice(0, colon)} ${ms} := ${it.proofText}`, stmt, atoms });
        }
      }
    }
    expect(cases.length).toBeGreaterThan(300);
    const res = checkFile(cases.map((x) => x.src).join('\n\n'));
    expect(res).toHaveLength(cases.length);
    let accepted = 0;
    res.forEach((r, i) => {
      if (r.status !== 'verified') return;
      accepted++;
      expect(tautology(cases[i]!.stmt, cases[i]!.atoms), cases[i]!.src).toBe(true);
    });
    expect(accepted).toBeLessThan(cases.length);
  });
});
