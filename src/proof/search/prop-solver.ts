/**
 * Propositional proof *producers*: they find a proof of a goal's propositional skeleton and write
 * it as a Lean tactic script, which the proof environment then checks like any other script.
 * Nothing here is trusted: a bug gives a script the kernel rejects, never a wrong "proved".
 *
 * - Intuitionistic: Dyckhoff's contraction-free calculus G4ip (terminating without loop checks),
 *   with every invertible rule applied eagerly and a failure memo on sequents; the only choices
 *   are ∨R (left/right) and the G4ip rule for a hypothesis `(C → D) → B`.
 * - Classical: a signed tableau in which every rule is invertible (no backtracking), written with
 *   `by_cases` on subformulas; each branch ends in a clash between `X` and `¬X`.
 *
 * Subformulas that are not propositional connectives (`P a`, `∀ x : α, ...`, `a = b`) are atoms,
 * compared by their printed text.
 */
import { type Expr, parseExpr } from './lean-expr.js';
import { FK, PropTable } from './prop-formula.js';
import { proveEquiv } from './prop-equiv.js';
import { removeDoubleNegations } from './prop-dn.js';
import { proveParityChain } from './prop-parity.js';
import { provePigeonhole } from './prop-pigeon.js';
import { pruneUnused } from './prop-prune.js';
import { chain, node, renderTactics, type PNode, type PStep } from './prop-proof.js';

export type { PNode, PStep } from './prop-proof.js';
export { renderTactics } from './prop-proof.js';
export { FK, PropTable } from './prop-formula.js';

// ---------------------------------------------------------------------------------------------
// Goals as sequents.

export interface SequentInput {
  readonly hyps: readonly { readonly name: string; readonly type: string }[];
  readonly target: string;
}

export interface Sequent {
  readonly table: PropTable;
  readonly hyps: readonly { readonly name: string; readonly f: number }[];
  readonly goal: number;
  /** Every name in the context (also data such as `x : α`), to keep fresh names fresh. */
  readonly taken: ReadonlySet<string>;
}

const TYPE_NAMES = new Set(['Prop', 'Type', 'Sort', 'Nat', 'Int', 'Bool', 'ℕ']);

/** True when an expression denotes a type (so a hypothesis of it is data, not a proof). */
function isTypeExpr(e: Expr, types: ReadonlySet<string>): boolean {
  if (e.k === 'var') return TYPE_NAMES.has(e.name) || types.has(e.name);
  if (e.k === 'app') return e.fn.k === 'var' && (e.fn.name === 'Sort' || e.fn.name === 'Type');
  if (e.k === 'bin' && e.op === '→') return isTypeExpr(e.l, types) && isTypeExpr(e.r, types);
  return false;
}

/** Reads a goal into a sequent; null when the target is not readable. Unreadable hypotheses are left out (sound: fewer assumptions). */
export function readSequent(input: SequentInput, table = new PropTable()): Sequent | null {
  const target = parseExpr(input.target);
  if (target === null) return null;
  const types = new Set<string>();
  const taken = new Set<string>();
  const hyps: { name: string; f: number }[] = [];
  for (const h of input.hyps) {
    taken.add(h.name);
    const e = parseExpr(h.type);
    if (e === null) continue;
    if (e.k === 'var' && (e.name === 'Type' || e.name === 'Prop')) {
      if (e.name === 'Type') types.add(h.name);
      continue;
    }
    if (e.k === 'app' && e.fn.k === 'var' && (e.fn.name === 'Type' || e.fn.name === 'Sort')) {
      types.add(h.name);
      continue;
    }
    if (isTypeExpr(e, types)) continue;
    // Inaccessible names (`h✝`) cannot be written in a script.
    if (!/^[\p{L}_][\p{L}\p{N}_']*$/u.test(h.name)) continue;
    hyps.push({ name: h.name, f: table.fromExpr(e) });
  }
  return { table, hyps, goal: table.fromExpr(target), taken };
}

// ---------------------------------------------------------------------------------------------
// Budgets.

export interface SolveLimits {
  /** Search nodes (rule applications at choice points) before giving up. */
  readonly maxNodes?: number;
  /** Wall-clock deadline (Date.now() value). */
  readonly deadline?: number;
}

class OutOfBudget extends Error {}

class Budget {
  nodes = 0;
  constructor(private readonly limits: SolveLimits) {}
  tick(): void {
    this.nodes++;
    if (this.limits.maxNodes !== undefined && this.nodes > this.limits.maxNodes) throw new OutOfBudget();
    if ((this.nodes & 15) === 0 && this.limits.deadline !== undefined && Date.now() > this.limits.deadline) throw new OutOfBudget();
  }
}

export type SolveOutcome =
  | { readonly kind: 'proved'; readonly proof: PNode; readonly tactics: string[]; readonly nodes: number; readonly classical: boolean }
  /** The procedure is complete: no proof of this skeleton exists (in this logic). */
  | { readonly kind: 'refuted'; readonly nodes: number }
  | { readonly kind: 'gaveUp'; readonly nodes: number };

class Names {
  private n = 0;
  constructor(private readonly taken: ReadonlySet<string>) {}
  fresh(base = 'h'): string {
    for (;;) {
      const name = `${base}_${++this.n}`;
      if (!this.taken.has(name)) return name;
    }
  }
}

// ---------------------------------------------------------------------------------------------
// G4ip.

/** `Or.inr (Or.inr (... t))`, k times. */
function orInr(k: number, t: string): string {
  let r = t;
  for (let i = 0; i < k; i++) r = `Or.inr ${paren(r)}`;
  return r;
}

/** Parenthesises an argument term unless it is a name or already bracketed. */
function paren(t: string): string {
  return /^[\p{L}_][\p{L}\p{N}_'.]*$/u.test(t) || t.startsWith('⟨') ? t : `(${t})`;
}

interface Hyp {
  readonly h: string;
  readonly f: number;
}

interface IState {
  /** Formulas available by name (never ones that an `obtain`/`rcases` has consumed). */
  readonly known: Map<number, string>;
  /** Implications whose antecedent is not (yet) available and is an atom or an implication. */
  pend: Hyp[];
  ors: Hyp[];
  todo: Hyp[];
}

function cloneI(s: IState): IState {
  return { known: new Map(s.known), pend: s.pend.slice(), ors: s.ors.slice(), todo: s.todo.slice() };
}

class G4ip {
  private readonly failed = new Set<string>();
  constructor(
    private readonly T: PropTable,
    private readonly names: Names,
    private readonly budget: Budget,
  ) {}

  /** Processes pending hypotheses with the invertible left rules. Returns a closing step on contradiction. */
  private saturate(st: IState, steps: PStep[]): PStep | null {
    const T = this.T;
    while (st.todo.length > 0) {
      const { h, f } = st.todo.pop()!;
      if (st.known.has(f)) continue;
      const k = T.kind[f]!;
      switch (k) {
        case FK.False:
          return { t: 'exact', term: `False.elim ${h}` };
        case FK.True:
          st.known.set(f, h);
          break;
        case FK.And:
        case FK.Iff: {
          const x = this.names.fresh();
          const y = this.names.fresh();
          steps.push({ t: 'obtain', h, x, y, iff: k === FK.Iff });
          if (k === FK.And) {
            st.todo.push({ h: y, f: T.b[f]! }, { h: x, f: T.a[f]! });
          } else {
            st.todo.push({ h: y, f: T.mk(FK.Imp, T.b[f]!, T.a[f]!) }, { h: x, f: T.mk(FK.Imp, T.a[f]!, T.b[f]!) });
          }
          break;
        }
        case FK.Or:
          if (!st.ors.some((o) => o.f === f)) st.ors.push({ h, f });
          break;
        case FK.Imp:
        case FK.Not: {
          st.known.set(f, h);
          const [A, B] = T.imp(f)!;
          this.addImp(st, steps, h, A, B);
          this.fire(st, steps, f, h);
          break;
        }
        default: {
          st.known.set(f, h);
          this.fire(st, steps, f, h);
        }
      }
    }
    // A formula may have become available that the goal needs: nothing more to do here.
    return null;
  }

  private fire(st: IState, steps: PStep[], f: number, hf: string): void {
    const T = this.T;
    if (st.pend.length === 0) return;
    const keep: Hyp[] = [];
    for (const p of st.pend) {
      const [A, B] = T.imp(p.f)!;
      if (A === f) {
        const hb = this.names.fresh();
        steps.push({ t: 'have', name: hb, type: null, term: `${p.h} ${hf}`, f: B });
        st.todo.push({ h: hb, f: B });
      } else keep.push(p);
    }
    st.pend = keep;
  }

  private addImp(st: IState, steps: PStep[], h: string, A: number, B: number): void {
    const T = this.T;
    if (st.known.has(B) || B === T.TRUE || A === T.FALSE) return;
    const ha = st.known.get(A);
    if (ha !== undefined) {
      const hb = this.names.fresh();
      steps.push({ t: 'have', name: hb, type: null, term: `${h} ${ha}`, f: B });
      st.todo.push({ h: hb, f: B });
      return;
    }
    const ka = T.kind[A]!;
    if (ka === FK.True) {
      const hb = this.names.fresh();
      steps.push({ t: 'have', name: hb, type: null, term: `${h} True.intro`, f: B });
      st.todo.push({ h: hb, f: B });
    } else if (ka === FK.And || ka === FK.Iff) {
      // (C ∧ D) → B  ~>  C → D → B ;  (C ↔ D) → B  ~>  (C → D) → (D → C) → B
      const C = T.a[A]!;
      const D = T.b[A]!;
      const c1 = ka === FK.And ? C : T.mk(FK.Imp, C, D);
      const c2 = ka === FK.And ? D : T.mk(FK.Imp, D, C);
      const f2 = T.mk(FK.Imp, c1, T.mk(FK.Imp, c2, B));
      const n = this.names.fresh();
      const x = this.names.fresh('x');
      const y = this.names.fresh('x');
      // Types are left to the kernel to infer: printing B at every step would make scripts quadratic.
      steps.push({ t: 'have', name: n, type: null, term: `fun (${x} : ${T.print(c1)}) (${y} : ${T.print(c2)}) => ${h} ⟨${x}, ${y}⟩`, f: f2 });
      st.todo.push({ h: n, f: f2 });
    } else if (ka === FK.Or) {
      // (C ∨ D) → B  ~>  C → B, D → B
      const C = T.a[A]!;
      const D = T.b[A]!;
      const f1 = T.mk(FK.Imp, C, B);
      const f2 = T.mk(FK.Imp, D, B);
      const n1 = this.names.fresh();
      const n2 = this.names.fresh();
      const x = this.names.fresh('x');
      steps.push({ t: 'have', name: n1, type: null, term: `fun (${x} : ${T.print(C)}) => ${h} (Or.inl ${x})`, f: f1 });
      steps.push({ t: 'have', name: n2, type: null, term: `fun (${x} : ${T.print(D)}) => ${h} (Or.inr ${x})`, f: f2 });
      st.todo.push({ h: n2, f: f2 }, { h: n1, f: f1 });
    } else {
      st.pend.push({ h, f: T.mk(FK.Imp, A, B) });
    }
  }

  private key(st: IState, goal: number): string {
    const ids = [...st.known.keys()];
    for (const o of st.ors) ids.push(-1 - o.f);
    ids.sort((x, y) => x - y);
    return `${goal}|${ids.join(',')}`;
  }

  /**
   * For a long disjunction goal `D0 ∨ (D1 ∨ ...)` about to be split under: lemmas `T_j → G` for
   * every s-th tail T_j (s ≈ √length), so that closing a branch with `Dk` costs a term of depth
   * ≤ s instead of k. The kernel's cost per `Or.inr` grows with the goal's size (pigeonhole: each
   * of thousands of branches ends in such a term). Unused lemmas are pruned later.
   */
  private readonly inject = new Map<number, { readonly tails: readonly number[]; readonly lemmas: ReadonlyMap<number, string> }>();

  private addInjections(goal: number, steps: PStep[]): boolean {
    const T = this.T;
    const tails: number[] = [goal];
    while (T.kind[tails[tails.length - 1]!] === FK.Or) tails.push(T.b[tails[tails.length - 1]!]!);
    if (tails.length < 16) return false;
    const s = Math.ceil(Math.sqrt(tails.length));
    const lemmas = new Map<number, string>();
    let prev = 0;
    for (let j = s; j < tails.length; j += s) {
      const name = this.names.fresh('inj');
      const x = this.names.fresh('x');
      const body = orInr(j - prev, x);
      const term = prev === 0 ? body : `${lemmas.get(prev)!} (${body})`;
      steps.push({ t: 'have', name, type: `${T.print(tails[j]!, 26)} → ${T.print(goal, 25)}`, term: `fun ${x} => ${term}` });
      lemmas.set(j, name);
      prev = j;
    }
    this.inject.set(goal, { tails, lemmas });
    return true;
  }

  /** `direct` for an injected goal: the first disjunct provable, through the nearest lemma. */
  private directInjected(st: IState, inj: { tails: readonly number[]; lemmas: ReadonlyMap<number, string> }, memo: Map<number, string | null>): string | null {
    const T = this.T;
    const { tails, lemmas } = inj;
    const s = lemmas.size === 0 ? tails.length : Math.min(...lemmas.keys());
    for (let i = 0; i < tails.length; i++) {
      const last = i === tails.length - 1;
      const d = this.direct(st, last ? tails[i]! : T.a[tails[i]!]!, memo);
      if (d === null) continue;
      const inner = last ? d : `Or.inl ${paren(d)}`;
      const j = Math.floor(i / s) * s;
      const lemma = j === 0 ? undefined : lemmas.get(j);
      if (lemma === undefined) return orInr(i, inner);
      return `${lemma} ${paren(orInr(i - j, inner))}`;
    }
    return null;
  }

  /** A term proving `f` by ∧/∨ introductions from the known facts, or null. */
  private direct(st: IState, f: number, memo: Map<number, string | null>): string | null {
    const T = this.T;
    const m = memo.get(f);
    if (m !== undefined) return m;
    let r: string | null = st.known.get(f) ?? st.ors.find((o) => o.f === f)?.h ?? null;
    const inj = r === null ? this.inject.get(f) : undefined;
    if (inj !== undefined) r = this.directInjected(st, inj, memo);
    else if (r === null) {
      const k = T.kind[f]!;
      if (k === FK.True) r = 'True.intro';
      else if (k === FK.And) {
        const a = this.direct(st, T.a[f]!, memo);
        const b = a === null ? null : this.direct(st, T.b[f]!, memo);
        if (a !== null && b !== null) r = `⟨${a}, ${b}⟩`;
      } else if (k === FK.Or) {
        const a = this.direct(st, T.a[f]!, memo);
        if (a !== null) r = `Or.inl ${paren(a)}`;
        else {
          const b = this.direct(st, T.b[f]!, memo);
          if (b !== null) r = `Or.inr ${paren(b)}`;
        }
      }
    }
    memo.set(f, r);
    return r;
  }

  /** Backward-chaining distance to the goal of each formula, through the pending `A → B`. */
  private goalDistances(st: IState, goal: number): Map<number, number> {
    const T = this.T;
    const dist = new Map<number, number>();
    const queue: number[] = [];
    const want = (f: number, d: number): void => {
      if (dist.has(f)) return;
      dist.set(f, d);
      queue.push(f);
      const k = T.kind[f]!;
      if (k === FK.Or || k === FK.And) {
        want(T.a[f]!, d);
        want(T.b[f]!, d);
      }
    };
    want(goal, 0);
    for (let i = 0; i < queue.length; i++) {
      const f = queue[i]!;
      const d = dist.get(f)!;
      for (const p of st.pend) {
        const [A, B] = T.imp(p.f)!;
        if (B === f) want(A, d + 1);
      }
    }
    return dist;
  }

  /** How far a derived formula `B` is from helping with the goal (large when unrelated). */
  private headDist(B: number, dist: Map<number, number>, depth: number): number {
    const T = this.T;
    const d = dist.get(B);
    if (d !== undefined) return d;
    if (B === T.FALSE) return 1;
    if (depth > 8) return 1000;
    const k = T.kind[B]!;
    if (k === FK.And || k === FK.Or || k === FK.Iff) return Math.min(this.headDist(T.a[B]!, dist, depth + 1), this.headDist(T.b[B]!, dist, depth + 1));
    const imp = T.imp(B);
    if (imp !== null) return this.headDist(imp[1], dist, depth + 1) + 1;
    return 1000;
  }

  private depth = 0;

  prove(st: IState, goal: number): PNode | null {
    this.depth++;
    try {
      return this.proveAt(st, goal);
    } finally {
      this.depth--;
    }
  }

  private proveAt(st: IState, goal: number): PNode | null {
    const T = this.T;
    this.budget.tick();
    if (this.depth > 3000) throw new OutOfBudget();
    const steps: PStep[] = [];
    for (;;) {
      const imp = T.imp(goal);
      if (imp === null) break;
      const name = this.names.fresh();
      steps.push({ t: 'intro', name });
      st.todo.push({ h: name, f: imp[0] });
      goal = imp[1];
    }
    const close = this.saturate(st, steps);
    if (close) return chain(steps, node(close));
    if (goal === T.TRUE) return chain(steps, node({ t: 'trivial' }));
    const hg = st.known.get(goal) ?? st.ors.find((o) => o.f === goal)?.h;
    if (hg !== undefined) return chain(steps, node({ t: 'exact', term: hg }));
    const kg = T.kind[goal]!;
    if (kg === FK.Or || kg === FK.And) {
      // Close by ∧/∨ introductions from what is known, before splitting any disjunction: without
      // it every hypothesis disjunction is split first (n^(n+1) branches on pigeonhole formulas).
      const d = this.direct(st, goal, new Map());
      if (d !== null) return chain(steps, node({ t: 'exact', term: d }));
    }
    if (kg === FK.And || kg === FK.Iff) {
      const g1 = kg === FK.And ? T.a[goal]! : T.mk(FK.Imp, T.a[goal]!, T.b[goal]!);
      const g2 = kg === FK.And ? T.b[goal]! : T.mk(FK.Imp, T.b[goal]!, T.a[goal]!);
      const p1 = this.prove(cloneI(st), g1);
      if (p1 === null) return null;
      // Facts the first conjunct's proof derives before anything else depend only on the
      // context: hoist them above `constructor` so the second conjunct reuses them.
      let rest = p1;
      while ((rest.step.t === 'have' || rest.step.t === 'haveProof') && rest.step.f !== undefined && rest.kids.length === 1) {
        steps.push(rest.step);
        st.todo.push({ h: rest.step.name, f: rest.step.f });
        rest = rest.kids[0]!;
      }
      const p2 = this.prove(st, g2);
      if (p2 === null) return null;
      return chain(steps, node({ t: 'constructor' }, rest, p2));
    }
    if (st.ors.length > 0) {
      const injected = kg === FK.Or && !this.inject.has(goal) && this.addInjections(goal, steps);
      try {
        const o = st.ors.pop()!;
        const x = this.names.fresh();
        const y = this.names.fresh();
        const s1 = cloneI(st);
        s1.todo.push({ h: x, f: T.a[o.f]! });
        const p1 = this.prove(s1, goal);
        if (p1 === null) return null;
        st.todo.push({ h: y, f: T.b[o.f]! });
        const p2 = this.prove(st, goal);
        if (p2 === null) return null;
        return chain(steps, node({ t: 'cases', h: o.h, x, y }, p1, p2));
      } finally {
        if (injected) this.inject.delete(goal);
      }
    }
    const key = this.key(st, goal);
    if (this.failed.has(key)) return null;
    if (kg === FK.Or) {
      for (const side of [0, 1] as const) {
        const sub = side === 0 ? T.a[goal]! : T.b[goal]!;
        const p = this.prove(cloneI(st), sub);
        if (p !== null) return chain(steps, node({ t: side === 0 ? 'left' : 'right' }, p));
      }
    }
    // G4ip L→→: h : (C → D) → B. Left premise Γ, D → B, C ⊢ D; right premise Γ, B ⊢ G.
    // Try small antecedents first: they are the likeliest to be provable.
    const cands = st.pend.filter((p) => T.imp(T.imp(p.f)![0]) !== null);
    if (cands.length > 1) {
      // Goal-directed order: first those whose conclusion leads to the goal by backward chaining
      // through the pending implications (without it, families such as ILTP SYJ205 go exponential).
      const dist = this.goalDistances(st, goal);
      const score = new Map(cands.map((p) => [p, this.headDist(T.imp(p.f)![1], dist, 0) * 4096 + T.size(p.f)]));
      cands.sort((x, y) => score.get(x)! - score.get(y)!);
    }
    for (const p of cands) {
      const [A, B] = T.imp(p.f)!;
      const [C, D] = T.imp(A)!;
      const rest = st.pend.filter((q) => q !== p);
      const s1 = cloneI(st);
      s1.pend = rest.slice();
      // G4ip replaces the hypothesis; drop it so that the failure memo stays exact.
      s1.known.delete(p.f);
      const hdb = this.names.fresh();
      const c = this.names.fresh();
      const z = this.names.fresh('x');
      const fDB = T.mk(FK.Imp, D, B);
      s1.todo.push({ h: hdb, f: fDB });
      const left = this.prove(s1, T.mk(FK.Imp, C, D));
      if (left === null) continue;
      // The left proof starts by introducing C; name it as the term will.
      void c;
      const s2 = cloneI(st);
      s2.pend = rest.slice();
      s2.known.delete(p.f);
      const hb = this.names.fresh();
      s2.todo.push({ h: hb, f: B });
      const right = this.prove(s2, goal);
      if (right === null) {
        // The right premise is invertible (B ⊢ (C → D) → B), so Γ, B ⊢ G is at least as strong
        // as the conclusion: its failure means the conclusion fails, whatever else we try.
        break;
      }
      const leftWithDB = chain(
        [{ t: 'have', name: hdb, type: null, term: `fun (${z} : ${T.print(D)}) => ${p.h} (fun (_ : ${T.print(C)}) => ${z})` }],
        left,
      );
      return chain(steps, node({ t: 'haveProof', name: hb, type: null, fn: p.h, proof: leftWithDB, f: B }, right));
    }
    this.failed.add(key);
    return null;
  }
}

// ---------------------------------------------------------------------------------------------
// Classical signed tableau.

interface CState {
  /** Formulas known true, by the name of their proof. */
  readonly pos: Map<number, string>;
  /** Formulas known false: the name of a proof of `¬X`. */
  readonly neg: Map<number, string>;
  /** Signed formulas not yet expanded. */
  todo: { h: string; f: number; sign: boolean }[];
  /** Compound formulas waiting for a case split. */
  blocked: { h: string; f: number; sign: boolean }[];
}

function cloneC(s: CState): CState {
  return { pos: new Map(s.pos), neg: new Map(s.neg), todo: s.todo.slice(), blocked: s.blocked.slice() };
}

class Tableau {
  constructor(
    private readonly T: PropTable,
    private readonly names: Names,
    private readonly budget: Budget,
  ) {}

  /** A proof of `f` from the facts, if known (`¬X` is known when X is known false). */
  private getPos(st: CState, f: number): string | undefined {
    if (f === this.T.TRUE) return 'True.intro';
    const imp = this.T.imp(f);
    if (imp !== null && imp[1] === this.T.FALSE) return st.neg.get(imp[0]);
    return st.pos.get(f);
  }

  /** A proof of `¬f` from the facts, if known. */
  private getNeg(st: CState, f: number): string | undefined {
    if (f === this.T.FALSE) return '(fun x => x)';
    const n = st.neg.get(f);
    if (n !== undefined) return n;
    const imp = this.T.imp(f);
    if (imp !== null && imp[1] === this.T.FALSE) {
      const hx = st.pos.get(imp[0]);
      if (hx !== undefined) return `(fun x => x ${hx})`;
    }
    return undefined;
  }

  /** Adds `h : f` (sign true) or `h : ¬f` (sign false). */
  private add(st: CState, h: string, f: number, sign: boolean): void {
    const T = this.T;
    // `¬X` and `X → False` are negative facts about X.
    if (sign) {
      const imp = T.imp(f);
      if (imp !== null && imp[1] === T.FALSE) {
        st.todo.push({ h, f: imp[0], sign: false });
        return;
      }
    }
    st.todo.push({ h, f, sign });
  }

  /** Expands what can be expanded without splitting. Returns a closing step or null. */
  private saturate(st: CState, steps: PStep[]): PStep | null {
    const T = this.T;
    for (;;) {
      while (st.todo.length > 0) {
        const { h, f, sign } = st.todo.pop()!;
        const close = this.expand(st, steps, h, f, sign);
        if (close) return close;
      }
      // Re-examine blocked formulas: new facts may resolve them without a split.
      let progress = false;
      const still: CState['blocked'] = [];
      for (const b of st.blocked) {
        const r = this.resolve(st, steps, b.h, b.f, b.sign);
        if (r === 'closed') return this.lastClose!;
        if (r === 'done') progress = true;
        else still.push(b);
      }
      st.blocked = still;
      if (!progress && st.todo.length === 0) return null;
      void T;
    }
  }

  private lastClose: PStep | null = null;

  private expand(st: CState, steps: PStep[], h: string, f: number, sign: boolean): PStep | null {
    const T = this.T;
    const k = T.kind[f]!;
    if (sign && k === FK.Not) return this.expand(st, steps, h, T.a[f]!, false);
    if (sign) {
      if (st.pos.has(f)) return null;
      const hn = st.neg.get(f);
      if (hn !== undefined) return { t: 'exact', term: `absurd ${h} ${hn}` };
      if (k === FK.False) return { t: 'exact', term: `False.elim ${h}` };
      if (k === FK.True) return null;
      if (k === FK.And || k === FK.Iff) {
        // Projections, not `obtain`: the conjunction stays available by name (splits may need it).
        st.pos.set(f, h);
        const x = this.names.fresh();
        const y = this.names.fresh();
        steps.push({ t: 'have', name: x, type: null, term: `${h}.${k === FK.Iff ? 'mp' : '1'}` });
        steps.push({ t: 'have', name: y, type: null, term: `${h}.${k === FK.Iff ? 'mpr' : '2'}` });
        if (k === FK.And) {
          this.add(st, y, T.b[f]!, true);
          this.add(st, x, T.a[f]!, true);
        } else {
          this.add(st, y, T.mk(FK.Imp, T.b[f]!, T.a[f]!), true);
          this.add(st, x, T.mk(FK.Imp, T.a[f]!, T.b[f]!), true);
        }
        return null;
      }
      st.pos.set(f, h);
      if (k === FK.Or || k === FK.Imp) {
        st.blocked.push({ h, f, sign });
      }
      return null;
    }
    // Negative.
    if (st.neg.has(f)) return null;
    const hp = st.pos.get(f);
    if (hp !== undefined) return { t: 'exact', term: `absurd ${hp} ${h}` };
    if (k === FK.True) return { t: 'exact', term: `${h} True.intro` };
    if (k === FK.False) return null;
    st.neg.set(f, h);
    if (k === FK.Or) {
      const x = this.names.fresh();
      const y = this.names.fresh();
      const z = this.names.fresh('x');
      const A = T.a[f]!;
      const B = T.b[f]!;
      steps.push({ t: 'have', name: x, type: `¬${T.print(A, 40)}`, term: `fun ${z} => ${h} (Or.inl ${z})` });
      steps.push({ t: 'have', name: y, type: `¬${T.print(B, 40)}`, term: `fun ${z} => ${h} (Or.inr ${z})` });
      st.todo.push({ h: y, f: B, sign: false }, { h: x, f: A, sign: false });
      return null;
    }
    if (k === FK.And || k === FK.Imp || k === FK.Not || k === FK.Iff) st.blocked.push({ h, f, sign });
    return null;
  }

  /**
   * Tries to use a blocked compound given the facts so far: 'done' (used or useless), 'closed'
   * (this.lastClose set), or 'blocked' (needs a split).
   */
  private resolve(st: CState, steps: PStep[], h: string, f: number, sign: boolean): 'done' | 'closed' | 'blocked' {
    const T = this.T;
    const k = T.kind[f]!;
    const A = T.a[f]!;
    const B = k === FK.Not ? T.FALSE : T.b[f]!;
    const z = (): string => this.names.fresh('x');
    const closed = (s: PStep): 'closed' => {
      this.lastClose = s;
      return 'closed';
    };
    if (sign && k === FK.Or) {
      if (this.getPos(st, A) !== undefined || this.getPos(st, B) !== undefined) return 'done';
      const na = this.getNeg(st, A);
      const nb = this.getNeg(st, B);
      if (na !== undefined && nb !== undefined) {
        const x = z();
        const y = z();
        return closed({ t: 'exact', term: `Or.elim ${h} (fun ${x} => absurd ${x} ${na}) (fun ${y} => absurd ${y} ${nb})` });
      }
      return 'blocked';
    }
    if (sign && k === FK.Imp) {
      const ha = this.getPos(st, A);
      if (ha !== undefined) {
        const hb = this.names.fresh();
        steps.push({ t: 'have', name: hb, type: null, term: `${h} ${ha}` });
        this.add(st, hb, B, true);
        return 'done';
      }
      if (this.getNeg(st, A) !== undefined || this.getPos(st, B) !== undefined) return 'done';
      const nb = this.getNeg(st, B);
      if (nb !== undefined) {
        const hn = this.names.fresh();
        const x = z();
        steps.push({ t: 'have', name: hn, type: `¬${T.print(A, 40)}`, term: `fun ${x} => ${nb} (${h} ${x})` });
        st.todo.push({ h: hn, f: A, sign: false });
        return 'done';
      }
      return 'blocked';
    }
    if (!sign && (k === FK.Not || k === FK.Imp)) {
      // ¬(A → B): A holds and B fails. ¬¬A: A holds.
      const ha = this.getPos(st, A);
      const na = this.getNeg(st, A);
      if (na !== undefined) {
        const x = z();
        return closed({ t: 'exact', term: `${h} (fun ${x} => absurd ${x} ${na})` });
      }
      if (ha === undefined) return 'blocked';
      if (k === FK.Not) return 'done';
      if (this.getNeg(st, B) !== undefined) return 'done';
      const hb = this.getPos(st, B);
      if (hb !== undefined) return closed({ t: 'exact', term: `${h} (fun _ => ${hb})` });
      const hn = this.names.fresh();
      const x = z();
      const y = z();
      steps.push({ t: 'have', name: hn, type: `¬${T.print(B, 40)}`, term: `fun ${x} => ${h} (fun ${y} => ${x})` });
      st.todo.push({ h: hn, f: B, sign: false });
      return 'done';
    }
    if (!sign && k === FK.And) {
      const ha = this.getPos(st, A);
      const hb = this.getPos(st, B);
      if (this.getNeg(st, A) !== undefined || this.getNeg(st, B) !== undefined) return 'done';
      if (ha !== undefined && hb !== undefined) return closed({ t: 'exact', term: `${h} ⟨${ha}, ${hb}⟩` });
      if (ha !== undefined) {
        const hn = this.names.fresh();
        const x = z();
        steps.push({ t: 'have', name: hn, type: `¬${T.print(B, 40)}`, term: `fun ${x} => ${h} ⟨${ha}, ${x}⟩` });
        st.todo.push({ h: hn, f: B, sign: false });
        return 'done';
      }
      if (hb !== undefined) {
        const hn = this.names.fresh();
        const x = z();
        steps.push({ t: 'have', name: hn, type: `¬${T.print(A, 40)}`, term: `fun ${x} => ${h} ⟨${x}, ${hb}⟩` });
        st.todo.push({ h: hn, f: A, sign: false });
        return 'done';
      }
      return 'blocked';
    }
    if (!sign && k === FK.Iff) {
      const ha = this.getPos(st, A);
      const na = this.getNeg(st, A);
      const hb = this.getPos(st, B);
      const nb = this.getNeg(st, B);
      const x = z();
      if (ha !== undefined && hb !== undefined) return closed({ t: 'exact', term: `${h} ⟨fun _ => ${hb}, fun _ => ${ha}⟩` });
      if (na !== undefined && nb !== undefined)
        return closed({ t: 'exact', term: `${h} ⟨fun ${x} => absurd ${x} ${na}, fun ${x} => absurd ${x} ${nb}⟩` });
      if ((ha !== undefined && nb !== undefined) || (na !== undefined && hb !== undefined)) return 'done';
      if (ha !== undefined) {
        const hn = this.names.fresh();
        steps.push({ t: 'have', name: hn, type: `¬${T.print(B, 40)}`, term: `fun ${x} => ${h} ⟨fun _ => ${x}, fun _ => ${ha}⟩` });
        st.todo.push({ h: hn, f: B, sign: false });
        return 'done';
      }
      if (hb !== undefined) {
        const hn = this.names.fresh();
        steps.push({ t: 'have', name: hn, type: `¬${T.print(A, 40)}`, term: `fun ${x} => ${h} ⟨fun _ => ${hb}, fun _ => ${x}⟩` });
        st.todo.push({ h: hn, f: A, sign: false });
        return 'done';
      }
      return 'blocked';
    }
    return 'done';
  }

  /** The formula to split on for a blocked item, and whether one branch closes at once. */
  private splitOf(st: CState, b: { f: number; sign: boolean }): { on: number; cheap: boolean } {
    const T = this.T;
    const k = T.kind[b.f]!;
    if (b.sign && k === FK.Or) return { on: -1, cheap: false };
    if (!b.sign && (k === FK.Not || k === FK.Imp)) return { on: T.a[b.f]!, cheap: true };
    const A = T.a[b.f]!;
    // ¬(A ↔ B) with A decided waits for B (one of B's branches then closes).
    if (!b.sign && k === FK.Iff && (this.getPos(st, A) !== undefined || this.getNeg(st, A) !== undefined)) return { on: T.b[b.f]!, cheap: true };
    return { on: A, cheap: false };
  }

  private depth = 0;

  prove(st: CState): PNode | null {
    this.depth++;
    try {
      return this.proveAt(st);
    } finally {
      this.depth--;
    }
  }

  private proveAt(st: CState): PNode | null {
    const T = this.T;
    this.budget.tick();
    // Branches are at most as deep as the number of subformulas; deeper means a bug: give up.
    if (this.depth > 2000) throw new OutOfBudget();
    const steps: PStep[] = [];
    const close = this.saturate(st, steps);
    if (close) return chain(steps, node(close));
    if (st.blocked.length === 0) return null; // an open, fully expanded branch: a countermodel
    // Prefer splits where one side closes at once, then small formulas.
    let best = 0;
    let bestScore = Infinity;
    for (let i = 0; i < st.blocked.length; i++) {
      const b = st.blocked[i]!;
      const s = this.splitOf(st, b);
      const score = (s.cheap ? 0 : 1e6) + T.size(b.f);
      if (score < bestScore) {
        bestScore = score;
        best = i;
      }
    }
    const b = st.blocked[best]!;
    st.blocked.splice(best, 1);
    if (b.sign && T.kind[b.f] === FK.Or) {
      const x = this.names.fresh();
      const y = this.names.fresh();
      const s1 = cloneC(st);
      this.add(s1, x, T.a[b.f]!, true);
      const p1 = this.prove(s1);
      if (p1 === null) return null;
      this.add(st, y, T.b[b.f]!, true);
      const p2 = this.prove(st);
      if (p2 === null) return null;
      return chain(steps, node({ t: 'cases', h: b.h, x, y }, p1, p2));
    }
    const on = this.splitOf(st, b).on;
    st.blocked.push(b); // resolved after the split
    const hx = this.names.fresh();
    const s1 = cloneC(st);
    this.add(s1, hx, on, true);
    const p1 = this.prove(s1);
    if (p1 === null) return null;
    st.todo.push({ h: hx, f: on, sign: false });
    const p2 = this.prove(st);
    if (p2 === null) return null;
    return chain(steps, node({ t: 'byCases', name: hx, prop: T.print(on) }, p1, p2));
  }
}

export interface SolveOptions extends SolveLimits {
  /** Allow classical reasoning (by_cases on formulas). */
  readonly classical: boolean;
}

/**
 * Proves a sequent's propositional skeleton. Intuitionistic G4ip first (its proofs use no axiom);
 * when classical reasoning is allowed and G4ip fails or runs out, the classical tableau.
 */
export function solveSequent(seq: Sequent, opts: SolveOptions): SolveOutcome {
  const T = seq.table;
  const names = new Names(seq.taken);
  let nodes = 0;
  if (T.kind[seq.goal] === FK.Iff) {
    // Equivalences up to commuted sides: linear proofs where the searches below blow up.
    const fresh = (): string => names.fresh();
    const e = proveEquiv(T, T.a[seq.goal]!, T.b[seq.goal]!, false, fresh) ?? (opts.classical ? proveEquiv(T, T.a[seq.goal]!, T.b[seq.goal]!, true, fresh) : null);
    if (e !== null) {
      const p = chain(
        e.steps.map((x): PStep => ({ t: 'have', name: x.name, type: x.type, term: x.term })),
        node({ t: 'exact', term: e.result }),
      );
      const classical = e.steps.some((x) => x.term.includes('Classical.'));
      return { kind: 'proved', proof: p, tactics: renderTactics(p), nodes, classical };
    }
  }
  if (opts.classical) {
    const p = proveParityChain(T, seq.goal, () => names.fresh(), (statement) => {
      const lemma = readSequent({ hyps: [], target: statement });
      const r = lemma === null ? null : solveSequent(lemma, { classical: true, maxNodes: 100_000 });
      return r?.kind === 'proved' ? r.tactics : null;
    });
    if (p !== null) return { kind: 'proved', proof: p, tactics: renderTactics(p), nodes, classical: true };
  }
  const pigeon = provePigeonhole(T, seq.hyps, seq.goal, () => names.fresh());
  if (pigeon !== null) return { kind: 'proved', proof: pigeon, tactics: renderTactics(pigeon), nodes, classical: false };
  // Classical: G4ip first (compact, axiom-free proofs) with a quarter of the time, then G4ip on the
  // hypotheses with positive double negations removed with another quarter, then the tableau.
  const start = Date.now();
  const until = (frac: number): SolveLimits => {
    if (opts.deadline === undefined) return { maxNodes: Math.min(opts.maxNodes ?? Infinity, 2000) };
    return { ...(opts.maxNodes !== undefined ? { maxNodes: opts.maxNodes } : {}), deadline: start + Math.max(0, opts.deadline - start) * frac };
  };
  const first = runG4ip(T, names, seq.hyps, seq.goal, opts.classical ? until(0.25) : opts);
  nodes += first.nodes;
  if (first.proof !== null) return { kind: 'proved', proof: first.proof, tactics: renderTactics(first.proof), nodes, classical: false };
  if (!opts.classical) return { kind: first.refuted ? 'refuted' : 'gaveUp', nodes };
  const dn = removeDoubleNegations(T, seq.hyps, seq.goal, () => names.fresh());
  if (dn !== null) {
    const pigeonDn = provePigeonhole(T, dn.hyps, dn.goal, () => names.fresh());
    if (pigeonDn !== null) {
      const full = chain(dn.steps, pigeonDn);
      return { kind: 'proved', proof: full, tactics: renderTactics(full), nodes, classical: true };
    }
    const second = runG4ip(T, names, dn.hyps, dn.goal, until(0.5));
    nodes += second.nodes;
    if (second.proof !== null) {
      const full = pruneUnused(chain(dn.steps, second.proof));
      return { kind: 'proved', proof: full, tactics: renderTactics(full), nodes, classical: true };
    }
  }
  const budget = new Budget(opts);
  const tab = new Tableau(T, names, budget);
  const steps: PStep[] = [];
  let goal = seq.goal;
  const st: CState = { pos: new Map(), neg: new Map(), todo: [], blocked: [] };
  for (const h of seq.hyps) st.todo.push({ h: h.name, f: h.f, sign: true });
  // Introduce what can be introduced; then `by_cases` on the goal turns it into a hypothesis ¬G.
  for (;;) {
    const imp = T.imp(goal);
    if (imp === null) break;
    const name = names.fresh();
    steps.push({ t: 'intro', name });
    st.todo.push({ h: name, f: imp[0], sign: true });
    goal = imp[1];
  }
  // Normalise the pushed hypotheses' signs (¬X hypotheses are negative facts).
  st.todo = st.todo.flatMap((x) => {
    const imp = T.imp(x.f);
    return imp !== null && imp[1] === T.FALSE && x.sign ? [{ h: x.h, f: imp[0], sign: false }] : [x];
  });
  try {
    let p: PNode | null;
    if (goal === T.FALSE) {
      p = tab.prove(st);
    } else {
      const hg = names.fresh();
      const s1 = cloneC(st);
      s1.todo.push({ h: hg, f: goal, sign: false });
      const q = tab.prove(s1);
      p = q === null ? null : node({ t: 'byCases', name: hg, prop: T.print(goal) }, node({ t: 'exact', term: hg }), node({ t: 'exfalso' }, q));
    }
    nodes += budget.nodes;
    if (p === null) return { kind: 'refuted', nodes };
    const full = pruneUnused(chain(steps, p));
    return { kind: 'proved', proof: full, tactics: renderTactics(full), nodes, classical: true };
  } catch (e) {
    if (!(e instanceof OutOfBudget)) throw e;
    return { kind: 'gaveUp', nodes: nodes + budget.nodes };
  }
}

/** G4ip on one sequent: a pruned proof, or null with whether the search was complete (refuted). */
function runG4ip(
  T: PropTable,
  names: Names,
  hyps: readonly { readonly name: string; readonly f: number }[],
  goal: number,
  limits: SolveLimits,
): { proof: PNode | null; refuted: boolean; nodes: number } {
  const budget = new Budget(limits);
  const g = new G4ip(T, names, budget);
  const st: IState = { known: new Map(), pend: [], ors: [], todo: hyps.map((h) => ({ h: h.name, f: h.f })).reverse() };
  try {
    const p = g.prove(st, goal);
    return { proof: p === null ? null : pruneUnused(p), refuted: p === null, nodes: budget.nodes };
  } catch (e) {
    if (!(e instanceof OutOfBudget)) throw e;
    return { proof: null, refuted: false, nodes: budget.nodes };
  }
}

/** Convenience: read and solve a goal given as text. */
export function solveGoal(input: SequentInput, opts: SolveOptions): SolveOutcome | null {
  const seq = readSequent(input);
  return seq === null ? null : solveSequent(seq, opts);
}
