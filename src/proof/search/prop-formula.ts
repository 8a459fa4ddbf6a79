/**
 * Hash-consed propositional formulas: the skeleton the propositional solvers work on.
 */
import { type Expr, printExpr } from './lean-expr.js';

/** Formula kinds (plain numbers: the hot loops compare them). */
export const FK = { Atom: 0, True: 1, False: 2, And: 3, Or: 4, Imp: 5, Iff: 6, Not: 7 } as const;
export type FK = (typeof FK)[keyof typeof FK];

/** Hash-consed formulas: equal formulas get equal ids, so sequents compare cheaply. */
export class PropTable {
  readonly kind: number[] = [];
  readonly a: number[] = [];
  readonly b: number[] = [];
  private readonly atomText: (string | null)[] = [];
  private readonly atomPrec: number[] = [];
  private readonly ids = new Map<string, number>();
  readonly TRUE: number;
  readonly FALSE: number;

  constructor() {
    this.TRUE = this.mk(FK.True, -1, -1);
    this.FALSE = this.mk(FK.False, -1, -1);
  }

  mk(kind: FK, a: number, b: number): number {
    const key = `${kind},${a},${b}`;
    let id = this.ids.get(key);
    if (id === undefined) {
      id = this.kind.length;
      this.kind.push(kind);
      this.a.push(a);
      this.b.push(b);
      this.atomText.push(null);
      this.atomPrec.push(2048);
      this.ids.set(key, id);
    }
    return id;
  }

  atom(text: string, prec: number): number {
    const key = `a:${text}`;
    let id = this.ids.get(key);
    if (id === undefined) {
      id = this.kind.length;
      this.kind.push(FK.Atom);
      this.a.push(-1);
      this.b.push(-1);
      this.atomText.push(text);
      this.atomPrec.push(prec);
      this.ids.set(key, id);
    }
    return id;
  }

  /** Antecedent and consequent when `f` is `A → B` or `¬A` (= `A → False`), else null. */
  imp(f: number): readonly [number, number] | null {
    const k = this.kind[f];
    if (k === FK.Imp) return [this.a[f]!, this.b[f]!];
    if (k === FK.Not) return [this.a[f]!, this.FALSE];
    return null;
  }

  /** Reads an expression's propositional skeleton. */
  fromExpr(e: Expr): number {
    switch (e.k) {
      case 'var':
        if (e.name === 'True') return this.TRUE;
        if (e.name === 'False') return this.FALSE;
        return this.atom(e.name, 2048);
      case 'not':
        return this.mk(FK.Not, this.fromExpr(e.a), -1);
      case 'bin': {
        const k = e.op === '∧' ? FK.And : e.op === '∨' ? FK.Or : e.op === '→' ? FK.Imp : e.op === '↔' ? FK.Iff : -1;
        if (k !== -1) return this.mk(k, this.fromExpr(e.l), this.fromExpr(e.r));
        return this.atom(printExpr(e), 50);
      }
      case 'app':
        if (e.fn.k === 'var' && e.fn.name === 'Not' && e.args.length === 1) return this.mk(FK.Not, this.fromExpr(e.args[0]!), -1);
        return this.atom(printExpr(e), 1024);
      case 'quant':
      case 'lam':
        return this.atom(printExpr(e), 0);
      default:
        return this.atom(printExpr(e), 2048);
    }
  }

  /** Lean text of a formula, parenthesised for a context that needs precedence `minPrec`. */
  print(f: number, minPrec = 0): string {
    const out: string[] = [];
    this.emit(f, minPrec, out);
    return out.join('');
  }

  private emit(f: number, minPrec: number, out: string[]): void {
    const k = this.kind[f]!;
    if (k === FK.Atom) {
      const p = this.atomPrec[f]!;
      const paren = p < minPrec || (p === 0 && minPrec > 0);
      out.push(paren ? `(${this.atomText[f]!})` : this.atomText[f]!);
      return;
    }
    if (k === FK.True) return void out.push('True');
    if (k === FK.False) return void out.push('False');
    if (k === FK.Not) {
      const paren = minPrec > 40;
      if (paren) out.push('(');
      out.push('¬');
      this.emit(this.a[f]!, 40, out);
      if (paren) out.push(')');
      return;
    }
    const [prec, lp, rp, op] =
      k === FK.Iff ? [20, 21, 21, '↔'] : k === FK.Imp ? [25, 26, 25, '→'] : k === FK.Or ? [30, 31, 30, '∨'] : [35, 36, 35, '∧'];
    const paren = prec < minPrec;
    if (paren) out.push('(');
    this.emit(this.a[f]!, lp, out);
    out.push(` ${op} `);
    this.emit(this.b[f]!, rp, out);
    if (paren) out.push(')');
  }

  private readonly sizes: number[] = [];
  size(f: number): number {
    const c = this.sizes[f];
    if (c !== undefined) return c;
    const k = this.kind[f]!;
    let s: number;
    if (k === FK.Atom || k === FK.True || k === FK.False) s = 1;
    else if (k === FK.Not) s = 1 + this.size(this.a[f]!);
    else s = 1 + this.size(this.a[f]!) + this.size(this.b[f]!);
    this.sizes[f] = s;
    return s;
  }
}
