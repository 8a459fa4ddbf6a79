/**
 * Lexer and surface syntax for the Lean 4 fragment: terms (with Lean's precedences), tactics
 * (layout-sensitive blocks) and theorem declarations. Untrusted: it only builds syntax trees.
 */

export interface Pos { readonly line: number; readonly column: number; readonly offset: number }

export interface Token {
  readonly t: 'ident' | 'num' | 'sym' | 'eof';
  readonly v: string;
  readonly line: number;   // 1-based
  readonly col: number;    // 0-based, in code points
  readonly offset: number; // UTF-16 offset into the text
  readonly end: number;
  /** First token on its line. */
  readonly nl: boolean;
  /** Preceded by whitespace (to tell `h.1` from `h .1`, `(h x).mp`). */
  readonly ws: boolean;
}

export class SyntaxError_ extends Error {
  constructor(message: string, readonly line: number, readonly column: number, readonly unsupported = false, readonly construct?: string) {
    super(message);
    this.name = 'SyntaxError';
  }
}

const SYMS = [
  '<;>', ':=', '=>', '->', '<->', '<=', '>=', '!=', '/\\', '\\/', '?_', '..',
  '(', ')', '⟨', '⟩', '[', ']', '{', '}', ',', ':', '↦', '→', '↔', '∧', '∨', '¬', '∀', '∃', 'λ', '=', '≠', '≤', '<', '≥', '>',
  '+', '*', '-', '/', '%', '^', '|', '·', '.', ';', '←', '_', '@', '$', '▸', '∘', '×', '!', '&', '#', '⁻', '<|', '|>', '∣', '⋯', '∈', '∉', '∑', '∏', '⊢',
];
/** Symbols by first character, longest first. */
const SYMS_BY_FIRST = new Map<string, string[]>();
for (const s of SYMS) {
  const k = s[0]!;
  const list = SYMS_BY_FIRST.get(k) ?? [];
  list.push(s);
  list.sort((a, b) => b.length - a.length);
  SYMS_BY_FIRST.set(k, list);
}
const SYM_ALIASES: Record<string, string> = { '->': '→', '<->': '↔', '<=': '≤', '>=': '≥', '/\\': '∧', '\\/': '∨', 'λ': 'fun', '↦': '=>', '.': '·' };

const ID_START = /[\p{L}_]/u;
const ID_REST = /[\p{L}\p{N}_'!?₀-₉ₐ-ₜ]/u;
/** Unicode-property answers for non-ASCII characters, memoised (the regexes dominated lexing). */
const idStartMemo = new Map<string, boolean>(), idRestMemo = new Map<string, boolean>();
function isIdStart(ch: string): boolean {
  const code = ch.charCodeAt(0);
  if (code < 128) return (code >= 65 && code <= 90) || (code >= 97 && code <= 122) || code === 95;
  let r = idStartMemo.get(ch);
  if (r === undefined) idStartMemo.set(ch, r = ID_START.test(ch) && !'λΠΣ'.includes(ch));
  return r;
}
function isIdRest(ch: string): boolean {
  const code = ch.charCodeAt(0);
  if (code < 128) return (code >= 65 && code <= 90) || (code >= 97 && code <= 122) || (code >= 48 && code <= 57) || code === 95 || code === 39 || code === 33 || code === 63;
  let r = idRestMemo.get(ch);
  if (r === undefined) idRestMemo.set(ch, r = ID_REST.test(ch) && !'λΠΣ'.includes(ch));
  return r;
}
function isDigit(ch: string | undefined): boolean {
  if (ch === undefined) return false;
  const c = ch.charCodeAt(0);
  return c >= 48 && c <= 57;
}

/** Tokenises `text`; comments (`--`, nested `/- -/`) are skipped. */
export function lex(text: string): Token[] {
  const out: Token[] = [];
  let i = 0, line = 1, lineStart = 0;
  let nl = true, ws = true;
  const n = text.length;
  // Columns count code points; computed incrementally (lines can be 80k characters long).
  let colOff = 0, colVal = 0;
  const colOf = (off: number) => {
    if (colOff < lineStart || colOff > off) { colOff = lineStart; colVal = 0; }
    for (let j = colOff; j < off; j++) { const cc = text.charCodeAt(j); if (cc < 0xdc00 || cc > 0xdfff) colVal++; }
    colOff = off;
    return colVal;
  };
  while (i < n) {
    const ch = text[i]!;
    if (ch === '\n') { i++; line++; lineStart = i; nl = true; ws = true; continue; }
    if (ch === ' ' || ch === '\t' || ch === '\r') { i++; ws = true; continue; }
    if (ch === '-' && text[i + 1] === '-') { while (i < n && text[i] !== '\n') i++; ws = true; continue; }
    if (ch === '/' && text[i + 1] === '-') {
      let depth = 1; i += 2;
      while (i < n && depth > 0) {
        if (text[i] === '/' && text[i + 1] === '-') { depth++; i += 2; continue; }
        if (text[i] === '-' && text[i + 1] === '/') { depth--; i += 2; continue; }
        if (text[i] === '\n') { line++; lineStart = i + 1; }
        i++;
      }
      ws = true;
      continue;
    }
    const start = i;
    const col = colOf(start);
    const push = (t: Token['t'], v: string) => { out.push({ t, v, line, col, offset: start, end: i, nl, ws }); nl = false; ws = false; };
    if (isDigit(ch)) {
      while (i < n && isDigit(text[i])) i++;
      push('num', text.slice(start, i));
      continue;
    }
    if (ch === '«') {
      const j = text.indexOf('»', i);
      if (j < 0) throw new SyntaxError_('unterminated «', line, col);
      i = j + 1;
      push('ident', text.slice(start + 1, j));
      continue;
    }
    const code = text.charCodeAt(i);
    const cp = code >= 0xd800 && code <= 0xdbff ? String.fromCodePoint(text.codePointAt(i)!) : ch;
    if (isIdStart(cp)) {
      // Dotted names: `Nat.succ.inj`, `h.1.2`, `h.mp`.
      for (;;) {
        while (i < n) {
          const k2 = text.charCodeAt(i);
          if (k2 < 128) {
            if ((k2 >= 65 && k2 <= 90) || (k2 >= 97 && k2 <= 122) || (k2 >= 48 && k2 <= 57) || k2 === 95 || k2 === 39 || k2 === 33 || k2 === 63) { i++; continue; }
            break;
          }
          const c2 = k2 >= 0xd800 && k2 <= 0xdbff ? String.fromCodePoint(text.codePointAt(i)!) : text[i]!;
          if (!isIdRest(c2)) break;
          i += c2.length;
        }
        if (text[i] === '.' && i + 1 < n) {
          const nx = String.fromCodePoint(text.codePointAt(i + 1)!);
          if (isIdStart(nx)) { i += 1; continue; }
          if (isDigit(nx)) { i += 1; while (i < n && isDigit(text[i])) i++; if (text[i] === '.') continue; break; }
        }
        break;
      }
      // A lone `_` is a hole (or a wildcard name), not an identifier.
      if (i === start + 1 && code === 95) push('sym', '_');
      else push('ident', text.slice(start, i));
      continue;
    }
    let sym: string | undefined;
    for (const s of SYMS_BY_FIRST.get(ch) ?? []) if (text.startsWith(s, i)) { sym = s; break; }
    if (sym === undefined) throw new SyntaxError_(`unexpected character '${cp}'`, line, col, true, cp);
    i += sym.length;
    push('sym', SYM_ALIASES[sym] ?? sym);
  }
  out.push({ t: 'eof', v: '', line, col: colOf(i), offset: i, end: i, nl: true, ws: true });
  return out;
}

// ---------------------------------------------------------------- syntax trees

export interface Binder {
  readonly names: readonly string[];
  readonly type?: Expr;
  readonly implicit: boolean;
  /** `fun ⟨a, b⟩ => ...`: an anonymous-constructor pattern (then `names` is `['_']`). */
  readonly pat?: RPat;
}

export type Expr = (
  | { readonly k: 'ident'; readonly name: string }
  | { readonly k: 'num'; readonly value: number }
  | { readonly k: 'sort'; readonly level: number }
  | { readonly k: 'app'; readonly fn: Expr; readonly args: readonly Arg[] }
  | { readonly k: 'binop'; readonly op: string; readonly lhs: Expr; readonly rhs: Expr }
  | { readonly k: 'not'; readonly arg: Expr }
  | { readonly k: 'forall' | 'exists' | 'fun'; readonly binders: readonly Binder[]; readonly body: Expr }
  | { readonly k: 'anon'; readonly elems: readonly Expr[] }
  | { readonly k: 'ascribe'; readonly e: Expr; readonly type: Expr }
  | { readonly k: 'proj'; readonly e: Expr; readonly field: string }
  | { readonly k: 'hole' }
  | { readonly k: 'synth' }
  | { readonly k: 'by'; readonly tactics: readonly Tactic[] }
  | { readonly k: 'explicit'; readonly name: string }
) & { readonly pos: Pos };

export type Arg = { readonly named?: string; readonly e: Expr };

export type RPat =
  | { readonly k: 'name'; readonly name: string }   // `h`, `_`
  | { readonly k: 'clear' }                           // `-`
  | { readonly k: 'rfl' }
  | { readonly k: 'tuple'; readonly elems: readonly RPat[] }
  | { readonly k: 'alts'; readonly alts: readonly RPat[] }
  | { readonly k: 'typed'; readonly pat: RPat; readonly type: Expr };

export interface CaseArm { readonly ctor: string; readonly names: readonly string[]; readonly tactics: readonly Tactic[]; readonly pos: Pos }
export interface RwRule { readonly rev: boolean; readonly e: Expr }

export type TacticBody =
  | { readonly k: 'intro'; readonly pats: readonly RPat[] }
  | { readonly k: 'intros'; readonly names: readonly string[] }
  | { readonly k: 'exact' | 'apply' | 'refine' | 'exfalsoExact'; readonly e: Expr }
  | { readonly k: 'simple'; readonly name: 'constructor' | 'left' | 'right' | 'exfalso' | 'assumption' | 'contradiction' | 'trivial' | 'rfl' | 'decide' | 'omega' | 'sorry' | 'skip' | 'done' }
  | { readonly k: 'exists'; readonly es: readonly Expr[] }
  | { readonly k: 'rcases'; readonly e: Expr; readonly pat: RPat }
  | { readonly k: 'obtain'; readonly pat: RPat; readonly type?: Expr; readonly e?: Expr }
  | { readonly k: 'cases' | 'induction'; readonly e: Expr; readonly arms?: readonly CaseArm[]; readonly generalizing?: readonly string[] }
  | { readonly k: 'have'; readonly name?: string; readonly type?: Expr; readonly e?: Expr }
  | { readonly k: 'show'; readonly type: Expr }
  | { readonly k: 'specialize'; readonly e: Expr }
  | { readonly k: 'revert' | 'clear'; readonly names: readonly string[] }
  | { readonly k: 'byCases'; readonly name?: string; readonly e: Expr }
  | { readonly k: 'rw'; readonly rules: readonly RwRule[]; readonly at?: string; readonly rwOnly: boolean }
  | { readonly k: 'simp'; readonly only: boolean; readonly lemmas: readonly RwRule[]; readonly at?: readonly string[] }
  | { readonly k: 'focus'; readonly tactics: readonly Tactic[] }
  | { readonly k: 'paren'; readonly tactics: readonly Tactic[] }
  | { readonly k: 'then'; readonly first: Tactic; readonly rest: Tactic }
  | { readonly k: 'first'; readonly alts: readonly (readonly Tactic[])[] }
  | { readonly k: 'allGoals' | 'anyGoals' | 'repeat' | 'try'; readonly tactics: readonly Tactic[] }
  | { readonly k: 'case'; readonly tag: string; readonly names: readonly string[]; readonly tactics: readonly Tactic[] }
  | { readonly k: 'unfold'; readonly names: readonly string[]; readonly at?: string };

export type Tactic = TacticBody & { readonly pos: Pos; readonly text: string };

// ---------------------------------------------------------------- parser

const STOP_SYMS = new Set([')', ',', '⟩', ':=', ']', '}', '|', ';', '<;>', '=>', ':', '←', '·', 'eof']);
const KEYWORDS = new Set(['generalizing', 'theorem', 'lemma', 'example', 'def', 'by', 'fun', 'at', 'with', 'from', 'then', 'else', 'if', 'do',
  'let', 'have', 'show', 'in', 'match', 'end', 'namespace', 'section', 'open', 'variable', 'import', 'using', 'only', 'calc', 'where', 'instance', 'structure', 'inductive', 'axiom', 'noncomputable', 'private', 'protected', 'set_option', 'universe', 'abbrev', 'deriving', 'mutual', 'macro', 'syntax', 'notation', 'attribute', 'example']);

/** Open constructs of `parseExpr`: each remembers the precedence its surroundings need. */
type ExprFrame =
  | { readonly k: 'op'; readonly lhs: Expr; readonly op: Token; readonly min: number }
  | { readonly k: 'not'; readonly pos: Pos; readonly min: number }
  | { readonly k: 'paren'; readonly pos: Pos; readonly min: number; readonly stop: number };

interface Infix { readonly prec: number; readonly rhs: number; readonly lhsMin: number }
const INFIX: Record<string, Infix> = {
  '↔': { prec: 20, rhs: 21, lhsMin: 21 },
  '→': { prec: 25, rhs: 25, lhsMin: 26 },
  '∨': { prec: 30, rhs: 30, lhsMin: 31 },
  '∧': { prec: 35, rhs: 35, lhsMin: 36 },
  '=': { prec: 50, rhs: 51, lhsMin: 51 },
  '≠': { prec: 50, rhs: 51, lhsMin: 51 },
  '≤': { prec: 50, rhs: 51, lhsMin: 51 },
  '<': { prec: 50, rhs: 51, lhsMin: 51 },
  '≥': { prec: 50, rhs: 51, lhsMin: 51 },
  '>': { prec: 50, rhs: 51, lhsMin: 51 },
  '+': { prec: 65, rhs: 66, lhsMin: 65 },
  '*': { prec: 70, rhs: 71, lhsMin: 70 },
};
const UNSUPPORTED_INFIX: Record<string, string> = {
  '-': 'subtraction', '/': 'division', '%': 'modulo', '^': 'power', '▸': 'the ▸ operator', '∘': 'function composition',
  '×': 'product types', '$': '$ application', '<|': '<| application', '|>': '|> application', '∣': 'divisibility', '∈': 'membership', '∉': 'membership', '!=': 'boolean inequality',
  '&': '&&', '.': 'dot notation', '..': 'ranges',
};

export class Parser {
  private i = 0;
  constructor(readonly text: string, readonly toks: readonly Token[]) {}

  static of(text: string): Parser { return new Parser(text, lex(text)); }

  peek(k = 0): Token { return this.toks[Math.min(this.i + k, this.toks.length - 1)]!; }
  next(): Token { const t = this.peek(); if (this.i < this.toks.length - 1) this.i++; return t; }
  get index(): number { return this.i; }
  set index(v: number) { this.i = v; }
  atEof(): boolean { return this.peek().t === 'eof'; }
  posOf(t: Token): Pos { return { line: t.line, column: t.col, offset: t.offset }; }

  fail(msg: string, t: Token = this.peek()): never { throw new SyntaxError_(msg, t.line, t.col); }
  unsupported(construct: string, t: Token = this.peek()): never {
    throw new SyntaxError_(`unsupported construct: ${construct}`, t.line, t.col, true, construct);
  }
  isSym(v: string, k = 0): boolean { const t = this.peek(k); return t.t === 'sym' && t.v === v; }
  isIdent(v: string, k = 0): boolean { const t = this.peek(k); return t.t === 'ident' && t.v === v; }
  expectSym(v: string): Token {
    if (!this.isSym(v)) this.fail(`expected '${v}'${this.peek().t === 'eof' ? ' before end of input' : `, found '${this.peek().v}'`}`);
    return this.next();
  }
  expectIdent(v?: string): Token {
    const t = this.peek();
    if (t.t !== 'ident' || (v !== undefined && t.v !== v) || (v === undefined && KEYWORDS.has(t.v))) this.fail(v ? `expected '${v}'` : `expected a name, found '${t.v || 'end of input'}'`);
    return this.next();
  }

  /** Layout: a token on a new line at or left of `stopCol` ends the current term/tactic. */
  private stopCol = -1;
  private layoutStop(t: Token = this.peek()): boolean {
    return t.t === 'eof' || (t.nl && t.col <= this.stopCol);
  }
  withStop<T>(col: number, f: () => T): T {
    const old = this.stopCol;
    this.stopCol = col;
    try { return f(); } finally { this.stopCol = old; }
  }

  // ------------------------------------------------------------ terms

  /**
   * Operator precedence with an explicit stack: binary connectives, `¬` and parentheses (the
   * only constructs that nest thousands deep in practice, e.g. ILTP's pigeonhole formulas) never
   * recurse, so nesting depth is bounded by memory, not by the call stack. Everything else
   * (binders, applications, `⟨..⟩`) is parsed by `parseLeading`.
   */
  parseExpr(minPrec = 0): Expr {
    const stack: ExprFrame[] = [];
    const stop0 = this.stopCol;
    let min = minPrec;
    try {
      for (;;) {
        // Prefixes: `¬` and `(` open a frame; the operand is parsed at their precedence.
        let t = this.peek();
        while (t.t === 'sym' && (t.v === '¬' || (t.v === '(' && !this.isSym(')', 1)))) {
          this.next();
          if (t.v === '¬') { stack.push({ k: 'not', pos: this.posOf(t), min }); min = 40; }
          else { stack.push({ k: 'paren', pos: this.posOf(t), min, stop: this.stopCol }); this.stopCol = -1; min = 0; }
          t = this.peek();
        }
        let lhs = this.parseLeading();
        // Infix operators, and closing frames once the operator binds less than the frame needs.
        for (;;) {
          const op = this.peek();
          const inf = this.layoutStop(op) || op.t !== 'sym' ? undefined : INFIX[op.v];
          if (inf === undefined && op.t === 'sym' && !this.layoutStop(op)) {
            const u = UNSUPPORTED_INFIX[op.v];
            if (u !== undefined && !STOP_SYMS.has(op.v)) this.unsupported(u, op);
          }
          if (inf !== undefined && inf.prec >= min) {
            this.next();
            stack.push({ k: 'op', lhs, op, min });
            min = inf.rhs;
            break;
          }
          const f = stack.pop();
          if (f === undefined) return lhs;
          min = f.min;
          if (f.k === 'not') { lhs = { k: 'not', arg: lhs, pos: f.pos }; continue; }
          if (f.k === 'op') {
            lhs = { k: 'binop', op: f.op.v, lhs: f.lhs, rhs: lhs, pos: this.posOf(f.op) };
            const prec = INFIX[f.op.v]!.prec;
            if (prec === 20 || prec === 50) {
              // Non-associative: `a = b = c` is not Lean syntax.
              const t2 = this.peek();
              if (!this.layoutStop(t2) && t2.t === 'sym' && INFIX[t2.v]?.prec === prec) this.fail(`ambiguous, possible syntax error: '${t2.v}' after '${f.op.v}'`, t2);
            }
            continue;
          }
          // A parenthesised term, then (as any argument) projections and application arguments.
          if (this.isSym(':')) {
            this.next();
            const type = this.parseExpr(0);
            this.expectSym(')');
            lhs = { k: 'ascribe', e: lhs, type, pos: f.pos };
          } else {
            if (this.isSym(',')) this.unsupported('tuples', this.peek());
            this.expectSym(')');
          }
          this.stopCol = f.stop;
          lhs = this.appArgs(this.postfix(lhs), f.pos);
        }
      }
    } finally {
      this.stopCol = stop0;
    }
  }

  private canStartArg(t: Token): boolean {
    if (this.layoutStop(t)) return false;
    if (t.t === 'ident') return !KEYWORDS.has(t.v) || t.v === 'fun' || t.v === 'by';
    if (t.t === 'num') return true;
    return t.t === 'sym' && (t.v === '(' || t.v === '⟨' || t.v === '_' || t.v === '?_' || t.v === '@' || t.v === '¬' || t.v === '∀' || t.v === '∃' || t.v === 'fun');
  }

  private parseLeading(): Expr {
    const t = this.peek();
    const pos = this.posOf(t);
    if (t.t === 'sym') {
      switch (t.v) {
        case '∀': case '∃': {
          this.next();
          const binders = this.parseBinders(true);
          this.expectSym(',');
          return { k: t.v === '∀' ? 'forall' : 'exists', binders, body: this.parseExpr(0), pos };
        }
        case 'fun': return this.parseFun();
        default: break;
      }
    }
    if (t.t === 'ident' && t.v === 'fun') return this.parseFun();
    if (t.t === 'ident' && t.v === 'by') {
      this.next();
      const tactics = this.parseTacticBlockInline();
      return { k: 'by', tactics, pos };
    }
    return this.appArgs(this.parseArg(), pos);
  }

  /** Application arguments after the function `fn`. */
  private appArgs(fn: Expr, pos: Pos): Expr {
    const args: Arg[] = [];
    while (this.canStartArg(this.peek())) {
      const a = this.peek();
      if (a.t === 'sym' && (a.v === '¬' || a.v === '∀' || a.v === '∃')) this.fail(`'${a.v}' as a function argument needs parentheses`, a);
      if (a.t === 'sym' && a.v === '(' && this.peek(1).t === 'ident' && this.isSym(':=', 2)) {
        this.next();
        const name = this.next().v;
        this.next();
        const e = this.parseExpr(0);
        this.expectSym(')');
        args.push({ named: name, e });
        continue;
      }
      if ((a.t === 'ident' && (a.v === 'fun' || a.v === 'by')) || (a.t === 'sym' && a.v === 'fun')) { args.push({ e: this.parseLeading() }); break; }
      args.push({ e: this.parseArg() });
    }
    return args.length === 0 ? fn : { k: 'app', fn, args, pos };
  }

  private parseFun(): Expr {
    const pos = this.posOf(this.next());
    const binders = this.parseBinders(false);
    if (binders.length === 0) this.fail('expected binder after fun');
    this.expectSym('=>');
    return { k: 'fun', binders, body: this.parseExpr(0), pos };
  }

  /** Binders of ∀/∃/fun: `x y : α`, `(x : α) (y : β)`, `{a : α}`, `_`. */
  parseBinders(allowBareTyped: boolean): Binder[] {
    const out: Binder[] = [];
    for (;;) {
      const t = this.peek();
      if (t.t === 'sym' && (t.v === '(' || t.v === '{')) {
        if (t.v === '(' && this.peek(1).t !== 'ident' && !this.isSym('_', 1)) break;
        const close = t.v === '(' ? ')' : '}';
        this.next();
        const names = this.parseBinderNames();
        let type: Expr | undefined;
        if (this.isSym(':')) { this.next(); type = this.parseExpr(0); }
        this.expectSym(close);
        out.push({ names, type, implicit: close === '}' });
        continue;
      }
      if (t.t === 'sym' && t.v === '⟨') {
        if (allowBareTyped) this.unsupported('pattern-matching binder', t);
        out.push({ names: ['_'], implicit: false, pat: this.parseRPatAtom() });
        continue;
      }
      if ((t.t === 'ident' && !KEYWORDS.has(t.v)) || (t.t === 'sym' && t.v === '_')) {
        const names = this.parseBinderNames();
        let type: Expr | undefined;
        if (this.isSym(':')) { this.next(); type = this.parseExpr(0); }
        out.push({ names, type, implicit: false });
        if (type !== undefined || !allowBareTyped) { if (type !== undefined) break; continue; }
        continue;
      }
      break;
    }
    return out;
  }
  private parseBinderNames(): string[] {
    const names: string[] = [];
    for (;;) {
      const t = this.peek();
      if (t.t === 'ident' && !KEYWORDS.has(t.v)) {
        if (t.v.includes('.')) this.fail(`invalid binder name '${t.v}'`, t);
        names.push(this.next().v);
      } else if (t.t === 'sym' && t.v === '_') { this.next(); names.push('_'); }
      else break;
    }
    if (names.length === 0) this.fail('expected a binder name');
    return names;
  }

  /** An argument: identifier, numeral, parenthesised term, anonymous constructor, hole; then `.field` projections. */
  parseArg(): Expr {
    const t = this.peek();
    const pos = this.posOf(t);
    let e: Expr;
    if (t.t === 'ident') {
      if (KEYWORDS.has(t.v)) this.fail(`unexpected keyword '${t.v}'`, t);
      this.next();
      if (t.v === 'Prop') e = { k: 'sort', level: 0, pos };
      else if (t.v === 'Type') e = { k: 'sort', level: 1, pos };
      else if (t.v === 'Sort') this.unsupported('Sort universes', t);
      else e = { k: 'ident', name: t.v, pos };
    } else if (t.t === 'num') {
      this.next();
      e = { k: 'num', value: Number(t.v), pos };
    } else if (t.t === 'sym' && t.v === '(') {
      this.next();
      if (this.isSym(')')) this.unsupported('unit value ()', t);
      const inner = this.withStop(-1, () => this.parseExpr(0));
      if (this.isSym(':')) {
        this.next();
        const type = this.withStop(-1, () => this.parseExpr(0));
        this.expectSym(')');
        e = { k: 'ascribe', e: inner, type, pos };
      } else {
        if (this.isSym(',')) this.unsupported('tuples', this.peek());
        this.expectSym(')');
        e = inner;
      }
    } else if (t.t === 'sym' && t.v === '⟨') {
      this.next();
      const elems: Expr[] = [];
      this.withStop(-1, () => {
        if (!this.isSym('⟩')) {
          for (;;) {
            elems.push(this.parseExpr(0));
            if (this.isSym(',')) { this.next(); continue; }
            break;
          }
        }
        this.expectSym('⟩');
      });
      e = { k: 'anon', elems, pos };
    } else if (t.t === 'sym' && t.v === '_') {
      this.next();
      e = { k: 'hole', pos };
    } else if (t.t === 'sym' && t.v === '?_') {
      this.next();
      e = { k: 'synth', pos };
    } else if (t.t === 'sym' && t.v === '@') {
      this.next();
      const id = this.expectIdent();
      e = { k: 'explicit', name: id.v, pos };
    } else if (t.t === 'eof') {
      this.fail('unexpected end of input, expected a term', t);
    } else {
      const u = UNSUPPORTED_INFIX[t.v];
      if (u !== undefined) this.unsupported(u, t);
      this.fail(`unexpected '${t.v}', expected a term`, t);
    }
    return this.postfix(e);
  }

  /** Postfix projections: `(h x).mp`; `h.1` is lexed as one identifier. */
  private postfix(e: Expr): Expr {
    for (;;) {
      const d = this.peek();
      if (d.t === 'sym' && d.v === '·' && !d.ws) {
        const f = this.peek(1);
        if ((f.t === 'ident' || f.t === 'num') && !f.ws) {
          this.next(); this.next();
          for (const part of f.v.split('.')) e = { k: 'proj', e, field: part, pos: this.posOf(f) };
          continue;
        }
      }
      break;
    }
    return e;
  }

  // ------------------------------------------------------------ tactics

  /** A tactic block that starts at the next token and continues on lines at that token's column. */
  parseTacticBlock(): Tactic[] {
    const first = this.peek();
    if (first.t === 'eof') this.fail('expected a tactic', first);
    const col = first.col;
    const out: Tactic[] = [];
    for (;;) {
      const t = this.peek();
      if (t.t === 'eof' || (t.nl && t.col < col) || (t.nl && t.col <= this.stopCol)) break;
      if (out.length > 0 && !(t.nl && t.col === col)) break;
      this.parseTacticSeqOnLine(out, col);
    }
    return out;
  }

  /** `by tac; tac` inside a term: a block whose tactics must sit right of the current layout column. */
  parseTacticBlockInline(): Tactic[] {
    const t = this.peek();
    if (t.nl) return this.withStop(this.stopCol, () => this.parseTacticBlock());
    const out: Tactic[] = [];
    const col = t.col;
    this.withStop(this.stopCol, () => this.parseTacticSeqOnLine(out, col));
    return out;
  }

  private parseTacticSeqOnLine(out: Tactic[], col: number): void {
    for (;;) {
      out.push(this.withStop(col, () => this.parseTacticThen()));
      if (this.isSym(';') && !this.layoutStop()) { this.next(); continue; }
      break;
    }
  }

  private parseTacticThen(): Tactic {
    const first = this.parseTactic();
    if (this.isSym('<;>') && !this.layoutStop()) {
      this.next();
      const rest = this.parseTacticThen();
      return { k: 'then', first, rest, pos: first.pos, text: this.text.slice(first.pos.offset, this.prevEnd()) };
    }
    return first;
  }

  private prevEnd(): number { return this.toks[Math.max(0, this.i - 1)]!.end; }

  parseTactic(): Tactic {
    const t = this.peek();
    const pos = this.posOf(t);
    const body = this.parseTacticBody(t);
    return { ...body, pos, text: this.text.slice(t.offset, this.prevEnd()) } as Tactic;
  }

  private nestedBlock(): Tactic[] {
    // The block after `·`, `=>`: its column is that of its first token.
    const t = this.peek();
    if (this.layoutStop(t)) this.fail('expected a tactic block', t);
    const col = t.col;
    const out: Tactic[] = [];
    this.withStop(this.stopCol, () => {
      this.parseTacticSeqOnLine(out, col);
      for (;;) {
        const u = this.peek();
        if (u.t === 'eof' || !u.nl || u.col !== col || u.col <= this.stopCol) break;
        this.parseTacticSeqOnLine(out, col);
      }
    });
    return out;
  }

  private termArg(): Expr { return this.parseExpr(0); }

  private names(): string[] {
    const out: string[] = [];
    while (!this.layoutStop() && (this.peek().t === 'ident' && !KEYWORDS.has(this.peek().v) || this.isSym('_'))) {
      const t = this.next();
      out.push(t.t === 'sym' ? '_' : t.v);
    }
    return out;
  }

  private parseTacticBody(t: Token): TacticBody {
    if (t.t === 'sym') {
      if (t.v === '·') { this.next(); return { k: 'focus', tactics: this.nestedBlock() }; }
      if (t.v === '(') {
        this.next();
        const tactics = this.withStop(-1, () => { const out: Tactic[] = []; this.parseTacticSeqOnLine(out, this.peek().col); while (this.peek().nl && !this.isSym(')')) this.parseTacticSeqOnLine(out, this.peek().col); return out; });
        this.expectSym(')');
        return { k: 'paren', tactics };
      }
      this.fail(`expected a tactic, found '${t.v}'`, t);
    }
    if (t.t !== 'ident') this.fail(`expected a tactic, found '${t.v || 'end of input'}'`, t);
    this.next();
    switch (t.v) {
      case 'intro': case 'rintro': {
        const pats: RPat[] = [];
        while (!this.layoutStop() && !this.isSym(';') && !this.isSym('<;>') && !this.isSym(')') && !this.isSym('|')) pats.push(this.parseRPatAtom());
        return { k: 'intro', pats };
      }
      case 'intros': return { k: 'intros', names: this.names() };
      case 'exact': return { k: 'exact', e: this.termArg() };
      case 'apply': return { k: 'apply', e: this.termArg() };
      case 'refine': return { k: 'refine', e: this.termArg() };
      case 'exists': {
        const es: Expr[] = [this.termArg()];
        while (this.isSym(',')) { this.next(); es.push(this.termArg()); }
        return { k: 'exists', es };
      }
      case 'constructor': case 'left': case 'right': case 'exfalso': case 'assumption': case 'contradiction': case 'trivial':
      case 'rfl': case 'decide': case 'omega': case 'sorry': case 'skip': case 'done':
        return { k: 'simple', name: t.v };
      case 'rcases': {
        const e = this.termArg();
        let pat: RPat = { k: 'name', name: '_' };
        if (this.isIdent('with')) { this.next(); pat = this.parseRPat(); }
        return { k: 'rcases', e, pat };
      }
      case 'obtain': {
        const pat = this.parseRPat();
        let type: Expr | undefined, e: Expr | undefined;
        if (this.isSym(':')) { this.next(); type = this.termArg(); }
        if (this.isSym(':=')) { this.next(); e = this.termArg(); }
        return { k: 'obtain', pat, type, e };
      }
      case 'cases': case 'induction': {
        const e = this.termArg();
        if (this.isIdent('using')) this.unsupported(`${t.v} ... using`);
        let generalizing: string[] | undefined;
        if (this.isIdent('generalizing')) {
          this.next();
          generalizing = [];
          while (!this.layoutStop() && this.peek().t === 'ident' && !KEYWORDS.has(this.peek().v)) generalizing.push(this.next().v);
          if (generalizing.length === 0) this.fail('expected names after generalizing');
        }
        const gen = generalizing ? { generalizing } : {};
        if (!this.isIdent('with')) return { k: t.v, e, ...gen };
        this.next();
        const arms: CaseArm[] = [];
        while (this.isSym('|') && !(this.peek().nl && this.peek().col < this.stopCol)) {
          const bar = this.next();
          const ctor = this.expectIdent().v;
          const names = this.names();
          this.expectSym('=>');
          const tactics = this.nestedBlock();
          arms.push({ ctor, names, tactics, pos: this.posOf(bar) });
        }
        if (arms.length === 0) this.fail(`expected '| ctor => ...' after '${t.v} ... with'`);
        return { k: t.v, e, arms, ...gen };
      }
      case 'have': {
        let name: string | undefined;
        if (this.peek().t === 'ident' && !KEYWORDS.has(this.peek().v)) name = this.next().v;
        else if (this.isSym('_')) { this.next(); }
        if (this.isSym('⟨')) this.unsupported('have with a pattern (use obtain)');
        let type: Expr | undefined, e: Expr | undefined;
        if (this.isSym(':')) { this.next(); type = this.termArg(); }
        if (this.isSym(':=')) { this.next(); e = this.termArg(); }
        if (type === undefined && e === undefined) this.fail('have needs a type or a value');
        return { k: 'have', name, type, e };
      }
      case 'show': case 'change': return { k: 'show', type: this.termArg() };
      case 'specialize': return { k: 'specialize', e: this.termArg() };
      case 'revert': case 'clear': return { k: t.v, names: this.names() };
      case 'by_cases': {
        let name: string | undefined;
        if (this.peek().t === 'ident' && this.isSym(':', 1)) { name = this.next().v; this.next(); }
        return { k: 'byCases', name, e: this.termArg() };
      }
      case 'rw': case 'rewrite': case 'rwa': {
        if (t.v === 'rwa') this.unsupported('rwa');
        const rules = this.parseRules();
        let at: string | undefined;
        if (this.isIdent('at')) {
          this.next();
          at = this.expectIdent().v;
          if (!this.layoutStop() && this.peek().t === 'ident' && !KEYWORDS.has(this.peek().v)) this.unsupported('rw at several locations');
        }
        return { k: 'rw', rules, at, rwOnly: t.v === 'rewrite' };
      }
      case 'simp': case 'simp_all': case 'simpa': case 'dsimp': case 'norm_num': {
        if (t.v !== 'simp') this.unsupported(t.v, t);
        let only = false;
        if (this.isIdent('only')) { this.next(); only = true; }
        const lemmas = this.isSym('[') ? this.parseRules() : [];
        let at: string[] | undefined;
        if (this.isIdent('at')) { this.next(); at = this.names(); }
        return { k: 'simp', only, lemmas, at };
      }
      case 'first': {
        const alts: Tactic[][] = [];
        while (this.isSym('|') && !this.layoutStop()) { this.next(); alts.push(this.nestedBlock()); }
        return { k: 'first', alts };
      }
      case 'all_goals': case 'any_goals': case 'repeat': case 'try': {
        const tactics = this.nestedBlock();
        const k = t.v === 'all_goals' ? 'allGoals' : t.v === 'any_goals' ? 'anyGoals' : t.v;
        return { k: k as 'allGoals', tactics };
      }
      case 'case': case 'next': {
        const tag = t.v === 'case' ? this.expectIdent().v : '';
        const names = this.names();
        this.expectSym('=>');
        return { k: 'case', tag, names, tactics: this.nestedBlock() };
      }
      case 'unfold': {
        const names = this.names();
        let at: string | undefined;
        if (this.isIdent('at')) { this.next(); at = this.expectIdent().v; }
        return { k: 'unfold', names, at };
      }
      default:
        this.unsupported(`tactic '${t.v}'`, t);
    }
  }

  private parseRules(): RwRule[] {
    this.expectSym('[');
    const rules: RwRule[] = [];
    this.withStop(-1, () => {
      if (!this.isSym(']')) {
        for (;;) {
          let rev = false;
          if (this.isSym('←')) { this.next(); rev = true; }
          rules.push({ rev, e: this.parseExpr(0) });
          if (this.isSym(',')) { this.next(); continue; }
          break;
        }
      }
      this.expectSym(']');
    });
    return rules;
  }

  parseRPat(): RPat {
    const alts: RPat[] = [this.parseRPatAtom()];
    while (this.isSym('|') && !this.layoutStop()) { this.next(); alts.push(this.parseRPatAtom()); }
    return alts.length === 1 ? alts[0]! : { k: 'alts', alts };
  }
  private parseRPatAtom(): RPat {
    const t = this.peek();
    if (t.t === 'sym' && t.v === '⟨') {
      this.next();
      const elems: RPat[] = [];
      this.withStop(-1, () => {
        if (!this.isSym('⟩')) {
          for (;;) { elems.push(this.parseRPat()); if (this.isSym(',')) { this.next(); continue; } break; }
        }
        this.expectSym('⟩');
      });
      return { k: 'tuple', elems };
    }
    if (t.t === 'sym' && t.v === '(') {
      this.next();
      const p = this.withStop(-1, () => {
        const inner = this.parseRPat();
        if (this.isSym(':')) { this.next(); return { k: 'typed', pat: inner, type: this.parseExpr(0) } as RPat; }
        return inner;
      });
      this.expectSym(')');
      return p;
    }
    if (t.t === 'sym' && t.v === '_') { this.next(); return { k: 'name', name: '_' }; }
    if (t.t === 'sym' && t.v === '-') { this.next(); return { k: 'clear' }; }
    if (t.t === 'ident' && t.v === 'rfl') { this.next(); return { k: 'rfl' }; }
    if (t.t === 'ident' && !KEYWORDS.has(t.v)) {
      if (t.v.includes('.')) this.fail(`invalid pattern name '${t.v}'`, t);
      this.next();
      return { k: 'name', name: t.v };
    }
    this.fail(`expected a pattern, found '${t.v || 'end of input'}'`, t);
  }
}

/** Parses a complete tactic text (one tactic or a block), as given to `tryTactic`. */
export function parseTactics(text: string): Tactic[] {
  const p = Parser.of(text);
  const out = p.parseTacticBlock();
  if (!p.atEof()) p.fail(`unexpected '${p.peek().v}' after tactic`);
  return out;
}

/** Parses a term on its own (for tests and statements given as text). */
export function parseTerm(text: string): Expr {
  const p = Parser.of(text);
  const e = p.parseExpr(0);
  if (!p.atEof()) p.fail(`unexpected '${p.peek().v}' after term`);
  return e;
}
