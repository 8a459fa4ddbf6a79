/**
 * Reads `.lean` files of the fragment: `theorem`/`lemma`/`example` declarations with tactic
 * (`:= by ...`) or term proofs, with positions and raw text spans so that `arbor prove` can
 * write proofs back in place. Anything else at top level is reported as unsupported, never
 * misread.
 */
import { Parser, SyntaxError_, lex, type Expr, type Tactic, type Token } from './syntax.js';

export interface HeaderBinder { readonly names: readonly string[]; readonly type: Expr; readonly implicit: boolean }

export interface Span { readonly start: number; readonly end: number }

export type ProofSyntax =
  | { readonly kind: 'tactics'; readonly tactics: readonly Tactic[] }
  | { readonly kind: 'term'; readonly term: Expr }
  | { readonly kind: 'sorry' };

export interface TheoremItem {
  readonly kind: 'theorem';
  readonly keyword: 'theorem' | 'lemma' | 'example';
  readonly name: string;
  readonly line: number;
  readonly column: number;
  readonly binders: readonly HeaderBinder[];
  readonly statement: Expr;
  /** Text from the keyword up to (excluding) `:=`, trimmed: a `TheoremSource.header`. */
  readonly header: string;
  readonly proof: ProofSyntax;
  /** The whole declaration, the header, and the proof after `:=` (`by ...` or the term). */
  readonly span: Span;
  readonly headerSpan: Span;
  readonly proofSpan: Span;
  readonly proofText: string;
  /** Values of `-- status: ...` comment lines directly above. */
  readonly status?: string;
}

export interface UnsupportedItem {
  readonly kind: 'unsupported';
  readonly construct: string;
  readonly message: string;
  readonly line: number;
  readonly column: number;
  readonly name?: string;
  readonly span: Span;
}

export interface ErrorItem {
  readonly kind: 'error';
  readonly message: string;
  readonly line: number;
  readonly column: number;
  readonly name?: string;
  readonly span: Span;
}

export type FileItem = TheoremItem | UnsupportedItem | ErrorItem;

export interface ParsedHeader {
  readonly keyword: 'theorem' | 'lemma' | 'example';
  readonly name: string;
  readonly binders: readonly HeaderBinder[];
  readonly statement: Expr;
}

function parseHeaderTokens(p: Parser): ParsedHeader {
  const kw = p.next();
  const keyword = kw.v as ParsedHeader['keyword'];
  let name = '_example';
  if (keyword !== 'example') name = p.expectIdent().v;
  if (p.isSym('.')) p.unsupported('universe parameters');
  const binders: HeaderBinder[] = [];
  for (;;) {
    const t = p.peek();
    if (t.t === 'sym' && (t.v === '(' || t.v === '{')) {
      const close = t.v === '(' ? ')' : '}';
      p.next();
      const names: string[] = [];
      while (p.peek().t === 'ident' || p.isSym('_')) {
        const n = p.next();
        names.push(n.t === 'sym' ? '_' : n.v);
      }
      if (names.length === 0) p.fail('expected binder names');
      p.expectSym(':');
      const type = p.withStop(-1, () => p.parseExpr(0));
      p.expectSym(close);
      binders.push({ names, type, implicit: close === '}' });
      continue;
    }
    if (t.t === 'sym' && t.v === '[') p.unsupported('instance binders');
    if (t.t === 'sym' && t.v === '⦃') p.unsupported('strict implicit binders');
    break;
  }
  p.expectSym(':');
  const statement = p.withStop(-1, () => p.parseExpr(0));
  return { keyword, name, binders, statement };
}

/** Parses `theorem NAME (binders) : STATEMENT` (text up to `:=`, which may be included). */
export function parseHeader(text: string): ParsedHeader {
  const p = Parser.of(text);
  const t = p.peek();
  if (!(t.t === 'ident' && (t.v === 'theorem' || t.v === 'lemma' || t.v === 'example'))) p.fail("expected 'theorem', 'lemma' or 'example'");
  const h = parseHeaderTokens(p);
  if (!p.atEof() && !p.isSym(':=')) p.fail(`unexpected '${p.peek().v}' after the statement`);
  return h;
}

const DECL_KEYWORDS = new Set(['theorem', 'lemma', 'example']);

/** Splits a file into top-level items (a new item starts at column 0). */
export function parseLeanFile(text: string): FileItem[] {
  let toks: Token[];
  try {
    toks = lex(text);
  } catch (e) {
    if (e instanceof SyntaxError_) return [{ kind: e.unsupported ? 'unsupported' : 'error', construct: e.construct ?? '', message: e.message, line: e.line, column: e.column, span: { start: 0, end: text.length } } as FileItem];
    throw e;
  }
  const starts: number[] = [];
  toks.forEach((t, i) => { if (t.t !== 'eof' && t.nl && t.col === 0) starts.push(i); });
  const items: FileItem[] = [];
  for (let s = 0; s < starts.length; s++) {
    const i0 = starts[s]!;
    const i1 = s + 1 < starts.length ? starts[s + 1]! : toks.length - 1;
    const first = toks[i0]!;
    const last = toks[i1 - 1]!;
    const span = { start: first.offset, end: last.end };
    const slice = [...toks.slice(i0, i1), { ...toks[toks.length - 1]!, offset: last.end, end: last.end }];
    if (first.t === 'ident' && (first.v === 'private' || first.v === 'protected' || first.v === 'noncomputable' || first.v === '@')) {
      items.push({ kind: 'unsupported', construct: first.v, message: `unsupported construct: '${first.v}' declarations`, line: first.line, column: first.col, span });
      continue;
    }
    if (!(first.t === 'ident' && DECL_KEYWORDS.has(first.v))) {
      const construct = first.t === 'ident' ? first.v : first.v;
      items.push({ kind: 'unsupported', construct, message: `unsupported construct: '${construct}' (only theorem, lemma and example declarations are read)`, line: first.line, column: first.col, span });
      continue;
    }
    const p = new Parser(text, slice);
    let name: string | undefined = first.v !== 'example' && slice[1]?.t === 'ident' ? slice[1].v : undefined;
    try {
      const h = parseHeaderTokens(p);
      name = h.name;
      const assign = p.peek();
      if (!(assign.t === 'sym' && assign.v === ':=')) {
        if (assign.t === 'ident' && assign.v === 'where' || assign.t === 'sym' && assign.v === '|') p.unsupported('equation-style definitions');
        p.fail(`expected ':=' after the statement, found '${assign.v || 'end of input'}'`);
      }
      const headerEnd = assign.offset;
      p.next();
      const proofTok = p.peek();
      if (proofTok.t === 'eof') p.fail('expected a proof after :=');
      let proof: ProofSyntax;
      if (proofTok.t === 'ident' && proofTok.v === 'by') {
        p.next();
        const tactics = p.withStop(0, () => p.parseTacticBlock());
        proof = tactics.length === 1 && tactics[0]!.k === 'simple' && tactics[0]!.name === 'sorry' ? { kind: 'sorry' } : { kind: 'tactics', tactics };
      } else if (proofTok.t === 'ident' && proofTok.v === 'sorry') {
        p.next();
        proof = { kind: 'sorry' };
      } else {
        const term = p.withStop(0, () => p.parseExpr(0));
        proof = { kind: 'term', term };
      }
      if (!p.atEof()) p.fail(`unexpected '${p.peek().v}' after the proof`);
      const status = statusAbove(text, first.offset);
      items.push({
        kind: 'theorem', keyword: h.keyword, name: h.name, line: first.line, column: first.col, binders: h.binders, statement: h.statement,
        header: text.slice(first.offset, headerEnd).trim(), proof, span, headerSpan: { start: first.offset, end: headerEnd },
        proofSpan: { start: proofTok.offset, end: span.end }, proofText: text.slice(proofTok.offset, span.end), ...(status !== undefined ? { status } : {}),
      });
    } catch (e) {
      if (!(e instanceof SyntaxError_)) {
        if (e instanceof RangeError) { items.push({ kind: 'unsupported', construct: 'deep nesting', message: 'unsupported: nesting too deep for the parser', line: first.line, column: first.col, span, ...(name ? { name } : {}) }); continue; }
        throw e;
      }
      if (e.unsupported) items.push({ kind: 'unsupported', construct: e.construct ?? '', message: e.message, line: e.line, column: e.column, span, ...(name ? { name } : {}) });
      else items.push({ kind: 'error', message: e.message, line: e.line, column: e.column, span, ...(name ? { name } : {}) });
    }
  }
  return items;
}

function statusAbove(text: string, offset: number): string | undefined {
  let end = text.lastIndexOf('\n', offset - 1);
  while (end > 0) {
    const start = text.lastIndexOf('\n', end - 1) + 1;
    const l = text.slice(start, end).trim();
    end = start - 1;
    if (!l.startsWith('--')) break;
    const m = /^--\s*status:\s*(.*)$/.exec(l);
    if (m) return m[1]!.trim();
  }
  return undefined;
}
