import { describe, expect, it } from 'vitest';
import { INTUITIONISTIC_ALLOWED, KernelEnvironment, parseLeanFile, solveGoal } from '../../src/proof/index.js';
import { pruneUnused } from '../../src/proof/search/prop-prune.js';
import { node, renderTactics } from '../../src/proof/search/prop-proof.js';

const kernel = new KernelEnvironment();
const kernelI = new KernelEnvironment({ intuitionistic: true });

/** Solves a theorem's goal with the propositional solver and has the kernel check the script. */
async function solveAndCheck(statement: string, intuitionistic: boolean, maxNodes = 100_000) {
  const [it] = parseLeanFile(`${statement} := by sorry`);
  if (it?.kind !== 'theorem') throw new Error(`bad test theorem ${statement}`);
  const thm = { name: it.name, header: it.header };
  const env = intuitionistic ? kernelI : kernel;
  const st = await env.start(thm);
  if (st.kind !== 'ok') throw new Error(`start failed: ${statement}`);
  const r = solveGoal(st.state.goals[0]!, { classical: !intuitionistic, maxNodes });
  if (r?.kind !== 'proved') return { r, verdict: null };
  const verdict = await env.verify(thm, r.tactics, intuitionistic ? { allowedAxioms: INTUITIONISTIC_ALLOWED } : undefined);
  return { r, verdict };
}

const vars = (xs: readonly string[]): string => `(${xs.join(' ')} : Prop)`;

/** ILTP SYJ205 shape (Korn–Kreitz): a chain of nested implications on the left. */
function kk(n: number): string {
  const hs = ['a0 → f', `(b${n} → b0) → a${n}`, '(b0 → a1) → a0'];
  for (let i = 1; i < n; i++) hs.push(`(b${i} → a${i + 1}) → a${i}`);
  const atoms = ['f', ...Array.from({ length: n + 1 }, (_, i) => [`a${i}`, `b${i}`]).flat()];
  return `theorem kk${n} ${vars(atoms)} : ${hs.map((h) => `(${h})`).join(' → ')} → f`;
}

/** ILTP SYJ206 shape: a left-nested ↔ chain against the right-nested reversed one. */
function equiv(n: number, doubleNeg = false): string {
  const a = Array.from({ length: n }, (_, i) => `a${i + 1}`);
  let left = doubleNeg ? `¬¬${a[0]}` : a[0]!;
  for (let i = 1; i < n; i++) left = `(${left} ↔ ${a[i]})`;
  let right = a[0]!;
  for (let i = 1; i < n; i++) right = `(${a[i]} ↔ ${right})`;
  return `theorem eq${n} ${vars(a)} : ${left} ↔ ${right}`;
}

/** ILTP SYJ202 shape: n + 1 pigeons in n holes. */
function pigeons(n: number, shuffle = false): string {
  const o = (i: number, j: number): string => `o${i}${j}`;
  const atoms: string[] = [];
  for (let i = 1; i <= n + 1; i++) for (let j = 1; j <= n; j++) atoms.push(o(i, j));
  const hyps = Array.from({ length: n + 1 }, (_, i) => `(${Array.from({ length: n }, (_, j) => o(i + 1, j + 1)).join(' ∨ ')})`);
  const clash: string[] = [];
  for (let j = 1; j <= n; j++) for (let i = 1; i <= n + 1; i++) for (let k = i + 1; k <= n + 1; k++) clash.push(shuffle ? `(${o(k, j)} ∧ ${o(i, j)})` : `(${o(i, j)} ∧ ${o(k, j)})`);
  if (shuffle) hyps.reverse();
  return `theorem php${n} ${vars(atoms)} : ${hyps.join(' → ')} → ${clash.join(' ∨ ')}`;
}

describe('propositional solver', () => {
  it('proves nested-implication chains (SYJ205 shape) with a linear search', async () => {
    for (const n of [3, 8, 16]) {
      const { r, verdict } = await solveAndCheck(kk(n), true);
      expect(r?.kind, kk(n)).toBe('proved');
      // Goal-directed choice of the left implication: no backtracking on this family.
      expect(r!.nodes).toBeLessThan(10 * n);
      expect(verdict?.kind).toBe('verified');
    }
  });

  it('proves ↔ chains up to commuted sides (SYJ206 shape), intuitionistically', async () => {
    for (const n of [2, 5, 12]) {
      const { r, verdict } = await solveAndCheck(equiv(n), true);
      expect(r?.kind === 'proved' && r.classical).toBe(false);
      expect(verdict).toEqual({ kind: 'verified', axioms: [] });
    }
  });

  it('proves the ¬¬ variant (SYJ212 shape) only classically', async () => {
    const s = equiv(6, true);
    const c = await solveAndCheck(s, false);
    expect(c.r?.kind === 'proved' && c.r.classical).toBe(true);
    expect(c.verdict?.kind).toBe('verified');
    const i = await solveAndCheck(s, true, 20_000);
    expect(i.r?.kind).not.toBe('proved');
  });

  it('proves small pigeonhole instances (SYJ202 shape) by closing branches early', async () => {
    for (const n of [2, 3]) {
      const { r, verdict } = await solveAndCheck(pigeons(n), true);
      expect(r?.kind, `php${n}`).toBe('proved');
      expect(verdict?.kind).toBe('verified');
    }
  });

  it('proves pigeonhole instances with one lemma per set of occupied holes: 2^n lemmas, not n! branches', async () => {
    for (const n of [2, 3, 4, 5]) {
      const { r, verdict } = await solveAndCheck(pigeons(n), true);
      if (r?.kind !== 'proved') throw new Error(`php${n} not proved`);
      expect(verdict?.kind, `php${n}`).toBe('verified');
      expect(r.classical).toBe(false);
      const disjuncts = (n * n * (n + 1)) / 2;
      expect(r.tactics.length).toBeLessThan(2 ** n + 3 * disjuncts + n + 10);
    }
    // Eight holes: G4ip's case split would have about a million tactics.
    const r8 = solveGoal({ hyps: [], target: pigeons(8).replace(/^theorem \S+ \([^)]*\) : /, '') }, { classical: false, maxNodes: 1000 });
    expect(r8?.kind).toBe('proved');
    expect(r8?.kind === 'proved' && r8.tactics.length).toBeLessThan(1000);
  });

  it('proves shuffled pigeonholes (clause order, pair order) and leaves non-theorems to the searches that refute them', async () => {
    // Pairs written the other way round and clauses in reverse order.
    const shuffled = pigeons(3, true);
    expect(shuffled).toContain('(o21 ∧ o11)');
    const { r, verdict } = await solveAndCheck(shuffled, true);
    expect(r?.kind).toBe('proved');
    expect(verdict?.kind).toBe('verified');
    // As many pigeons as holes, or one clash missing from the goal: not tautologies.
    const fewer = pigeons(3).replace(/ → \(o41 ∨ o42 ∨ o43\)/, '');
    expect(fewer).not.toContain('(o41 ∨');
    expect((await solveAndCheck(fewer, false)).r?.kind).toBe('refuted');
    const missing = pigeons(3).replace('(o11 ∧ o21) ∨ ', '');
    expect((await solveAndCheck(missing, false)).r?.kind).toBe('refuted');
  });

  it('proves the ¬¬ pigeonhole (SYJ208 shape) classically once the double negations are removed', async () => {
    for (const n of [2, 3]) {
      const dn = pigeons(n).replace(/\((o\d+) ∨ ([^)]*)\)/g, (_, first: string, rest: string) => `(${first} ∨ ${rest.replace(/o\d+/g, (x) => `¬¬${x}`)})`);
      expect(dn).toContain('¬¬');
      const { r, verdict } = await solveAndCheck(dn, false);
      if (r?.kind !== 'proved') throw new Error(`not proved: ${dn}`);
      expect(r.tactics.join('\n')).toContain('Classical.byContradiction');
      // The plain pigeonhole's proof after the conversion, not the tableau's.
      expect(r.tactics.some((t) => t.startsWith('by_cases'))).toBe(false);
      expect(verdict?.kind).toBe('verified');
      const { r: ri } = await solveAndCheck(dn, true);
      expect(ri?.kind).not.toBe('proved');
    }
  });

  it('proves ↔ chains whose leaves pair up (SYN007 shape) by parity, with a short script', async () => {
    const order = ['p3', 'p1', 'p4', 'p2', 'p1', 'p5', 'p3', 'p2', 'p5', 'p4'];
    const chainOf = (xs: readonly string[]): string => xs.reduceRight((acc, x) => (acc === '' ? x : `${x} ↔ (${acc})`), '');
    for (const xs of [order, [...order, ...order], ['q', 'q']]) {
      const atoms = [...new Set(xs)];
      const { r, verdict } = await solveAndCheck(`theorem par ${vars(atoms)} : ${chainOf(xs)}`, false);
      if (r?.kind !== 'proved') throw new Error(`not proved: ${xs.join(' ')}`);
      expect(verdict?.kind).toBe('verified');
      expect(r.tactics.length).toBeLessThan(4 * xs.length * xs.length);
    }
    // One leaf short of pairing up: not a tautology.
    const odd = order.slice(1);
    const { r } = await solveAndCheck(`theorem odd ${vars([...new Set(odd)])} : ${chainOf(odd)}`, false);
    expect(r?.kind).toBe('refuted');
  });

  it('refutes a commuted ↔ chain with one atom changed', async () => {
    const s = equiv(4).replace(/ : \(\(\(a1/, ' : (((a2');
    const { r } = await solveAndCheck(s, false);
    expect(r?.kind).toBe('refuted');
  });
});

describe('pruneUnused', () => {
  it('drops unused have/obtain steps and keeps used ones and the rest', () => {
    const p = node(
      { t: 'intro', name: 'h1' },
      node(
        { t: 'have', name: 'u', type: null, term: 'h1 h1' },
        node(
          { t: 'obtain', h: 'h1', x: 'a', y: 'b', iff: false },
          node({ t: 'have', name: 'v', type: null, term: 'a' }, node({ t: 'exact', term: 'v.1' })),
        ),
      ),
    );
    expect(renderTactics(pruneUnused(p))).toEqual(['intro h1', 'obtain ⟨a, b⟩ := h1', 'have v := a', 'exact v.1']);
  });
});
