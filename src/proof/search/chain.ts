/**
 * Backward chaining over the hypotheses (in the spirit of Lean's `solve_by_elim`): a goal is
 * closed by a hypothesis `∀ xs, A₁ → … → Aₙ → C` whose conclusion unifies with it, the premises
 * proved the same way, depth-bounded. Bound variables become metavariables that unification
 * fills (so `htrans x ?y x` finds its middle term from the premises); one left open is tried
 * with the variables of its type in context. The result is a proof *term* for `exact`, which the
 * environment checks like any other tactic: nothing here is trusted.
 *
 * The same machinery instantiates a hypothesis whose conclusion is `∃`/`∧`/`∨` for forward
 * reasoning (`obtain ⟨y, h⟩ := h1 x hx`).
 */
import { type Expr, printExpr, substVar } from './lean-expr.js';

export interface ChainHyp {
  readonly name: string;
  readonly e: Expr;
}

export interface ChainInput {
  readonly hyps: readonly ChainHyp[];
  /** Terms by the printed text of their type, for metavariables that unification leaves open. */
  readonly termsOfType: (type: string | null) => readonly string[];
  /** Names in use (for fresh binder names). */
  readonly names: ReadonlySet<string>;
}

export interface ChainOptions {
  readonly maxDepth?: number;
  /** Bound on unification attempts over the whole call. */
  readonly maxSteps?: number;
}

type Subst = ReadonlyMap<string, Expr>;
/** A proof term, printed once the substitution is final. */
type Pf = (s: Subst) => string;

type Item = { readonly k: 'var'; readonly name: string; readonly type: Expr | null } | { readonly k: 'prem'; readonly type: Expr } | { readonly k: 'proj'; readonly field: string };

interface Rule {
  readonly head: string;
  readonly items: readonly Item[];
  readonly concl: Expr;
}

const isMeta = (e: Expr): e is { k: 'var'; name: string } => e.k === 'var' && e.name.startsWith('?');

/** Rules from a hypothesis: its ∀/→ spine, and through ∧ and ↔ at the end, each projection. */
export function rulesOf(head: string, e: Expr): Rule[] {
  const out: Rule[] = [];
  const go = (t: Expr, items: Item[], depth: number): void => {
    if (depth > 8) return;
    if (t.k === 'quant' && t.q === '∀') {
      go(t.body, [...items, ...t.names.map((name) => ({ k: 'var' as const, name, type: t.type }))], depth);
      return;
    }
    if (t.k === 'bin' && t.op === '→') return go(t.r, [...items, { k: 'prem', type: t.l }], depth);
    if (t.k === 'not') {
      out.push({ head, items: [...items, { k: 'prem', type: t.a }], concl: { k: 'var', name: 'False' } });
      return;
    }
    out.push({ head, items, concl: t });
    if (t.k === 'bin' && t.op === '∧') {
      go(t.l, [...items, { k: 'proj', field: '1' }], depth + 1);
      go(t.r, [...items, { k: 'proj', field: '2' }], depth + 1);
    } else if (t.k === 'bin' && t.op === '↔') {
      go(t.r, [...items, { k: 'proj', field: 'mp' }, { k: 'prem', type: t.l }], depth + 1);
      go(t.l, [...items, { k: 'proj', field: 'mpr' }, { k: 'prem', type: t.r }], depth + 1);
    }
  };
  go(e, [], 0);
  return out;
}

function resolve(e: Expr, s: Subst): Expr {
  switch (e.k) {
    case 'var':
      if (isMeta(e)) {
        const v = s.get(e.name);
        return v === undefined ? e : resolve(v, s);
      }
      return e;
    case 'num':
      return e;
    case 'app':
      return { k: 'app', fn: resolve(e.fn, s), args: e.args.map((a) => resolve(a, s)) };
    case 'bin':
      return { k: 'bin', op: e.op, l: resolve(e.l, s), r: resolve(e.r, s) };
    case 'not':
      return { k: 'not', a: resolve(e.a, s) };
    case 'quant':
    case 'lam':
      return { ...e, type: e.type ? resolve(e.type, s) : null, body: resolve(e.body, s) };
    case 'ascr':
      return { k: 'ascr', e: resolve(e.e, s), type: resolve(e.type, s) };
    case 'tuple':
      return { k: 'tuple', items: e.items.map((a) => resolve(a, s)) };
  }
}

function occurs(name: string, e: Expr, s: Subst): boolean {
  const r = resolve(e, s);
  let found = false;
  const walk = (x: Expr): void => {
    if (found) return;
    if (x.k === 'var') found = x.name === name;
    else if (x.k === 'app') [x.fn, ...x.args].forEach(walk);
    else if (x.k === 'bin') [x.l, x.r].forEach(walk);
    else if (x.k === 'not') walk(x.a);
    else if (x.k === 'quant' || x.k === 'lam') walk(x.body);
    else if (x.k === 'tuple') x.items.forEach(walk);
    else if (x.k === 'ascr') walk(x.e);
  };
  walk(r);
  return found;
}

let binderCounter = 0;

/** First-order unification (metavariables are `?n` names); numerals meet `?m + c` by arithmetic. */
export function unify(a: Expr, b: Expr, s: Subst): Subst | null {
  if (isMeta(a)) {
    const v = s.get(a.name);
    if (v !== undefined) return unify(v, b, s);
  }
  if (isMeta(b)) {
    const v = s.get(b.name);
    if (v !== undefined) return unify(a, v, s);
  }
  if (isMeta(a) && isMeta(b) && a.name === b.name) return s;
  if (isMeta(a)) return occurs(a.name, b, s) ? null : new Map(s).set(a.name, b);
  if (isMeta(b)) return occurs(b.name, a, s) ? null : new Map(s).set(b.name, a);
  // `?m + c` against a numeral n ≥ c (Lean's `n + 1` patterns against literals).
  if (a.k === 'num' && b.k === 'bin' && b.op === '+' && b.r.k === 'num') return unifyNum(a, b, s);
  if (b.k === 'num' && a.k === 'bin' && a.op === '+' && a.r.k === 'num') return unifyNum(b, a, s);
  if (a.k !== b.k) return null;
  switch (a.k) {
    case 'var':
      return a.name === (b as typeof a).name ? s : null;
    case 'num':
      return a.value === (b as typeof a).value ? s : null;
    case 'app': {
      const bb = b as typeof a;
      if (a.args.length !== bb.args.length) return null;
      let cur: Subst | null = unify(a.fn, bb.fn, s);
      for (let i = 0; cur !== null && i < a.args.length; i++) cur = unify(a.args[i]!, bb.args[i]!, cur);
      return cur;
    }
    case 'bin': {
      const bb = b as typeof a;
      if (a.op !== bb.op) return null;
      const l = unify(a.l, bb.l, s);
      return l === null ? null : unify(a.r, bb.r, l);
    }
    case 'not':
      return unify(a.a, (b as typeof a).a, s);
    case 'quant':
    case 'lam': {
      const bb = b as typeof a;
      if (bb.k !== a.k || a.names.length !== bb.names.length || (a.k === 'quant' && bb.k === 'quant' && a.q !== bb.q)) return null;
      let cur: Subst | null = s;
      if (a.type !== null && bb.type !== null) cur = unify(a.type, bb.type, s);
      else if ((a.type === null) !== (bb.type === null)) return null;
      if (cur === null) return null;
      let ba = a.body;
      let bbody = bb.body;
      a.names.forEach((n, i) => {
        const fresh: Expr = { k: 'var', name: `#b${binderCounter++}` };
        ba = substVar(ba, n, fresh);
        bbody = substVar(bbody, bb.names[i]!, fresh);
      });
      return unify(ba, bbody, cur);
    }
    case 'ascr':
    case 'tuple':
      return printExpr(a) === printExpr(b) ? s : null;
  }
}

function unifyNum(n: Expr & { k: 'num' }, sum: Expr & { k: 'bin' }, s: Subst): Subst | null {
  const v = BigInt(n.value) - BigInt((sum.r as Expr & { k: 'num' }).value);
  if (v < 0n) return null;
  return unify({ k: 'num', value: v.toString() }, sum.l, s);
}

const paren = (t: string): string => (/^[\p{L}\p{N}_.'?✝]+$/u.test(t) || /^[(⟨]/.test(t) ? t : `(${t})`);

class Chainer {
  private steps = 0;
  private metaCounter = 0;
  private hypCounter = 0;
  constructor(
    private readonly input: ChainInput,
    private readonly maxSteps: number,
  ) {}

  private freshMeta(): Expr {
    return { k: 'var', name: `?m${this.metaCounter++}` };
  }
  private freshHyp(): string {
    for (;;) {
      const n = `hc${this.hypCounter++}`;
      if (!this.input.names.has(n)) return n;
    }
  }
  get exhausted(): boolean {
    return this.steps > this.maxSteps;
  }

  /** Proofs of `goal` from the rules, depth-bounded; yields substitutions with their proof. */
  *solve(goal: Expr, rules: readonly Rule[], depth: number, s: Subst): Generator<[Subst, Pf]> {
    if (depth <= 0 || this.exhausted) return;
    const g = resolve(goal, s);
    if (g.k === 'var' && g.name === 'True') {
      yield [s, () => 'trivial'];
      return;
    }
    if (g.k === 'bin' && g.op === '∧') {
      for (const [s1, p1] of this.solve(g.l, rules, depth, s)) for (const [s2, p2] of this.solve(g.r, rules, depth, s1)) yield [s2, (x) => `⟨${p1(x)}, ${p2(x)}⟩`];
      return;
    }
    if ((g.k === 'bin' && g.op === '→') || g.k === 'not') {
      const [a, b]: [Expr, Expr] = g.k === 'not' ? [g.a, { k: 'var', name: 'False' }] : [g.l, g.r];
      const h = this.freshHyp();
      const more = [...rulesOf(h, a), ...rules];
      for (const [s1, p] of this.solve(b, more, depth, s)) yield [s1, (x) => `fun ${h} => ${p(x)}`];
      return;
    }
    if (g.k === 'quant' && g.q === '∃' && g.names.length > 0) {
      const [first, ...rest] = g.names;
      const w = this.freshMeta();
      const body = substVar(rest.length === 0 ? g.body : { ...g, names: rest }, first!, w);
      for (const [s1, p] of this.solve(body, rules, depth, s)) {
        for (const s2 of this.close(w, g.type, s1)) yield [s2, (x) => `⟨${printExpr(resolve(w, x))}, ${p(x)}⟩`];
      }
      return;
    }
    if (g.k === 'bin' && g.op === '∨') {
      for (const [s1, p] of this.solve(g.l, rules, depth, s)) yield [s1, (x) => `Or.inl ${paren(p(x))}`];
      for (const [s1, p] of this.solve(g.r, rules, depth, s)) yield [s1, (x) => `Or.inr ${paren(p(x))}`];
      return;
    }
    if (g.k === 'bin' && g.op === '=') {
      this.steps++;
      const s1 = unify(g.l, g.r, s);
      if (s1 !== null) yield [s1, () => 'rfl'];
    }
    // Rules without premises first: they close goals without growing the search.
    const order = [...rules].sort((a, b) => premCount(a) - premCount(b));
    for (const r of order) {
      if (this.exhausted) return;
      if (premCount(r) > 0 && depth <= 1) continue;
      this.steps++;
      const metas = new Map<string, Expr>();
      const inst = (e: Expr): Expr => {
        let x = e;
        for (const [n, m] of metas) x = substVar(x, n, m);
        return x;
      };
      const items: ({ k: 'var'; m: Expr; type: Expr | null } | { k: 'prem'; type: Expr } | { k: 'proj'; field: string })[] = [];
      for (const it of r.items) {
        if (it.k === 'var') {
          const m = this.freshMeta();
          items.push({ k: 'var', m, type: it.type === null ? null : inst(it.type) });
          metas.set(it.name, m);
        } else if (it.k === 'prem') items.push({ k: 'prem', type: inst(it.type) });
        else items.push(it);
      }
      const s1 = unify(inst(r.concl), g, s);
      if (s1 === null) continue;
      yield* this.premises(r.head, items, 0, rules, depth - 1, s1, []);
    }
  }

  *premises(
    head: string,
    items: readonly ({ k: 'var'; m: Expr; type: Expr | null } | { k: 'prem'; type: Expr } | { k: 'proj'; field: string })[],
    i: number,
    rules: readonly Rule[],
    depth: number,
    s: Subst,
    pfs: readonly Pf[],
  ): Generator<[Subst, Pf]> {
    if (i === items.length) {
      // Variables unification left open: the terms of their type in context.
      const open = items.filter((it): it is { k: 'var'; m: Expr; type: Expr | null } => it.k === 'var');
      for (const s2 of this.closeAll(open, 0, s)) {
        yield [
          s2,
          (x) => {
            let cur = head;
            let pi = 0;
            for (const it of items) {
              if (it.k === 'var') cur = `${cur} ${paren(printExpr(resolve(it.m, x)))}`;
              else if (it.k === 'prem') cur = `${cur} ${paren(pfs[pi++]!(x))}`;
              else cur = `${paren(cur)}.${it.field}`;
            }
            return cur;
          },
        ];
      }
      return;
    }
    const it = items[i]!;
    if (it.k !== 'prem') {
      yield* this.premises(head, items, i + 1, rules, depth, s, pfs);
      return;
    }
    for (const [s1, p] of this.solve(it.type, rules, depth, s)) yield* this.premises(head, items, i + 1, rules, depth, s1, [...pfs, p]);
  }

  private *closeAll(open: readonly { m: Expr; type: Expr | null }[], i: number, s: Subst): Generator<Subst> {
    if (i === open.length) {
      yield s;
      return;
    }
    for (const s1 of this.close(open[i]!.m, open[i]!.type, s)) yield* this.closeAll(open, i + 1, s1);
  }

  /** A metavariable still open is tried with each term of its type. */
  private *close(m: Expr, type: Expr | null, s: Subst): Generator<Subst> {
    const r = resolve(m, s);
    if (!hasMeta(r)) {
      yield s;
      return;
    }
    if (!isMeta(r)) return;
    for (const t of this.input.termsOfType(type === null ? null : printExpr(resolve(type, s)))) {
      this.steps++;
      yield new Map(s).set(r.name, { k: 'var', name: t });
    }
  }
}

function premCount(r: Rule): number {
  let n = 0;
  for (const it of r.items) if (it.k === 'prem') n++;
  return n;
}

function hasMeta(e: Expr): boolean {
  switch (e.k) {
    case 'var':
      return isMeta(e);
    case 'num':
      return false;
    case 'app':
      return hasMeta(e.fn) || e.args.some(hasMeta);
    case 'bin':
      return hasMeta(e.l) || hasMeta(e.r);
    case 'not':
      return hasMeta(e.a);
    case 'quant':
    case 'lam':
      return (e.type !== null && hasMeta(e.type)) || hasMeta(e.body);
    case 'ascr':
      return hasMeta(e.e);
    case 'tuple':
      return e.items.some(hasMeta);
  }
}

function allRules(input: ChainInput): Rule[] {
  return input.hyps.flatMap((h) => rulesOf(h.name, h.e));
}

/** A proof term of `goal` by iterative deepening, or null. */
export function chainProve(input: ChainInput, goal: Expr, opts: ChainOptions = {}): string | null {
  const ch = new Chainer(input, opts.maxSteps ?? 2000);
  const rules = allRules(input);
  for (let d = 1; d <= (opts.maxDepth ?? 5); d++) {
    for (const [s, p] of ch.solve(goal, rules, d, new Map())) {
      const t = p(s);
      if (!t.includes('?')) return t;
    }
    if (ch.exhausted) break;
  }
  return null;
}

export interface ForwardStep {
  /** The instantiated hypothesis, as a term: `h1 x hx`. */
  readonly term: string;
  /** Its conclusion (an ∃, ∧ or ∨), instantiated. */
  readonly concl: Expr;
}

/**
 * Instances of a hypothesis `∀ xs, A₁ → … → C` with C an ∃, ∧ or ∨, at least one argument, and
 * every premise proved by chaining: the terms to destructure.
 */
export function forwardInstances(input: ChainInput, hyp: ChainHyp, opts: ChainOptions & { readonly max?: number } = {}): ForwardStep[] {
  const ch = new Chainer(input, opts.maxSteps ?? 600);
  const rules = allRules(input);
  const out: ForwardStep[] = [];
  const seen = new Set<string>();
  let spine = hyp.e;
  let vars = 0;
  let prems = 0;
  const items: ({ k: 'var'; m: Expr; type: Expr | null } | { k: 'prem'; type: Expr })[] = [];
  const metas: [string, Expr][] = [];
  const inst = (e: Expr): Expr => metas.reduce((x, [n, m]) => substVar(x, n, m), e);
  let metaN = 0;
  for (;;) {
    if (spine.k === 'quant' && spine.q === '∀') {
      for (const n of spine.names) {
        const m: Expr = { k: 'var', name: `?f${metaN++}` };
        items.push({ k: 'var', m, type: spine.type === null ? null : inst(spine.type) });
        metas.push([n, m]);
        vars++;
      }
      spine = spine.body;
    } else if (spine.k === 'bin' && spine.op === '→') {
      items.push({ k: 'prem', type: inst(spine.l) });
      prems++;
      spine = spine.r;
    } else break;
  }
  const concl = inst(spine);
  if (vars + prems === 0) return out;
  if (!((concl.k === 'quant' && concl.q === '∃') || (concl.k === 'bin' && (concl.op === '∧' || concl.op === '∨')))) return out;
  // Premises are proved with the other hypotheses only (no self-application loops).
  const others = rules.filter((r) => r.head !== hyp.name);
  for (const [s, pf] of ch.premises(hyp.name, items, 0, others, opts.maxDepth ?? 3, new Map(), [])) {
    const term = pf(s);
    if (term.includes('?') || seen.has(term)) continue;
    seen.add(term);
    out.push({ term, concl: resolve(concl, s) });
    if (out.length >= (opts.max ?? 3)) break;
  }
  return out;
}
