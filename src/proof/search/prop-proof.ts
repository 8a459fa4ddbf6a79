/**
 * Proof trees of the propositional solvers and their rendering as Lean tactic scripts.
 */
export type PStep =
  | { readonly t: 'intro'; readonly name: string }
  | { readonly t: 'constructor' }
  | { readonly t: 'left' }
  | { readonly t: 'right' }
  | { readonly t: 'exact'; readonly term: string }
  | { readonly t: 'trivial' }
  /** `obtain ⟨a, b⟩ := h` on `∧` (iff: false) or `↔` (iff: true). */
  | { readonly t: 'obtain'; readonly h: string; readonly x: string; readonly y: string; readonly iff: boolean }
  | { readonly t: 'cases'; readonly h: string; readonly x: string; readonly y: string }
  /** `f`: the formula proved, when known (lets a later branch reuse the fact). */
  | { readonly t: 'have'; readonly name: string; readonly type: string | null; readonly term: string; readonly f?: number }
  /** A cut `have name : type := fn (by proof)`, the proof being a tree of its own. */
  | { readonly t: 'haveProof'; readonly name: string; readonly type: string | null; readonly fn: string; readonly proof: PNode; readonly f: number }
  | { readonly t: 'byCases'; readonly name: string; readonly prop: string }
  /** `rw [rules]` (an `↔` lemma applied to its arguments). */
  | { readonly t: 'rw'; readonly rules: string }
  /** `refine term` where the term has exactly one `?_`. */
  | { readonly t: 'refine'; readonly term: string }
  | { readonly t: 'exfalso' };

export interface PNode {
  readonly step: PStep;
  readonly kids: readonly PNode[];
}

export function node(step: PStep, ...kids: PNode[]): PNode {
  return { step, kids };
}

/** Prefixes `steps` (each with one subgoal) to `tail`. */
export function chain(steps: readonly PStep[], tail: PNode): PNode {
  let n = tail;
  for (let i = steps.length - 1; i >= 0; i--) n = node(steps[i]!, n);
  return n;
}

/**
 * Lean text of a proof: tactics in depth-first order. Lean works on the first goal, and the
 * subgoals of each step come in the order of `kids`, so no bullets are needed.
 */
export function renderTactics(p: PNode): string[] {
  const out: string[] = [];
  const stack: PNode[] = [p];
  while (stack.length > 0) {
    const n = stack.pop()!;
    out.push(tacticText(n.step));
    for (let i = n.kids.length - 1; i >= 0; i--) stack.push(n.kids[i]!);
  }
  return out;
}

function tacticText(s: PStep): string {
  switch (s.t) {
    case 'intro':
      return `intro ${s.name}`;
    case 'constructor':
      return 'constructor';
    case 'left':
      return 'left';
    case 'right':
      return 'right';
    case 'exact':
      return `exact ${s.term}`;
    case 'trivial':
      return 'exact True.intro';
    case 'obtain':
      return `obtain ⟨${s.x}, ${s.y}⟩ := ${s.h}`;
    case 'cases':
      return `rcases ${s.h} with ${s.x} | ${s.y}`;
    case 'have':
      return s.type === null ? `have ${s.name} := ${s.term}` : `have ${s.name} : ${s.type} := ${s.term}`;
    case 'haveProof':
      // A cut, proved inline: `(by t1; t2; ...)` is core Lean and keeps the script linear in size.
      return `have ${s.name}${s.type === null ? '' : ` : ${s.type}`} := ${s.fn} (by ${renderTactics(s.proof).join('; ')})`;
    case 'byCases':
      return `by_cases ${s.name} : ${s.prop}`;
    case 'exfalso':
      return 'exfalso';
    case 'refine':
      return `refine ${s.term}`;
    case 'rw':
      return `rw [${s.rules}]`;
  }
}

