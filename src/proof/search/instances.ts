/**
 * Instances of universally quantified arithmetic hypotheses for `omega`, found by matching
 * (E-matching, as SMT solvers instantiate quantifiers): each subterm of a hypothesis that
 * mentions its bound variables is a pattern, matched against the ground terms of the goal and
 * the other hypotheses (`f (?n + 1)` against `f 3` gives n = 2); the new instances bring new
 * ground terms, for a few rounds. Numerals beyond the largest one in sight are not tried, so
 * that `f ?n` does not climb forever.
 */
import { unify } from './chain.js';
import { type Expr, printExpr, substVar } from './lean-expr.js';

export interface Instance {
  /** `h 2`. */
  readonly term: string;
  readonly body: Expr;
}

/** Closed numeral arithmetic folded (`2 + 1` → `3`), as the kernel's terms are compared. */
export function foldNums(e: Expr): Expr {
  switch (e.k) {
    case 'bin': {
      const l = foldNums(e.l);
      const r = foldNums(e.r);
      if (l.k === 'num' && r.k === 'num' && (e.op === '+' || e.op === '*')) {
        const v = e.op === '+' ? BigInt(l.value) + BigInt(r.value) : BigInt(l.value) * BigInt(r.value);
        return { k: 'num', value: v.toString() };
      }
      return { k: 'bin', op: e.op, l, r };
    }
    case 'app':
      return { k: 'app', fn: foldNums(e.fn), args: e.args.map(foldNums) };
    case 'not':
      return { k: 'not', a: foldNums(e.a) };
    default:
      return e;
  }
}

/** Application subterms (the terms a pattern can meet), numerals folded. */
function appTerms(e: Expr, out: Map<string, Expr>): void {
  switch (e.k) {
    case 'app':
      out.set(printExpr(e), e);
      e.args.forEach((a) => appTerms(a, out));
      break;
    case 'bin':
      appTerms(e.l, out);
      appTerms(e.r, out);
      break;
    case 'not':
      appTerms(e.a, out);
      break;
    default:
      break;
  }
}

function maxNum(e: Expr): bigint {
  switch (e.k) {
    case 'num':
      return BigInt(e.value);
    case 'app':
      return [e.fn, ...e.args].reduce((m, a) => (maxNum(a) > m ? maxNum(a) : m), 0n);
    case 'bin': {
      const a = maxNum(e.l);
      const b = maxNum(e.r);
      return a > b ? a : b;
    }
    case 'not':
      return maxNum(e.a);
    default:
      return 0n;
  }
}

/**
 * Instances of `name : ∀ xs, body` (body without further quantifiers or implications) matched
 * against `ground` (goal and hypotheses, already numeral-folded), at most `max`.
 */
export function matchInstances(quantified: readonly { name: string; e: Expr }[], ground: readonly Expr[], max = 8, rounds = 4): Instance[] {
  const terms = new Map<string, Expr>();
  let bound = 0n;
  for (const g of ground) {
    appTerms(g, terms);
    const m = maxNum(g);
    if (m > bound) bound = m;
  }
  const out: Instance[] = [];
  const seen = new Set<string>();
  const specs = quantified.flatMap((q) => {
    const vars: string[] = [];
    let body = q.e;
    while (body.k === 'quant' && body.q === '∀') {
      vars.push(...body.names);
      body = body.body;
    }
    if (vars.length === 0 || body.k === 'quant' || (body.k === 'bin' && body.op === '→')) return [];
    const metas = vars.map((v, i) => ({ v, m: { k: 'var', name: `?e${i}` } as Expr }));
    const mbody = metas.reduce<Expr>((x, { v, m }) => substVar(x, v, m), body);
    const pats = new Map<string, Expr>();
    appTerms(mbody, pats);
    const patList = [...pats.values()].filter((p) => printExpr(p).includes('?e'));
    return [{ name: q.name, metas, body: mbody, pats: patList }];
  });
  for (let round = 0; round < rounds && out.length < max; round++) {
    const fresh: Expr[] = [];
    for (const spec of specs) {
      for (const p of spec.pats) {
        for (const t of terms.values()) {
          const s = unify(p, t, new Map());
          if (s === null) continue;
          const vals = spec.metas.map(({ m }) => {
            const v = m.k === 'var' ? s.get(m.name) : undefined;
            return v === undefined ? undefined : foldNums(v);
          });
          if (vals.some((v) => v === undefined || printExpr(v).includes('?') || (v.k === 'num' && BigInt(v.value) > bound))) continue;
          const args = (vals as Expr[]).map((v) => {
            const txt = printExpr(v);
            return /^[\p{L}\p{N}_.']+$/u.test(txt) ? txt : `(${txt})`;
          });
          const term = `${spec.name} ${args.join(' ')}`;
          if (seen.has(term)) continue;
          seen.add(term);
          const body = foldNums(spec.metas.reduce<Expr>((x, { m }, i) => substVar(x, (m as { name: string }).name, vals[i]!), spec.body));
          out.push({ term, body });
          fresh.push(body);
          if (out.length >= max) return out;
        }
      }
    }
    if (fresh.length === 0) break;
    for (const f of fresh) appTerms(f, terms);
  }
  return out;
}
