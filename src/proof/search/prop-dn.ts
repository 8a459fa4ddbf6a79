/**
 * Classical preprocessing: double negations in positive positions of the hypotheses are removed
 * (`A ∨ ¬¬B` becomes `A ∨ B` by `Classical.byContradiction`). Many classical-only problems are
 * intuitionistic ones with `¬¬` sprinkled in (ILTP's SYJ208 is SYJ202's pigeonhole so), and the
 * converted sequent then has G4ip's compact proof instead of the tableau's exponential one.
 */
import { FK, type PropTable } from './prop-formula.js';
import type { PStep } from './prop-proof.js';

export interface DnResult {
  /** Intros of the goal's antecedents, then one `have` per converted hypothesis. */
  readonly steps: PStep[];
  readonly hyps: { readonly name: string; readonly f: number }[];
  readonly goal: number;
}

/** The converted sequent, or null when no hypothesis has a double negation to remove. */
export function removeDoubleNegations(
  T: PropTable,
  hyps: readonly { readonly name: string; readonly f: number }[],
  goal: number,
  fresh: () => string,
): DnResult | null {
  const steps: PStep[] = [];
  const all = [...hyps];
  let g = goal;
  for (;;) {
    const imp = T.imp(g);
    if (imp === null) break;
    const name = fresh();
    steps.push({ t: 'intro', name });
    all.push({ name, f: imp[0] });
    g = imp[1];
  }
  const out: { name: string; f: number }[] = [];
  let changed = false;
  for (const h of all) {
    const c = convert(T, h.f, h.name, fresh);
    if (c === null) {
      out.push(h);
      continue;
    }
    changed = true;
    const name = fresh();
    steps.push({ t: 'have', name, type: T.print(c.f), term: c.term, f: c.f });
    out.push({ name, f: c.f });
  }
  return changed ? { steps, hyps: out, goal: g } : null;
}

/** `f` without positive double negations and a term proving it from `x : f`; null when unchanged. */
function convert(T: PropTable, f: number, x: string, fresh: () => string): { f: number; term: string } | null {
  const k = T.kind[f]!;
  const a = T.a[f]!;
  const b = T.b[f]!;
  if (k === FK.Not && T.kind[a] === FK.Not) {
    const inner = T.a[a]!;
    const direct = `(Classical.byContradiction ${x})`;
    return convert(T, inner, direct, fresh) ?? { f: inner, term: direct };
  }
  if (k === FK.And) {
    const ca = convert(T, a, `${x}.1`, fresh);
    const cb = convert(T, b, `${x}.2`, fresh);
    if (ca === null && cb === null) return null;
    return { f: T.mk(FK.And, ca?.f ?? a, cb?.f ?? b), term: `⟨${ca?.term ?? `${x}.1`}, ${cb?.term ?? `${x}.2`}⟩` };
  }
  if (k === FK.Or) {
    const y = fresh();
    const z = fresh();
    const ca = convert(T, a, y, fresh);
    const cb = convert(T, b, z, fresh);
    if (ca === null && cb === null) return null;
    return { f: T.mk(FK.Or, ca?.f ?? a, cb?.f ?? b), term: `(Or.elim ${x} (fun ${y} => Or.inl ${ca?.term ?? y}) (fun ${z} => Or.inr ${cb?.term ?? z}))` };
  }
  if (k === FK.Imp) {
    const y = fresh();
    const cb = convert(T, b, `(${x} ${y})`, fresh);
    return cb === null ? null : { f: T.mk(FK.Imp, a, cb.f), term: `(fun ${y} => ${cb.term})` };
  }
  return null;
}
