/**
 * Equivalence by congruence: proves `X ↔ Y` when X and Y are the same formula up to swapping the
 * sides of `∧`, `∨`, `↔` anywhere (and, classically, up to `¬¬A` ~ `A`). Each sub-equivalence
 * becomes one named `have`, so the script stays linear in the formulas' size; the general
 * searches are exponential on such goals (ILTP SYJ206/SYJ212: `↔` chains written in two orders).
 * Matching is memoised on formula pairs: at most |sub X| × |sub Y| attempts.
 */
import { FK, type PropTable } from './prop-formula.js';

export interface EquivStep {
  readonly name: string;
  readonly type: string;
  readonly term: string;
}

export interface EquivProof {
  /** `have name : type := term` steps, each using only earlier ones. */
  readonly steps: readonly EquivStep[];
  /** The name of the proof of `X ↔ Y`. */
  readonly result: string;
}

/** Gives up when the pair table would grow past this (keeps the cost bounded). */
const MAX_PAIRS = 200_000;

export function proveEquiv(T: PropTable, X: number, Y: number, classical: boolean, fresh: () => string): EquivProof | null {
  const memo = new Map<string, string | null>();
  const steps: EquivStep[] = [];

  const emit = (x: number, y: number, term: string): string => {
    const name = fresh();
    steps.push({ name, type: `${T.print(x, 21)} ↔ ${T.print(y, 21)}`, term });
    return name;
  };

  const eq = (x: number, y: number): string | null => {
    const key = `${x},${y}`;
    const m = memo.get(key);
    if (m !== undefined || memo.has(key)) return m ?? null;
    if (memo.size > MAX_PAIRS) return null;
    memo.set(key, null); // cycles cannot arise (subformulas shrink), but a failed try must stay failed
    const r = match(x, y);
    memo.set(key, r);
    return r;
  };

  const match = (x: number, y: number): string | null => {
    if (x === y) return emit(x, y, 'Iff.rfl');
    const kx = T.kind[x]!;
    const ky = T.kind[y]!;
    if (kx === ky && kx === FK.Not) {
      const p = eq(T.a[x]!, T.a[y]!);
      if (p !== null) return emit(x, y, `⟨fun h z => h (${p}.mpr z), fun h z => h (${p}.mp z)⟩`);
    }
    if (kx === ky && (kx === FK.And || kx === FK.Or || kx === FK.Iff || kx === FK.Imp)) {
      const p = eq(T.a[x]!, T.a[y]!);
      const q = p === null ? null : eq(T.b[x]!, T.b[y]!);
      if (p !== null && q !== null) return emit(x, y, straight(kx, p, q));
      if (kx !== FK.Imp) {
        const p2 = eq(T.a[x]!, T.b[y]!);
        const q2 = p2 === null ? null : eq(T.b[x]!, T.a[y]!);
        if (p2 !== null && q2 !== null) return emit(x, y, swapped(kx, p2, q2));
      }
    }
    if (classical) {
      // ¬¬A ↔ Y from A ↔ Y, and X ↔ ¬¬B from X ↔ B.
      if (kx === FK.Not && T.kind[T.a[x]!] === FK.Not) {
        const q = eq(T.a[T.a[x]!]!, y);
        if (q !== null) return emit(x, y, `⟨fun h => ${q}.mp (Classical.byContradiction h), fun z n => n (${q}.mpr z)⟩`);
      }
      if (ky === FK.Not && T.kind[T.a[y]!] === FK.Not) {
        const q = eq(x, T.a[T.a[y]!]!);
        if (q !== null) return emit(x, y, `⟨fun z n => n (${q}.mp z), fun h => ${q}.mpr (Classical.byContradiction h)⟩`);
      }
    }
    return null;
  };

  const result = eq(X, Y);
  if (result === null) return null;
  return { steps: reachable(steps, result), result };
}

/** `op(A, B) ↔ op(A', B')` from `p : A ↔ A'` and `q : B ↔ B'`. */
function straight(k: number, p: string, q: string): string {
  switch (k) {
    case FK.And:
      return `⟨fun h => ⟨${p}.mp h.1, ${q}.mp h.2⟩, fun h => ⟨${p}.mpr h.1, ${q}.mpr h.2⟩⟩`;
    case FK.Or:
      return `⟨fun h => Or.elim h (fun z => Or.inl (${p}.mp z)) (fun z => Or.inr (${q}.mp z)), fun h => Or.elim h (fun z => Or.inl (${p}.mpr z)) (fun z => Or.inr (${q}.mpr z))⟩`;
    case FK.Imp:
      return `⟨fun h z => ${q}.mp (h (${p}.mpr z)), fun h z => ${q}.mpr (h (${p}.mp z))⟩`;
    default: // Iff
      return `⟨fun h => ⟨fun z => ${q}.mp (h.mp (${p}.mpr z)), fun z => ${p}.mp (h.mpr (${q}.mpr z))⟩, fun h => ⟨fun z => ${q}.mpr (h.mp (${p}.mp z)), fun z => ${p}.mpr (h.mpr (${q}.mp z))⟩⟩`;
  }
}

/** `op(A, B) ↔ op(B', A')` from `p : A ↔ A'` and `q : B ↔ B'` (commutative `op`). */
function swapped(k: number, p: string, q: string): string {
  switch (k) {
    case FK.And:
      return `⟨fun h => ⟨${q}.mp h.2, ${p}.mp h.1⟩, fun h => ⟨${p}.mpr h.2, ${q}.mpr h.1⟩⟩`;
    case FK.Or:
      return `⟨fun h => Or.elim h (fun z => Or.inr (${p}.mp z)) (fun z => Or.inl (${q}.mp z)), fun h => Or.elim h (fun z => Or.inr (${q}.mpr z)) (fun z => Or.inl (${p}.mpr z))⟩`;
    default: // Iff
      return `⟨fun h => ⟨fun z => ${p}.mp (h.mpr (${q}.mpr z)), fun z => ${q}.mp (h.mp (${p}.mpr z))⟩, fun h => ⟨fun z => ${q}.mpr (h.mpr (${p}.mp z)), fun z => ${p}.mpr (h.mp (${q}.mp z))⟩⟩`;
  }
}

/** The steps the result depends on, in order (failed partial matches leave unused ones). */
function reachable(steps: readonly EquivStep[], result: string): EquivStep[] {
  const byName = new Map(steps.map((s) => [s.name, s]));
  const need = new Set<string>([result]);
  for (let i = steps.length - 1; i >= 0; i--) {
    const s = steps[i]!;
    if (!need.has(s.name)) continue;
    for (const m of s.term.matchAll(/[\p{L}_][\p{L}\p{N}_']*/gu)) if (byName.has(m[0])) need.add(m[0]);
  }
  return steps.filter((s) => need.has(s.name));
}
