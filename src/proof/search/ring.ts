/**
 * A ring-normalising step for `omega`, which (as in Lean) treats each non-linear product as an
 * opaque atom, so `b * a` and `a * b` are different to it and `(a + b) * c` is one atom. The
 * macro multiplies out with `simp only [Nat.mul_add, Nat.add_mul]`, puts the factors of every
 * product of two atoms in one order with `rw [Nat.mul_comm x y]`, and hands the rest to omega.
 * Only the tactic texts are computed here; the environment checks every step.
 */
import { type Expr, printExpr } from './lean-expr.js';

const isSum = (e: Expr): boolean => e.k === 'bin' && e.op === '+';
const mul = (l: Expr, r: Expr): Expr => ({ k: 'bin', op: '*', l, r });
const add = (l: Expr, r: Expr): Expr => ({ k: 'bin', op: '+', l, r });

/** `e` with products of sums multiplied out (what the simp call leaves, up to association). */
export function distribute(e: Expr): Expr {
  switch (e.k) {
    case 'bin': {
      const l = distribute(e.l);
      const r = distribute(e.r);
      if (e.op === '*' && r.k === 'bin' && r.op === '+') return distribute(add(mul(l, r.l), mul(l, r.r)));
      if (e.op === '*' && l.k === 'bin' && l.op === '+') return distribute(add(mul(l.l, r), mul(l.r, r)));
      return { k: 'bin', op: e.op, l, r };
    }
    case 'not':
      return { k: 'not', a: distribute(e.a) };
    case 'app':
      return { k: 'app', fn: e.fn, args: e.args.map(distribute) };
    default:
      return e;
  }
}

function hasProductOfSum(e: Expr): boolean {
  switch (e.k) {
    case 'bin':
      return (e.op === '*' && (isSum(e.l) || isSum(e.r))) || hasProductOfSum(e.l) || hasProductOfSum(e.r);
    case 'not':
      return hasProductOfSum(e.a);
    case 'app':
      return e.args.some(hasProductOfSum);
    default:
      return false;
  }
}

const atomic = (e: Expr): boolean => e.k === 'var' || e.k === 'app';
const arg = (e: Expr): string => (e.k === 'var' ? e.name : `(${printExpr(e)})`);

/** Products of two atoms whose factors are out of (printed) order, as `Nat.mul_comm x y` rules. */
function commutations(e: Expr, out: Map<string, string>): void {
  switch (e.k) {
    case 'bin':
      if (e.op === '*' && atomic(e.l) && atomic(e.r)) {
        const a = printExpr(e.l);
        const b = printExpr(e.r);
        if (a > b) out.set(`${a}*${b}`, `Nat.mul_comm ${arg(e.l)} ${arg(e.r)}`);
      }
      commutations(e.l, out);
      commutations(e.r, out);
      break;
    case 'not':
      commutations(e.a, out);
      break;
    case 'app':
      e.args.forEach((a) => commutations(a, out));
      break;
    default:
      break;
  }
}

/** The macro's tactics for an arithmetic goal, or null when there is nothing to normalise. */
export function ringSteps(target: Expr): string[] | null {
  const steps: string[] = [];
  let e = target;
  if (hasProductOfSum(e)) {
    steps.push('simp only [Nat.mul_add, Nat.add_mul]');
    e = distribute(e);
  }
  const comm = new Map<string, string>();
  commutations(e, comm);
  if (comm.size > 0) steps.push(`rw [${[...comm.values()].join(', ')}]`);
  if (steps.length === 0) return null;
  return [...steps, 'omega'];
}
