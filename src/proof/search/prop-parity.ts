/**
 * Classical `↔` chains by parity. A right-nested chain `l1 ↔ (l2 ↔ (... ↔ ln))` is a classical
 * tautology when every leaf occurs an even number of times (`↔` is associative and commutative
 * classically, and `a ↔ a` holds). The tableau's proofs of such goals are exponential (ILTP
 * SYN007: 28 leaves, a 34 MB script); here the partner of the first leaf is moved next to it by
 * rewriting with a swap lemma, the pair is cancelled, and so on: quadratic in the chain length.
 * The three lemmas are proved once, as `have`s over `Prop`, by the caller's solver.
 */
import { FK, type PropTable } from './prop-formula.js';
import { chain, node, type PNode, type PStep } from './prop-proof.js';

/** Lemma statements over `Prop` variables a, b, c (proved by `prove`, a tactic script or null). */
const SWAP = '(a ↔ (b ↔ c)) ↔ (b ↔ (a ↔ c))';
const CANCEL = '(a ↔ (a ↔ c)) ↔ c';
const COMM = '(a ↔ b) ↔ (b ↔ a)';
const scripts = new Map<string, readonly string[] | null>();

export function proveParityChain(
  T: PropTable,
  goal: number,
  fresh: () => string,
  prove: (statement: string, vars: readonly string[]) => readonly string[] | null,
): PNode | null {
  if (T.kind[goal] !== FK.Iff) return null;
  const leaves: number[] = [];
  let f = goal;
  while (T.kind[f] === FK.Iff) {
    if (T.kind[T.a[f]!] === FK.Iff) return null; // only right-nested chains
    leaves.push(T.a[f]!);
    f = T.b[f]!;
  }
  leaves.push(f);
  const counts = new Map<number, number>();
  for (const l of leaves) counts.set(l, (counts.get(l) ?? 0) + 1);
  for (const c of counts.values()) if (c % 2 !== 0) return null;
  if (leaves.length === 2) return node({ t: 'exact', term: 'Iff.rfl' });

  const lemma = (statement: string, vars: readonly string[]): Extract<PStep, { t: 'have' }> | null => {
    // The statements are fixed, so their scripts are solved once per process.
    let script = scripts.get(statement);
    if (script === undefined) scripts.set(statement, (script = prove(statement, vars)));
    if (script === null) return null;
    return { t: 'have', name: fresh(), type: `∀ (${vars.join(' ')} : Prop), ${statement}`, term: `by intro ${vars.join(' ')}; ${script.join('; ')}` };
  };
  const swap = lemma(SWAP, ['a', 'b', 'c']);
  const cancel = lemma(CANCEL, ['a', 'c']);
  const comm = lemma(COMM, ['a', 'b']);
  if (swap === null || cancel === null || comm === null) return null;

  const arg = (x: number): string => T.print(x, 1024);
  // The chain of leaves from index k on, as a formula.
  const rest = (L: readonly number[], k: number): number => {
    let r = L[L.length - 1]!;
    for (let i = L.length - 2; i >= k; i--) r = T.mk(FK.Iff, L[i]!, r);
    return r;
  };
  const steps: PStep[] = [swap, cancel, comm];
  let L = [...leaves];
  while (L.length > 2) {
    const j = L.indexOf(L[0]!, 1);
    for (let i = j; i >= 2; i--) {
      // Swap L[i-1] and L[i]: the suffix from i-1 is unique in the chain, so the rewrite hits it only.
      const rule =
        i === L.length - 1 ? `${comm.name} ${arg(L[i - 1]!)} ${arg(L[i]!)}` : `${swap.name} ${arg(L[i - 1]!)} ${arg(L[i]!)} ${arg(rest(L, i + 1))}`;
      steps.push({ t: 'rw', rules: rule });
      [L[i - 1], L[i]] = [L[i]!, L[i - 1]!];
    }
    if (L.length === 4 && L[2] === L[3]) {
      // The last cancellation leaves `x ↔ x`, which rw closes by rfl.
      return chain(steps, node({ t: 'rw', rules: `${cancel.name} ${arg(L[0]!)} ${arg(rest(L, 2))}` }));
    }
    steps.push({ t: 'rw', rules: `${cancel.name} ${arg(L[0]!)} ${arg(rest(L, 2))}` });
    L = L.slice(2);
  }
  // Two leaves left but not equal: cannot happen (even counts), kept for safety.
  return L[0] === L[1] ? chain(steps, node({ t: 'exact', term: 'Iff.rfl' })) : null;
}
