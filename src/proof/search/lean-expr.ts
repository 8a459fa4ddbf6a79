/**
 * A small reader for the pretty-printed Lean expressions that a proof environment reports in its
 * goals (hypothesis types and targets). The search only needs their *shape* (connectives,
 * quantifiers, relations, applications) to propose tactics; it never decides truth from it, so
 * anything it cannot read is simply left alone (the generator then proposes less).
 *
 * Precedences are Lean 4's: ↔ 20, → 25 (right), ∨ 30 (right), ∧ 35 (right), ¬ 40 (prefix),
 * = ≠ ≤ < ≥ > 50, + 65 (left), * 70 (left), application highest; a ∀/∃/fun body extends as far
 * right as possible.
 */

export type Expr =
  | { readonly k: 'var'; readonly name: string }
  | { readonly k: 'num'; readonly value: string }
  | { readonly k: 'app'; readonly fn: Expr; readonly args: readonly Expr[] }
  | { readonly k: 'bin'; readonly op: BinOp; readonly l: Expr; readonly r: Expr }
  | { readonly k: 'not'; readonly a: Expr }
  | { readonly k: 'quant'; readonly q: '∀' | '∃'; readonly names: readonly string[]; readonly type: Expr | null; readonly body: Expr }
  | { readonly k: 'ascr'; readonly e: Expr; readonly type: Expr }
  | { readonly k: 'tuple'; readonly items: readonly Expr[] }
  | { readonly k: 'lam'; readonly names: readonly string[]; readonly type: Expr | null; readonly body: Expr };

export type BinOp = '↔' | '→' | '∨' | '∧' | '=' | '≠' | '≤' | '<' | '≥' | '>' | '+' | '*' | '-';

interface OpInfo {
  readonly prec: number;
  /** Precedence required of the left and right operands. */
  readonly lp: number;
  readonly rp: number;
}

const OPS: Record<BinOp, OpInfo> = {
  '↔': { prec: 20, lp: 21, rp: 21 },
  '→': { prec: 25, lp: 26, rp: 25 },
  '∨': { prec: 30, lp: 31, rp: 30 },
  '∧': { prec: 35, lp: 36, rp: 35 },
  '=': { prec: 50, lp: 51, rp: 51 },
  '≠': { prec: 50, lp: 51, rp: 51 },
  '≤': { prec: 50, lp: 51, rp: 51 },
  '<': { prec: 50, lp: 51, rp: 51 },
  '≥': { prec: 50, lp: 51, rp: 51 },
  '>': { prec: 50, lp: 51, rp: 51 },
  '+': { prec: 65, lp: 65, rp: 66 },
  '-': { prec: 65, lp: 65, rp: 66 },
  '*': { prec: 70, lp: 70, rp: 71 },
};

const ASCII_OPS: Record<string, string> = { '->': '→', '<->': '↔', '/\\': '∧', '\\/': '∨', '<=': '≤', '>=': '≥', '!=': '≠' };

type Tok = { readonly t: 'id' | 'num' | 'sym'; readonly v: string };

const SYMBOLS = ['<->', '->', '/\\', '\\/', '<=', '>=', '!=', '=>', '↦', '(', ')', '⟨', '⟩', ',', ':', '¬', '∧', '∨', '→', '↔', '∀', '∃', '=', '≠', '≤', '<', '≥', '>', '+', '*', '-', 'λ', '·'];

function isIdStart(c: string): boolean {
  return /[\p{L}_]/u.test(c) && c !== 'λ' && c !== '¬';
}
function isIdChar(c: string): boolean {
  return /[\p{L}\p{N}_'!?.✝₀-₉]/u.test(c) && c !== 'λ' && c !== '¬';
}

function tokenize(src: string): Tok[] | null {
  const out: Tok[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i]!;
    if (c === ' ' || c === '\n' || c === '\t' || c === '\r') {
      i++;
      continue;
    }
    if (/[0-9]/.test(c)) {
      let j = i + 1;
      while (j < src.length && /[0-9]/.test(src[j]!)) j++;
      out.push({ t: 'num', v: src.slice(i, j) });
      i = j;
      continue;
    }
    if (c === '«') {
      const j = src.indexOf('»', i);
      if (j < 0) return null;
      out.push({ t: 'id', v: src.slice(i, j + 1) });
      i = j + 1;
      continue;
    }
    if (isIdStart(c)) {
      let j = i + 1;
      while (j < src.length && isIdChar(src[j]!)) j++;
      // A trailing dot is not part of a name.
      while (j > i + 1 && src[j - 1] === '.') j--;
      out.push({ t: 'id', v: src.slice(i, j) });
      i = j;
      continue;
    }
    const sym = SYMBOLS.find((s) => src.startsWith(s, i));
    if (sym === undefined) return null;
    out.push({ t: 'sym', v: ASCII_OPS[sym] ?? (sym === '↦' ? '=>' : sym) });
    i += sym.length;
  }
  return out;
}

class Parser {
  private pos = 0;
  constructor(private readonly toks: readonly Tok[]) {}

  private peek(): Tok | undefined {
    return this.toks[this.pos];
  }
  private isSym(v: string): boolean {
    const t = this.toks[this.pos];
    return t !== undefined && t.t === 'sym' && t.v === v;
  }
  private expect(v: string): void {
    if (!this.isSym(v)) throw new SyntaxError(`expected '${v}'`);
    this.pos++;
  }
  done(): boolean {
    return this.pos >= this.toks.length;
  }

  expr(minPrec: number): Expr {
    let left = this.prefix();
    for (;;) {
      const t = this.peek();
      if (t === undefined || t.t !== 'sym') break;
      const info = OPS[t.v as BinOp];
      if (info === undefined || info.prec < minPrec) break;
      this.pos++;
      const right = this.expr(info.rp);
      left = { k: 'bin', op: t.v as BinOp, l: left, r: right };
      // Non-associative operators: one application per level.
      if (info.lp === info.rp && info.prec !== 65 && info.prec !== 70) {
        const n = this.peek();
        if (n !== undefined && n.t === 'sym' && OPS[n.v as BinOp]?.prec === info.prec) throw new SyntaxError('ambiguous chain');
      }
    }
    return left;
  }

  private prefix(): Expr {
    const t = this.peek();
    if (t === undefined) throw new SyntaxError('unexpected end');
    if (t.t === 'sym' && t.v === '¬') {
      this.pos++;
      return { k: 'not', a: this.expr(40) };
    }
    if (t.t === 'sym' && (t.v === '∀' || t.v === '∃')) {
      this.pos++;
      const { names, type } = this.binders();
      this.expect(',');
      return { k: 'quant', q: t.v, names, type, body: this.expr(0) };
    }
    if ((t.t === 'id' && t.v === 'fun') || (t.t === 'sym' && t.v === 'λ')) {
      this.pos++;
      const { names, type } = this.binders();
      this.expect('=>');
      return { k: 'lam', names, type, body: this.expr(0) };
    }
    return this.application();
  }

  /** `x y : T` or `(x y : T)` (one group; several groups are folded by the caller's body). */
  private binders(): { names: string[]; type: Expr | null } {
    const names: string[] = [];
    let type: Expr | null = null;
    if (this.isSym('(')) {
      this.pos++;
      while (this.peek()?.t === 'id') names.push(this.toks[this.pos++]!.v);
      this.expect(':');
      type = this.expr(0);
      this.expect(')');
      if (this.isSym('(')) throw new SyntaxError('several binder groups');
    } else {
      while (this.peek()?.t === 'id') names.push(this.toks[this.pos++]!.v);
      if (this.isSym(':')) {
        this.pos++;
        type = this.expr(26);
      }
    }
    if (names.length === 0) throw new SyntaxError('binder without a name');
    return { names, type };
  }

  private application(): Expr {
    const head = this.atom();
    const args: Expr[] = [];
    for (;;) {
      const t = this.peek();
      if (t === undefined) break;
      if (t.t === 'id' && t.v !== 'fun') args.push(this.atom());
      else if (t.t === 'num') args.push(this.atom());
      else if (t.t === 'sym' && (t.v === '(' || t.v === '⟨')) args.push(this.atom());
      else break;
    }
    return args.length === 0 ? head : { k: 'app', fn: head, args };
  }

  private atom(): Expr {
    const t = this.peek();
    if (t === undefined) throw new SyntaxError('unexpected end');
    this.pos++;
    if (t.t === 'id') return { k: 'var', name: t.v };
    if (t.t === 'num') return { k: 'num', value: t.v };
    if (t.v === '(') {
      const e = this.expr(0);
      if (this.isSym(':')) {
        this.pos++;
        const type = this.expr(0);
        this.expect(')');
        return { k: 'ascr', e, type };
      }
      this.expect(')');
      return e;
    }
    if (t.v === '⟨') {
      const items: Expr[] = [];
      if (!this.isSym('⟩')) {
        items.push(this.expr(0));
        while (this.isSym(',')) {
          this.pos++;
          items.push(this.expr(0));
        }
      }
      this.expect('⟩');
      return { k: 'tuple', items };
    }
    throw new SyntaxError(`unexpected '${t.v}'`);
  }
}

/** Parses one expression; null when the text is outside what this reader knows. */
export function parseExpr(text: string): Expr | null {
  const toks = tokenize(text);
  if (toks === null || toks.length === 0) return null;
  const p = new Parser(toks);
  try {
    const e = p.expr(0);
    return p.done() ? e : null;
  } catch (e) {
    if (e instanceof SyntaxError || e instanceof RangeError) return null;
    throw e;
  }
}

/** Precedence of an expression's outermost form, for parenthesisation. */
function precOf(e: Expr): number {
  switch (e.k) {
    case 'bin':
      return OPS[e.op].prec;
    case 'not':
      return 40;
    case 'quant':
    case 'lam':
      return 0;
    case 'app':
      return 1024;
    default:
      return 2048;
  }
}

/** Prints an expression back in Lean syntax, with the parentheses that Lean needs. */
export function printExpr(e: Expr): string {
  const out: string[] = [];
  emit(e, 0, out);
  return out.join('');
}

function emit(e: Expr, minPrec: number, out: string[]): void {
  // Binders extend to the right, so they need parentheses anywhere but at the end of a context;
  // parenthesising them whenever minPrec > 0 is always correct.
  const p = precOf(e);
  const paren = p < minPrec || ((e.k === 'quant' || e.k === 'lam') && minPrec > 0);
  if (paren) out.push('(');
  switch (e.k) {
    case 'var':
      out.push(e.name);
      break;
    case 'num':
      out.push(e.value);
      break;
    case 'app':
      emit(e.fn, 1024, out);
      for (const a of e.args) {
        out.push(' ');
        emit(a, 1025, out);
      }
      break;
    case 'bin': {
      const info = OPS[e.op];
      emit(e.l, info.lp, out);
      out.push(` ${e.op} `);
      emit(e.r, info.rp, out);
      break;
    }
    case 'not':
      out.push('¬');
      emit(e.a, 40, out);
      break;
    case 'quant':
      out.push(`${e.q} ${e.names.join(' ')}`);
      if (e.type) {
        out.push(' : ');
        emit(e.type, 26, out);
      }
      out.push(', ');
      emit(e.body, 0, out);
      break;
    case 'lam':
      out.push(`fun ${e.type ? '(' : ''}${e.names.join(' ')}`);
      if (e.type) {
        out.push(' : ');
        emit(e.type, 0, out);
        out.push(')');
      }
      out.push(' => ');
      emit(e.body, 0, out);
      break;
    case 'ascr':
      out.push('(');
      emit(e.e, 0, out);
      out.push(' : ');
      emit(e.type, 0, out);
      out.push(')');
      break;
    case 'tuple':
      out.push('⟨');
      e.items.forEach((it, i) => {
        if (i > 0) out.push(', ');
        emit(it, 0, out);
      });
      out.push('⟩');
      break;
  }
  if (paren) out.push(')');
}

/** Free variable names of an expression (names bound by ∀/∃/fun inside are excluded). */
export function freeVars(e: Expr, acc: Set<string> = new Set(), bound: ReadonlySet<string> = new Set()): Set<string> {
  switch (e.k) {
    case 'var':
      if (!bound.has(e.name)) acc.add(e.name);
      break;
    case 'num':
      break;
    case 'app':
      freeVars(e.fn, acc, bound);
      for (const a of e.args) freeVars(a, acc, bound);
      break;
    case 'bin':
      freeVars(e.l, acc, bound);
      freeVars(e.r, acc, bound);
      break;
    case 'not':
      freeVars(e.a, acc, bound);
      break;
    case 'quant':
    case 'lam': {
      if (e.type) freeVars(e.type, acc, bound);
      const b = new Set(bound);
      for (const n of e.names) b.add(n);
      freeVars(e.body, acc, b);
      break;
    }
    case 'ascr':
      freeVars(e.e, acc, bound);
      break;
    case 'tuple':
      for (const a of e.items) freeVars(a, acc, bound);
      break;
  }
  return acc;
}

/** Splits `∀ x y : α, B` into its first bound variable and the rest. */
export function peelQuant(e: Expr): { name: string; type: Expr | null; body: Expr } | null {
  if (e.k !== 'quant') return null;
  const [first, ...rest] = e.names;
  if (first === undefined) return null;
  const body: Expr = rest.length === 0 ? e.body : { k: 'quant', q: e.q, names: rest, type: e.type, body: e.body };
  return { name: first, type: e.type, body };
}

/** Capture-avoiding enough for our use: substitutes a variable by a closed-in-context term. */
export function substVar(e: Expr, name: string, by: Expr): Expr {
  switch (e.k) {
    case 'var':
      return e.name === name ? by : e;
    case 'num':
      return e;
    case 'app':
      return { k: 'app', fn: substVar(e.fn, name, by), args: e.args.map((a) => substVar(a, name, by)) };
    case 'bin':
      return { k: 'bin', op: e.op, l: substVar(e.l, name, by), r: substVar(e.r, name, by) };
    case 'not':
      return { k: 'not', a: substVar(e.a, name, by) };
    case 'quant':
    case 'lam':
      if (e.names.includes(name)) return e;
      return { ...e, type: e.type ? substVar(e.type, name, by) : null, body: substVar(e.body, name, by) };
    case 'ascr':
      return { k: 'ascr', e: substVar(e.e, name, by), type: e.type };
    case 'tuple':
      return { k: 'tuple', items: e.items.map((a) => substVar(a, name, by)) };
  }
}
