import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sharedDir } from '../../src/core/index.js';
import { parseHeader, parseLeanFile, parseTactics } from '../../src/proof/index.js';

const problems = join(sharedDir(), 'problems');
const FILES = ['prop-intuitionistic', 'prop-classical', 'fol-intuitionistic', 'fol-classical', 'nat-arith', 'non-theorems'];

describe('parseLeanFile', () => {
  it('reads every problem and proof file with exact spans', () => {
    const index: { file: string; name: string }[] = JSON.parse(readFileSync(join(problems, 'index.json'), 'utf8'));
    for (const f of FILES) {
      for (const variant of [`${f}.lean`, f === 'non-theorems' ? `${f}.refutations.lean` : `${f}.proofs.lean`]) {
        const text = readFileSync(join(problems, variant), 'utf8');
        const items = parseLeanFile(text);
        const bad = items.filter((i) => i.kind !== 'theorem');
        expect(bad, variant).toEqual([]);
        const names = items.map((i) => (i.kind === 'theorem' ? i.name.replace(/_refuted$/, '') : ''));
        expect(names, variant).toEqual(index.filter((e) => e.file === `${f}.lean`).map((e) => e.name));
        for (const it of items) {
          if (it.kind !== 'theorem') continue;
          expect(text.slice(it.span.start, it.span.end).startsWith(it.header)).toBe(true);
          expect(text.slice(it.proofSpan.start, it.proofSpan.end)).toBe(it.proofText);
          expect(text.slice(it.headerSpan.end, it.proofSpan.start).trim()).toBe(':=');
          expect(text.split('\n')[it.line - 1]!.startsWith(it.keyword)).toBe(true);
          if (variant.endsWith('s.lean') && variant !== 'non-theorems.lean') expect(it.proof.kind).not.toBe('sorry');
          else if (variant === `${f}.lean`) expect(it.proof.kind).toBe('sorry');
        }
      }
    }
  });

  it('carries status comments', () => {
    const items = parseLeanFile(readFileSync(join(problems, 'non-theorems.lean'), 'utf8'));
    expect(items.every((i) => i.kind === 'theorem' && i.status === 'unprovable (classically false)')).toBe(true);
  });

  it('reports constructs outside the fragment as unsupported, with positions, never misread', () => {
    const text = [
      'import Mathlib',
      'def f (n : Nat) : Nat := n',
      'theorem a (x y : Nat) : x - y = 0 := by sorry',
      'theorem b (p : Prop) : p → p := by',
      '  intro h',
      '  nlinarith [h]',
      'theorem c (x : Nat) : x / 2 ≤ x := by omega',
      'theorem d (p : Prop) : p → p := by',
      '  intro h',
      '  exact h',
    ].join('\n');
    const items = parseLeanFile(text);
    expect(items.map((i) => i.kind)).toEqual(['unsupported', 'unsupported', 'unsupported', 'unsupported', 'unsupported', 'theorem']);
    const [imp, def, sub, tac, div] = items as { construct: string; line: number; column: number }[];
    expect(imp).toMatchObject({ construct: 'import', line: 1, column: 0 });
    expect(def).toMatchObject({ construct: 'def', line: 2, column: 0 });
    expect(sub).toMatchObject({ construct: 'subtraction', line: 3, column: 26 });
    expect(tac).toMatchObject({ construct: "tactic 'nlinarith'", line: 6, column: 2 });
    expect(div).toMatchObject({ construct: 'division', line: 7, column: 24 });
  });

  it('reports syntax errors with positions', () => {
    const items = parseLeanFile('theorem a (p : Prop) : p → := by\n  intro h');
    expect(items[0]).toMatchObject({ kind: 'error', line: 1 });
  });

  it('parses Lean precedences', () => {
    const h = parseHeader('theorem t (p q r : Prop) : ¬p ∧ q ∨ r → p ↔ q');
    // ((¬p ∧ q) ∨ r → p) ↔ q
    expect(h.statement).toMatchObject({ k: 'binop', op: '↔', lhs: { k: 'binop', op: '→', lhs: { k: 'binop', op: '∨', lhs: { k: 'binop', op: '∧', lhs: { k: 'not' } } } } });
    const n = parseHeader('theorem t (a b : Nat) : a + b * 2 = 3 ∧ ¬ a = b');
    expect(n.statement).toMatchObject({ k: 'binop', op: '∧', lhs: { k: 'binop', op: '=', lhs: { k: 'binop', op: '+', rhs: { k: 'binop', op: '*' } } }, rhs: { k: 'not', arg: { k: 'binop', op: '=' } } });
    const q = parseHeader('theorem t (α : Type) (P : α → Prop) : ∀ x y : α, P x → ∃ z : α, P z ∧ P y');
    expect(q.statement).toMatchObject({ k: 'forall', binders: [{ names: ['x', 'y'] }], body: { k: 'binop', op: '→', rhs: { k: 'exists' } } });
    expect(() => parseHeader('theorem t (a b c : Nat) : a = b = c')).toThrow(/ambiguous/);
  });

  it('parses layout-sensitive tactic blocks', () => {
    const ts = parseTactics('constructor\n· intro h\n  exact h.1\n· intro h; exact ⟨h, h⟩');
    expect(ts.map((t) => t.k)).toEqual(['simple', 'focus', 'focus']);
    const f = ts[1] as unknown as { tactics: { k: string; text: string }[] };
    expect(f.tactics.map((t) => t.text)).toEqual(['intro h', 'exact h.1']);
    const ind = parseTactics('induction n with\n| zero => rfl\n| succ k ih =>\n  rw [h k, ← ih]\n  rfl');
    expect(ind[0]).toMatchObject({ k: 'induction', arms: [{ ctor: 'zero' }, { ctor: 'succ', names: ['k', 'ih'] }] });
    const arms = (ind[0] as unknown as { arms: { tactics: { k: string }[] }[] }).arms;
    expect(arms[1]!.tactics.map((t) => t.k)).toEqual(['rw', 'simple']);
    expect(parseTactics('rcases h with ⟨x, hx | hy⟩ | rfl')[0]).toMatchObject({ k: 'rcases', pat: { k: 'alts' } });
    expect(parseTactics('constructor <;> intro h')[0]).toMatchObject({ k: 'then' });
  });

  it('survives the deepest ILTP statements (depth 4221) without crashing', () => {
    const text = readFileSync(join(sharedDir(), 'bench', 'iltp', 'iltp-prop.lean'), 'utf8');
    const line = text.split('\n').find((l) => l.startsWith('theorem iltp_SYJ202_1_020'))!;
    const items = parseLeanFile(line);
    expect(items).toHaveLength(1);
    expect(['theorem', 'unsupported']).toContain(items[0]!.kind);
  });
});
