/** Pretty-printing of kernel terms in Lean syntax (for goals, state keys and messages). */
import type { Env } from './check.js';
import { type Term, getAppFn, getAppArgs, instantiate, mkFVar, freshId } from './term.js';

export interface NameCtx {
  /** Display name of a free variable. */
  fvarName(id: number): string | undefined;
  mvarName?(id: number): string;
}

const BINOPS: Record<string, [string, number, number, number, number]> = {
  // const: [symbol, prec, lhsPrec, rhsPrec, explicit-arg count]
  And: ['∧', 35, 36, 35, 2], Or: ['∨', 30, 31, 30, 2], Iff: ['↔', 20, 21, 21, 2],
  Eq: ['=', 50, 51, 51, 3], Ne: ['≠', 50, 51, 51, 3],
  'Nat.le': ['≤', 50, 51, 51, 2], 'Nat.lt': ['<', 50, 51, 51, 2], 'GE.ge': ['≥', 50, 51, 51, 2], 'GT.gt': ['>', 50, 51, 51, 2],
  'Nat.add': ['+', 65, 65, 66, 2], 'Nat.mul': ['*', 70, 70, 71, 2],
};

export class Printer {
  constructor(private readonly env: Env, private readonly names: NameCtx) {}
  private readonly tmpNames = new Map<number, string>();

  show(t: Term): string { return this.pp(t, 0, new Set()); }

  private fresh(base: string, used: Set<string>): string {
    let n = base === '_' || base === '' ? 'x' : base;
    if (!used.has(n)) return n;
    for (let i = 1; ; i++) if (!used.has(`${n}_${i}`)) { n = `${n}_${i}`; return n; }
  }

  /**
   * Right-nested infix and prefix chains (`a → b → ...`, `a ∧ (b ∧ ...)`, `¬¬...`) are printed in a
   * loop, so thousands of levels need no stack; the text is what printing each level
   * recursively, `paren(pre + pp(rhs, rhsPrec), opPrec)`, gives.
   */
  private pp(t: Term, prec: number, used: Set<string>): string {
    const parts: string[] = [];
    let closes = 0;
    for (;;) {
      const s = this.prefixStep(t, used);
      if (s === undefined) break;
      if (s.opPrec < prec) { parts.push('('); closes++; }
      parts.push(s.pre);
      t = s.rhs;
      prec = s.rhsPrec;
    }
    parts.push(this.ppAtom(t, prec, used), ')'.repeat(closes));
    return parts.join('');
  }

  /** `pre rhs` where rhs is printed at `rhsPrec` and the whole at `opPrec`: binary operators, →, ¬. */
  private prefixStep(t: Term, used: Set<string>): { pre: string; rhs: Term; rhsPrec: number; opPrec: number } | undefined {
    if (t.tag === 'pi') {
      if (!(t.body.lbr === 0 || !usesBVar0(t.body))) return undefined;
      const body = t.body.lbr === 0 ? t.body : instantiate(t.body, mkFVar(-1));
      return { pre: `${this.pp(t.type, 26, used)} → `, rhs: body, rhsPrec: 25, opPrec: 25 };
    }
    if (t.tag !== 'app') return undefined;
    const fn = getAppFn(t);
    if (fn.tag !== 'const') return undefined;
    const args = getAppArgs(t);
    const op = BINOPS[fn.name];
    if (op !== undefined && args.length === op[4]) {
      return { pre: `${this.pp(args[args.length - 2]!, op[2], used)} ${op[0]} `, rhs: args[args.length - 1]!, rhsPrec: op[3], opPrec: op[1] };
    }
    if (fn.name === 'Not' && args.length === 1) return { pre: '¬', rhs: args[0]!, rhsPrec: 40, opPrec: 40 };
    return undefined;
  }

  private ppAtom(t: Term, prec: number, used: Set<string>): string {
    const paren = (s: string, p: number) => (p < prec ? `(${s})` : s);
    switch (t.tag) {
      case 'bvar': return `#${t.idx}`;
      case 'fvar': return this.tmpNames.get(t.id) ?? this.names.fvarName(t.id) ?? `x.${t.id}`;
      case 'mvar': return this.names.mvarName?.(t.id) ?? `?m.${t.id}`;
      case 'delayed': return `?m.${t.mvar}`;
      case 'sort': return t.level === 0 ? 'Prop' : t.level === 1 ? 'Type' : `Type ${t.level - 1}`;
      case 'lit': return String(t.value);
      case 'const': return t.name === 'Nat.zero' ? '0' : t.name;
      case 'pi': {
        const [name, body, u2] = this.open(t.name, t.body, used);
        return paren(`∀ (${name} : ${this.pp(t.type, 0, used)}), ${this.pp(body, 0, u2)}`, 0);
      }
      case 'lam': {
        const [name, body, u2] = this.open(t.name, t.body, used);
        return paren(`fun ${name} => ${this.pp(body, 0, u2)}`, 0);
      }
      case 'app': {
        const fn = getAppFn(t);
        const args = getAppArgs(t);
        if (fn.tag === 'const') {
          if (fn.name === 'Exists' && args.length === 2 && args[1]!.tag === 'lam') {
            const lam = args[1]!;
            const [name, body, u2] = this.open(lam.name, lam.body, used);
            return paren(`∃ ${name}, ${this.pp(body, 0, u2)}`, 0);
          }
          const shown = this.explicitArgs(fn.name, args);
          if (shown.length === 0) return this.pp(fn, prec, used);
          return paren([this.pp(fn, 1024, used), ...shown.map((a) => this.pp(a, 1025, used))].join(' '), 1024);
        }
        return paren([this.pp(fn, 1024, used), ...args.map((a) => this.pp(a, 1025, used))].join(' '), 1024);
      }
    }
  }

  private explicitArgs(name: string, args: readonly Term[]): Term[] {
    const d = this.env.get(name);
    if (d === undefined) return [...args];
    let ty = d.type(name === 'Nat.rec' ? [0] : []);
    const out: Term[] = [];
    for (const a of args) {
      if (ty.tag === 'pi') { if (ty.bi === 'default') out.push(a); ty = ty.body; } else out.push(a);
    }
    return out;
  }

  private open(name: string, body: Term, used: Set<string>): [string, Term, Set<string>] {
    const n = this.fresh(name, used);
    const id = -freshId();
    this.tmpNames.set(id, n);
    const u2 = new Set(used);
    u2.add(n);
    return [n, instantiate(body, mkFVar(id)), u2];
  }
}

function usesBVar0(t: Term, depth = 0): boolean {
  if (t.lbr <= depth) return false;
  switch (t.tag) {
    case 'bvar': return t.idx === depth;
    case 'app': return usesBVar0(t.fn, depth) || usesBVar0(t.arg, depth);
    case 'lam': case 'pi': return usesBVar0(t.type, depth) || usesBVar0(t.body, depth + 1);
    default: return false;
  }
}
