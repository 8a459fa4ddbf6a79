/**
 * Deep nesting and the speed-ups of long scripts: formulas thousands of levels deep parse,
 * elaborate, print and check without exhausting the stack, and the one-pass/undo-trail
 * replacements agree with the straightforward definitions they replace.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sharedDir } from '../../src/core/index.js';
import { checkTheorem, KernelError } from '../../src/proof/check.js';
import { KernelEnvironment } from '../../src/proof/kernel-environment.js';
import { Assignment } from '../../src/proof/meta.js';
import { parseLeanFile } from '../../src/proof/parser.js';
import { buildPrelude } from '../../src/proof/prelude.js';
import { type Expr, parseTerm } from '../../src/proof/syntax.js';
import {
  type Term, PROP, abstractFVar, abstractFVars, instantiate, instantiateRev, mkApp, mkBVar, mkConst, mkFVar, mkLam, mkPi,
  termEq, freshId,
} from '../../src/proof/term.js';

const DEPTH = 5000;

/** Operators down the right spine of a parsed term. */
function rightSpine(e: Expr): string[] {
  const ops: string[] = [];
  for (let x = e; x.k === 'binop' || x.k === 'not'; x = x.k === 'binop' ? x.rhs : x.arg) ops.push(x.k === 'binop' ? x.op : '¬');
  return ops;
}

describe('deep formulas', () => {
  it('parse without recursion on connectives, negations and parentheses', () => {
    expect(rightSpine(parseTerm(Array.from({ length: DEPTH }, (_, i) => `p${i}`).join(' → ')))).toHaveLength(DEPTH - 1);
    const conj = Array.from({ length: DEPTH }, (_, i) => `p${i}`).join(' ∧ (') + ')'.repeat(DEPTH - 1);
    expect(new Set(rightSpine(parseTerm(conj)))).toEqual(new Set(['∧']));
    expect(rightSpine(parseTerm(`${'¬'.repeat(DEPTH)}p`))).toHaveLength(DEPTH);
    expect(parseTerm(`${'('.repeat(DEPTH)}p${')'.repeat(DEPTH)}`)).toMatchObject({ k: 'ident', name: 'p' });
    // Left-nested: ((p ∧ p) ∧ p) ∧ ...
    let left = parseTerm(`${'('.repeat(DEPTH - 1)}p${' ∧ p)'.repeat(DEPTH - 1)}`);
    let n = 0;
    while (left.k === 'binop') { left = left.lhs; n++; }
    expect(n).toBe(DEPTH - 1);
    expect(() => parseTerm(`${'('.repeat(DEPTH)}p${')'.repeat(DEPTH - 1)}`)).toThrow(/expected '\)'/);
  });

  it('parse like the precedence table says (random formulas printed with minimal parentheses)', () => {
    type F = string | { op: string; l: F; r: F } | { op: '¬'; a: F };
    const prec: Record<string, [number, number, number]> = { '↔': [20, 21, 21], '→': [25, 26, 25], '∨': [30, 31, 30], '∧': [35, 36, 35] };
    const show = (f: F, p: number): string => {
      if (typeof f === 'string') return f;
      const s = 'a' in f ? `¬${show(f.a, 40)}` : `${show(f.l, prec[f.op]![1])} ${f.op} ${show(f.r, prec[f.op]![2])}`;
      return ('a' in f ? 40 : prec[f.op]![0]) < p ? `(${s})` : s;
    };
    const norm = (e: Expr): unknown => (e.k === 'ident' ? e.name : e.k === 'not' ? ['¬', norm(e.arg)] : e.k === 'binop' ? [e.op, norm(e.lhs), norm(e.rhs)] : e.k);
    const tree = (f: F): unknown => (typeof f === 'string' ? f : 'a' in f ? ['¬', tree(f.a)] : [f.op, tree(f.l), tree(f.r)]);
    const { formula } = fc.letrec<{ formula: F }>((tie) => ({
      formula: fc.oneof(
        { depthSize: 'small', withCrossShrink: true },
        fc.constantFrom('a', 'b', 'c'),
        fc.record({ op: fc.constantFrom('↔', '→', '∨', '∧'), l: tie('formula'), r: tie('formula') }),
        fc.record({ op: fc.constant('¬' as const), a: tie('formula') }),
      ),
    }));
    fc.assert(fc.property(formula, (f) => { expect(norm(parseTerm(show(f, 0)))).toEqual(tree(f)); }), { numRuns: 300 });
  });

  it(`check: a right-nested implication of depth ${DEPTH} is proved, a false one is not`, () => {
    const env = new KernelEnvironment();
    const chain = Array.from({ length: DEPTH }, () => 'p').join(' → ');
    expect(env.verifySync({ name: 'deep', header: `theorem deep (p : Prop) : ${chain}` }, ['intros', 'assumption']).kind).toBe('verified');
    const bad = env.verifySync({ name: 'bad', header: `theorem bad (p q : Prop) : ${chain} → q` }, ['intros', 'assumption']);
    expect(bad.kind).toBe('rejected');
    const st = env.startSync({ name: 'deep', header: `theorem deep (p : Prop) : ${chain}` });
    expect(st.kind === 'ok' && st.state.goals[0]!.target).toBe(chain);
  });

  it('the trusted checker opens binder chains thousands deep', () => {
    // ∀ (p : Prop), p → ... → p, proved by fun p h₁ ... hₙ => hₙ; the body p itself is no proof.
    let type: Term = mkBVar(DEPTH - 1);
    for (let i = DEPTH - 1; i >= 1; i--) type = mkPi('_', mkBVar(i - 1), type);
    type = mkPi('p', PROP, type);
    const proof = (body: Term) => {
      let t = body;
      for (let i = DEPTH - 1; i >= 1; i--) t = mkLam('h', mkBVar(i - 1), t);
      return mkLam('p', PROP, t);
    };
    const env = buildPrelude();
    expect(checkTheorem(env, type, proof(mkBVar(0)), true)).toEqual([]);
    expect(() => checkTheorem(env, type, proof(mkBVar(DEPTH - 1)), true)).toThrow(KernelError);
  });

  it('every deep ILTP problem is read and elaborated', () => {
    const text = readFileSync(join(sharedDir(), 'bench', 'iltp', 'iltp-prop.lean'), 'utf8');
    const items = parseLeanFile(text);
    expect(items.filter((i) => i.kind !== 'theorem').map((i) => i.name)).toEqual([]);
    const env = new KernelEnvironment();
    const deep = items.filter((i) => i.kind === 'theorem' && /^iltp_SYJ20[28]_1_020$/.test(i.name));
    expect(deep).toHaveLength(2);
    for (const it of deep) if (it.kind === 'theorem') expect(env.startSync({ name: it.name, header: it.header }).kind).toBe('ok');
  });
});

describe('one-pass binder operations agree with one binder at a time', () => {
  const P = mkConst('P');
  // Random terms over bound variables 0..5, a few locals and binders.
  const { term } = fc.letrec<{ term: Term }>((tie) => ({
    term: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      fc.nat(5).map((i) => mkBVar(i)),
      fc.constantFrom(P, PROP),
      fc.record({ f: tie('term'), a: tie('term') }).map(({ f, a }) => mkApp(f, a)),
      fc.record({ t: tie('term'), b: tie('term'), lam: fc.boolean() }).map(({ t, b, lam }) => (lam ? mkLam('x', t, b) : mkPi('x', t, b))),
    ),
  }));
  it('instantiateRev and abstractFVars', () => {
    fc.assert(fc.property(term, fc.integer({ min: 1, max: 4 }), (t, n) => {
      const xs = Array.from({ length: n }, () => mkFVar(freshId()));
      let one = t;
      for (let i = n - 1; i >= 0; i--) one = instantiate(one, xs[i]!);
      const opened = instantiateRev(t, xs);
      expect(termEq(opened, one)).toBe(true);
      // Closing again: wrap binders one at a time vs all at once (then compare under the same binders).
      let wrapped = opened;
      for (let i = n - 1; i >= 0; i--) wrapped = mkLam('y', P, abstractFVar(wrapped, xs[i]!.id));
      let wrapped2 = abstractFVars(opened, xs.map((x) => x.id));
      for (let i = n - 1; i >= 0; i--) wrapped2 = mkLam('y', P, wrapped2);
      expect(termEq(wrapped, wrapped2)).toBe(true);
    }), { numRuns: 300 });
  });
});

describe('Assignment', () => {
  it('restore(save()) gives back exactly the earlier assignment, like copying the map did', () => {
    const op = fc.oneof(
      fc.record({ k: fc.constant('set' as const), id: fc.nat(6), v: fc.nat(3) }),
      fc.record({ k: fc.constant('delete' as const), id: fc.nat(6) }),
      fc.record({ k: fc.constant('save' as const) }),
      fc.record({ k: fc.constant('restore' as const), back: fc.nat(3) }),
    );
    const vals = [0, 1, 2, 3].map((i) => mkConst(`c${i}`));
    fc.assert(fc.property(fc.array(op, { maxLength: 60 }), (ops) => {
      const a = new Assignment(new Map([[0, vals[0]!]]));
      const saves: [number, Map<number, Term>][] = [];
      for (const o of ops) {
        if (o.k === 'set') a.set(o.id, vals[o.v]!);
        else if (o.k === 'delete') a.delete(o.id);
        else if (o.k === 'save') saves.push([a.save(), new Map(a)]);
        else if (saves.length > 0) {
          // Restores go back to a still-open checkpoint (later ones are discarded), as the tactics use them.
          const i = Math.max(0, saves.length - 1 - o.back);
          const [cp, copy] = saves[i]!;
          saves.length = i + 1;
          a.undo(cp);
          expect(new Map(a)).toEqual(copy);
        }
      }
    }));
  });
});
