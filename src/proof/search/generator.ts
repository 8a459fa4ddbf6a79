/**
 * The tactic generator: candidate tactics for a proof state's first goal, from templates filled
 * with the names in context, each with a heuristic prior; and a heuristic value of a state. It
 * stands in for the learned policy/value until one exists (same shapes: actions + priors + value).
 *
 * A candidate may be a *macro*: several tactics applied as one search step. The propositional
 * solver's whole script is one such macro, so that on propositional structure the search is
 * complete and fast while every step is still an ordinary tactic the environment checks.
 */
import type { Goal, ProofState } from '../environment.js';
import { type ChainInput, chainProve, forwardInstances } from './chain.js';
import { foldNums, matchInstances } from './instances.js';
import { ringSteps } from './ring.js';
import { type Expr, parseExpr, printExpr, peelQuant, freeVars, substVar } from './lean-expr.js';
import { readSequent, solveSequent } from './prop-solver.js';

export interface Candidate {
  /** Tactics applied in order as one step. */
  readonly tactics: readonly string[];
  /** Unnormalised score; the evaluator normalises over a state's candidates. */
  readonly score: number;
  /** Template name, for statistics and debugging. */
  readonly rule: string;
}

export interface GeneratorOptions {
  /** Forbid classical reasoning (by_cases, Classical.*). */
  readonly intuitionistic: boolean;
  /** Run the propositional solver as a macro candidate (default true). */
  readonly propSolver?: boolean;
  /** Node budget of one solver call (default 20000). */
  readonly solverNodes?: number;
  /** Time budget of one solver call in ms (default 2000). */
  readonly solverMs?: number;
  /** Budgets of the first call (the theorem's root, where the solver does most of its work). */
  readonly firstSolverMs?: number;
  readonly firstSolverNodes?: number;
}

export interface Generated {
  readonly candidates: readonly Candidate[];
  readonly value: number;
  /** The first goal is known unprovable (a purely propositional goal the complete solver refuted). */
  readonly refuted: boolean;
}

interface Ctx {
  readonly goal: Goal;
  readonly target: Expr | null;
  readonly hyps: readonly { readonly name: string; readonly type: string; readonly e: Expr | null }[];
  readonly names: Set<string>;
  /** Variables by the printed text of their type (`α`, `Nat`). */
  readonly varsOfType: Map<string, string[]>;
  readonly typeNames: Set<string>;
  readonly propVars: Set<string>;
}

const ACCESSIBLE = /^[\p{L}_][\p{L}\p{N}_']*$/u;

function readCtx(goal: Goal): Ctx {
  const hyps = goal.hyps.map((h) => ({ name: h.name, type: h.type, e: parseExpr(h.type) }));
  const names = new Set(goal.hyps.map((h) => h.name));
  const varsOfType = new Map<string, string[]>();
  const typeNames = new Set<string>(['Nat']);
  const propVars = new Set<string>();
  for (const h of hyps) {
    if (!ACCESSIBLE.test(h.name)) continue;
    if (h.type === 'Type' || h.type.startsWith('Type ') || h.type.startsWith('Sort')) typeNames.add(h.name);
    else if (h.type === 'Prop') propVars.add(h.name);
    else if (h.e?.k === 'var') {
      const list = varsOfType.get(h.type) ?? [];
      list.push(h.name);
      varsOfType.set(h.type, list);
    }
  }
  return { goal, target: parseExpr(goal.target), hyps, names, varsOfType, typeNames, propVars };
}

function fresh(ctx: Ctx, base: string, extra: Set<string>): string {
  const b = base.replace(/[^\p{L}\p{N}_]/gu, '') || 'h';
  if (!ctx.names.has(b) && !extra.has(b)) {
    extra.add(b);
    return b;
  }
  for (let i = 1; ; i++) {
    const n = `${b}${i}`;
    if (!ctx.names.has(n) && !extra.has(n)) {
      extra.add(n);
      return n;
    }
  }
}

/** Variables of a type; the environment may print binders without types: then every variable. */
function varsFor(ctx: Ctx, ty: string | null): string[] {
  if (ty !== null) return [...(ctx.varsOfType.get(ty) ?? [])];
  return [...ctx.varsOfType.values()].flat();
}

/** Hypotheses that are proofs (not types, data or functions into a type). */
function proofHyps(ctx: Ctx, hyps: Ctx['hyps'] = ctx.hyps): { name: string; e: Expr }[] {
  const out: { name: string; e: Expr }[] = [];
  for (const h of hyps) {
    if (!ACCESSIBLE.test(h.name) || h.e === null) continue;
    if (ctx.typeNames.has(h.name) || h.type === 'Prop' || h.type === 'Type') continue;
    const c = conclusion(h.e).concl;
    if (c.k === 'var' && (c.name === 'Prop' || c.name === 'Type' || ctx.typeNames.has(c.name))) continue;
    out.push({ name: h.name, e: h.e });
  }
  return out;
}

function chainInput(ctx: Ctx, hyps: readonly { name: string; e: Expr }[], extraVars: readonly [string, string][] = []): ChainInput {
  return {
    hyps,
    names: ctx.names,
    termsOfType: (ty) => {
      const vs = [...varsFor(ctx, ty), ...extraVars.filter(([, t]) => ty === null || t === ty).map(([n]) => n)];
      if (ty === 'Nat' && vs.length === 0) vs.push('0');
      return vs;
    },
  };
}

/** The conclusion of a hypothesis after its ∀s and →s, and how many arguments it takes. */
function conclusion(e: Expr): { concl: Expr; arity: number } {
  let arity = 0;
  for (;;) {
    if (e.k === 'quant' && e.q === '∀') {
      arity += e.names.length;
      e = e.body;
    } else if (e.k === 'bin' && e.op === '→') {
      arity++;
      e = e.r;
    } else if (e.k === 'not') {
      arity++;
      e = { k: 'var', name: 'False' };
    } else return { concl: e, arity };
  }
}

/** Built from variables with ¬ ∧ ∨ → ↔ only. */
function isPropositional(e: Expr): boolean {
  if (e.k === 'var') return true;
  if (e.k === 'not') return isPropositional(e.a);
  return e.k === 'bin' && ['∧', '∨', '→', '↔'].includes(e.op) && isPropositional(e.l) && isPropositional(e.r);
}

/** The body under a hypothesis's leading ∀s. */
function innerBody(e: Expr): Expr {
  while (e.k === 'quant' && e.q === '∀') e = e.body;
  return e;
}

function headSymbol(e: Expr): string {
  switch (e.k) {
    case 'var':
      return e.name;
    case 'app':
      return headSymbol(e.fn);
    case 'bin':
      return e.op;
    case 'not':
      return '¬';
    case 'quant':
      return e.q;
    default:
      return e.k;
  }
}

function isArith(e: Expr | null): boolean {
  if (e === null) return false;
  if (e.k === 'bin') return ['=', '≠', '≤', '<', '≥', '>'].includes(e.op) || isArith(e.l) || isArith(e.r);
  if (e.k === 'not') return isArith(e.a);
  return false;
}

const NAT_LEMMAS = [
  'Nat.add_comm',
  'Nat.add_assoc',
  'Nat.mul_comm',
  'Nat.mul_assoc',
  'Nat.mul_add',
  'Nat.add_mul',
  'Nat.mul_one',
  'Nat.one_mul',
  'Nat.zero_add',
  'Nat.add_zero',
  'Nat.succ_ne_zero',
  'Nat.le_succ',
  'Nat.le_refl',
  'Nat.zero_le',
  'Nat.le_add_right',
];

/** Value heuristic: fewer and smaller goals are closer to done. */
export function heuristicValue(state: ProofState): number {
  const g = state.goals.length;
  if (g === 0) return 1;
  let size = 0;
  for (const goal of state.goals) size += goal.target.length;
  return Math.max(0.02, 0.9 * Math.exp(-0.35 * (g - 1)) * Math.exp(-size / 400));
}

export class TacticGenerator {
  readonly stats = { solverCalls: 0, solverProved: 0, solverMs: 0 };
  constructor(readonly opts: GeneratorOptions) {}

  generate(state: ProofState): Generated {
    const goal = state.goals[0];
    if (goal === undefined) return { candidates: [], value: 1, refuted: false };
    const ctx = readCtx(goal);
    const out: Candidate[] = [];
    const add = (rule: string, score: number, ...tactics: string[]): void => {
      out.push({ tactics, score, rule });
    };
    const value = heuristicValue(state);

    // 1. The propositional solver, as one macro step.
    if (this.opts.propSolver !== false) {
      const seq = readSequent(goal);
      if (seq !== null) {
        const t0 = Date.now();
        const first = this.stats.solverCalls === 0;
        this.stats.solverCalls++;
        const r = solveSequent(seq, {
          classical: !this.opts.intuitionistic,
          maxNodes: (first ? this.opts.firstSolverNodes : undefined) ?? this.opts.solverNodes ?? 20000,
          deadline: t0 + ((first ? this.opts.firstSolverMs : undefined) ?? this.opts.solverMs ?? 2000),
        });
        this.stats.solverMs += Date.now() - t0;
        if (r.kind === 'proved') {
          this.stats.solverProved++;
          add(r.classical ? 'prop-classical' : 'prop', 50, ...r.tactics);
        } else if (r.kind === 'refuted' && this.closedWorld(ctx)) {
          // Complete procedure, every hypothesis read, only Prop variables as atoms: unprovable.
          return { candidates: [], value: 0, refuted: true };
        }
      }
    }

    const used = new Set<string>();
    const t = ctx.target;
    // 1b. Backward chaining over the hypotheses: a whole proof term, when one is in reach.
    const phyps = proofHyps(ctx);
    // On purely propositional goals the solver is complete: chaining would only cost time.
    const fo = t !== null && !(isPropositional(t) && phyps.every((h) => isPropositional(h.e)));
    if (t !== null && fo) {
      const term = chainProve(chainInput(ctx, phyps), t, { maxDepth: 5, maxSteps: 1500 });
      if (term !== null) add('chain', 40, `exact ${term}`);
    }
    // 2. Goal-directed templates.
    if (t !== null) {
      if (t.k === 'bin' && t.op === '→') add('intro', 8, `intro ${fresh(ctx, 'h', used)}`);
      else if (t.k === 'not') add('intro', 8, `intro ${fresh(ctx, 'h', used)}`);
      else if (t.k === 'quant' && t.q === '∀') {
        const q = peelQuant(t)!;
        add('intro', 8, `intro ${fresh(ctx, q.name, used)}`);
      } else if (t.k === 'bin' && (t.op === '∧' || t.op === '↔')) add('constructor', 6, 'constructor');
      else if (t.k === 'bin' && t.op === '∨') {
        add('left', 2, 'left');
        add('right', 2, 'right');
      } else if (t.k === 'quant' && t.q === '∃') {
        const ty = t.type === null ? null : printExpr(t.type);
        for (const v of varsFor(ctx, ty)) add('exists', 3, `exists ${v}`);
        if (ty === 'Nat') for (const n of ['0', '1']) add('exists', 1, `exists ${n}`);
      } else if (t.k === 'var' && t.name === 'True') add('trivial', 10, 'trivial');
      if (t.k === 'var' && t.name === 'False') {
        // handled by hypotheses below
      }
      if (isArith(t)) {
        add('rfl', 3, 'rfl');
        add('omega', 4, 'omega');
        add('decide', 1.5, 'decide');
        add('simp', 2, 'simp');
        const ring = ringSteps(t);
        if (ring !== null) add('ring-omega', 5, ...ring);
        // ∀-equations instantiated at the terms in sight, then omega, as one step.
        const quantified = phyps.filter((h) => h.e.k === 'quant' && h.e.q === '∀' && isArith(conclusion(h.e).concl) && conclusion(h.e).concl === innerBody(h.e));
        if (quantified.length > 0) {
          const ground = [t, ...phyps.filter((h) => isArith(h.e)).map((h) => h.e)].map(foldNums);
          const inst = matchInstances(quantified, ground);
          // Stated with numerals folded (`f 3 = f 2`, not `f (2 + 1) = f 2`): omega's atoms are syntactic.
          if (inst.length > 0) add('inst-omega', 6, ...inst.map((i) => `have ${fresh(ctx, 'e', used)} : ${printExpr(i.body)} := ${i.term}`), 'omega');
        }
        for (const l of NAT_LEMMAS) add('lemma', 0.4, `apply ${l}`);
        for (const l of ['Nat.mul_comm', 'Nat.mul_add', 'Nat.add_mul', 'Nat.mul_assoc', 'Nat.add_comm']) add('rw-lemma', 0.5, `rw [${l}]`);
      }
      // Induction on a Nat variable, as one macro whose cases are closed by the first closer that
      // works (`first | ...` is core Lean): the usual closers, and the hypotheses applied to k, ih.
      // A closer that could leave goals is followed by `done`, so that it fails instead.
      const natVars = ctx.varsOfType.get('Nat') ?? [];
      if (natVars.length > 0) {
        const k = fresh(ctx, 'k', used);
        const ih = fresh(ctx, 'ih', used);
        const foralls = ctx.hyps.filter((h) => ACCESSIBLE.test(h.name) && h.e?.k === 'quant' && h.e.q === '∀').map((h) => h.name);
        const zero = ['rfl', 'assumption', '(simp; done)', 'omega', ...foralls.map((h) => `exact ${h} 0`)];
        const succ = [
          'omega',
          `(simp [${ih}]; done)`,
          `exact congrArg Nat.succ ${ih}`,
          ...foralls.flatMap((h) => [`exact ${h} ${k} ${ih}`, `(rw [${h} ${k}, ${ih}]; done)`, `(simp [${h}, ${ih}]; done)`]),
        ];
        for (const n of natVars) {
          // Closers found by chaining in the case goals as the kernel will state them.
          const cases = t === null ? null : inductionCases(ctx, n, k, ih);
          const zc = cases === null ? null : chainProve(chainInput(ctx, cases.zero.hyps), cases.zero.target, { maxDepth: 4, maxSteps: 800 });
          const sc = cases === null ? null : chainProve(chainInput(ctx, cases.succ.hyps, [[k, 'Nat']]), cases.succ.target, { maxDepth: 4, maxSteps: 800 });
          const z = zc === null ? zero : [`exact ${zc}`, ...zero];
          const sx = sc === null ? succ : [`exact ${sc}`, ...succ];
          add('induction', 1, `induction ${n} with\n  | zero => first | ${z.join(' | ')}\n  | succ ${k} ${ih} => first | ${sx.join(' | ')}`);
          add('cases', 0.5, `rcases ${n} with _ | ${k}`);
        }
      }
    }

    // 3. Hypothesis-directed templates.
    const tText = t === null ? goal.target : printExpr(t);
    for (const h of ctx.hyps) {
      if (!ACCESSIBLE.test(h.name) || h.e === null) continue;
      const e = h.e;
      if (ctx.typeNames.has(h.name) || h.type === 'Prop' || h.type === 'Type') continue;
      // Data (`x : α`, `P : α → Prop`, `f : Nat → Nat`) is not a hypothesis to use.
      const c = conclusion(e).concl;
      if (c.k === 'var' && (c.name === 'Prop' || c.name === 'Type' || ctx.typeNames.has(c.name))) continue;
      if (printExpr(e) === tText) add('exact', 20, `exact ${h.name}`);
      if (e.k === 'var' && e.name === 'False') add('false-elim', 20, `exact False.elim ${h.name}`);
      if (e.k === 'bin' && (e.op === '∧' || e.op === '↔')) add('obtain', 5, `obtain ⟨${fresh(ctx, 'h', used)}, ${fresh(ctx, 'h', used)}⟩ := ${h.name}`);
      if (e.k === 'bin' && e.op === '∨') add('rcases', 4, `rcases ${h.name} with ${fresh(ctx, 'h', used)} | ${fresh(ctx, 'h', used)}`);
      if (e.k === 'quant' && e.q === '∃') {
        const q = peelQuant(e)!;
        add('obtain', 6, `obtain ⟨${fresh(ctx, q.name, used)}, ${fresh(ctx, 'h', used)}⟩ := ${h.name}`);
      }
      if (e.k === 'quant' && e.q === '∀') {
        const ty = e.type === null ? null : printExpr(e.type);
        const insts = varsFor(ctx, ty);
        if (ty === 'Nat') insts.push('0', '1', '2');
        for (const v of insts) add('specialize', 2, `have ${fresh(ctx, 'h', used)} := ${h.name} ${v}`);
      }
      if (fo && ((e.k === 'bin' && e.op === '→') || (e.k === 'quant' && e.q === '∀'))) {
        // Forward: instantiate it (premises by chaining) and take its ∃/∧/∨ conclusion apart.
        const input = chainInput(ctx, phyps);
        for (const f of forwardInstances(input, { name: h.name, e }, { maxDepth: 3, maxSteps: 400, max: 3 })) {
          if (chainProve(input, f.concl, { maxDepth: 1, maxSteps: 200 }) !== null) continue; // already known
          const c = f.concl;
          if (c.k === 'quant') add('forward', 7, `obtain ⟨${fresh(ctx, c.names[0] ?? 'w', used)}, ${fresh(ctx, 'h', used)}⟩ := ${f.term}`);
          else if (c.k === 'bin' && c.op === '∧') add('forward', 5, `obtain ⟨${fresh(ctx, 'h', used)}, ${fresh(ctx, 'h', used)}⟩ := ${f.term}`);
          else add('forward', 4, `rcases ${f.term} with ${fresh(ctx, 'h', used)} | ${fresh(ctx, 'h', used)}`);
        }
      }
      if ((e.k === 'bin' && e.op === '→') || e.k === 'not' || (e.k === 'quant' && e.q === '∀')) {
        const { concl } = conclusion(e);
        const match = t !== null && headSymbol(concl) === headSymbol(t);
        add('apply', match ? 3 : 0.3, `apply ${h.name}`);
      }
      if (isArith(e) && e.k === 'bin' && e.op === '=') {
        add('rw', 1.5, `rw [${h.name}]`);
        add('rw', 0.8, `rw [← ${h.name}]`);
      }
    }
    add('assumption', 1, 'assumption');
    add('contradiction', 0.8, 'contradiction');
    if (!(t !== null && t.k === 'var' && t.name === 'False')) add('exfalso', 0.3, 'exfalso');
    if (!this.opts.intuitionistic) {
      for (const p of ctx.propVars) add('by_cases', 0.3, `by_cases ${fresh(ctx, 'h', used)} : ${p}`);
      if (t !== null && !(t.k === 'var' && t.name === 'False')) add('by_contra', 0.3, 'apply Classical.byContradiction', `intro ${fresh(ctx, 'h', used)}`);
    }
    return { candidates: dedupe(out), value, refuted: false };
  }

  /** Whether the solver's refutation of this goal is a refutation of the goal itself. */
  private closedWorld(ctx: Ctx): boolean {
    // Every hypothesis must have been read (an unread one might be what proves the goal) and
    // every atom must be a Prop variable (a compound atom such as `∀ x, P x` may hide structure).
    for (const h of ctx.hyps) {
      if (h.e === null) return false;
      if (!ACCESSIBLE.test(h.name)) return false;
    }
    const atoms = new Set<string>();
    const collect = (e: Expr): boolean => {
      switch (e.k) {
        case 'var':
          if (e.name !== 'True' && e.name !== 'False') atoms.add(e.name);
          return true;
        case 'not':
          return collect(e.a);
        case 'bin':
          return ['∧', '∨', '→', '↔'].includes(e.op) && collect(e.l) && collect(e.r);
        default:
          return false;
      }
    };
    if (ctx.target === null || !collect(ctx.target)) return false;
    for (const h of ctx.hyps) {
      if (h.type === 'Prop' || h.type === 'Type' || ctx.typeNames.has(h.name)) continue;
      if (!collect(h.e!)) return false;
    }
    for (const a of atoms) if (!ctx.propVars.has(a)) return false;
    return true;
  }
}

interface CaseGoal {
  readonly hyps: { name: string; e: Expr }[];
  readonly target: Expr;
}

/**
 * The goals of `induction n` as the kernel states them (as Lean does): hypotheses that mention
 * n are reverted and re-introduced under their names, the zero case at `0`, the successor case
 * at `k + 1` with `ih` the motive at k. Null when a dependent hypothesis is not a proposition.
 */
function inductionCases(ctx: Ctx, n: string, k: string, ih: string): { zero: CaseGoal; succ: CaseGoal } | null {
  const idx = ctx.hyps.findIndex((h) => h.name === n);
  if (idx < 0 || ctx.target === null) return null;
  const base: { name: string; e: Expr }[] = [];
  const deps: { name: string; e: Expr }[] = [];
  const depNames = new Set([n]);
  for (const [i, h] of ctx.hyps.entries()) {
    if (i === idx) continue;
    if (h.e === null) return null;
    const fv = freeVars(h.e);
    if (i > idx && [...depNames].some((d) => fv.has(d))) {
      if (proofHyps(ctx, [h]).length === 0) return null; // a dependent datum: not predicted
      deps.push({ name: h.name, e: h.e });
      depNames.add(h.name);
    } else base.push({ name: h.name, e: h.e });
  }
  const at = (e: Expr, by: Expr): Expr => substVar(e, n, by);
  const zeroE: Expr = { k: 'num', value: '0' };
  const kE: Expr = { k: 'var', name: k };
  const succE: Expr = { k: 'bin', op: '+', l: kE, r: { k: 'num', value: '1' } };
  const motive = deps.reduceRight<Expr>((acc, d) => ({ k: 'bin', op: '→', l: d.e, r: acc }), ctx.target);
  const baseProofs = proofHyps(ctx, ctx.hyps.filter((h) => base.some((b) => b.name === h.name)));
  return {
    zero: { hyps: [...baseProofs, ...deps.map((d) => ({ name: d.name, e: at(d.e, zeroE) }))], target: at(ctx.target, zeroE) },
    succ: {
      hyps: [...baseProofs, { name: ih, e: at(motive, kE) }, ...deps.map((d) => ({ name: d.name, e: at(d.e, succE) }))],
      target: at(ctx.target, succE),
    },
  };
}

function dedupe(cs: Candidate[]): Candidate[] {
  const seen = new Map<string, number>();
  const out: Candidate[] = [];
  for (const c of cs) {
    const k = c.tactics.join('\n');
    const i = seen.get(k);
    if (i === undefined) {
      seen.set(k, out.length);
      out.push(c);
    } else if (out[i]!.score < c.score) out[i] = c;
  }
  return out;
}
