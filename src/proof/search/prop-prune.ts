/**
 * Dead-step elimination on solver proofs: a `have` whose name nothing below it mentions, or an
 * `obtain` neither of whose parts is mentioned, is dropped. The search derives facts eagerly
 * (saturation), so most of them are never used; dropping them shrinks the script the kernel
 * checks. Untrusted like the rest: a wrong drop only makes the kernel reject the script.
 */
import type { PNode, PStep } from './prop-proof.js';

const IDENT = /[\p{L}_][\p{L}\p{N}_']*/gu;

function addTokens(text: string, into: Set<string>): void {
  for (const m of text.matchAll(IDENT)) into.add(m[0]);
}

/** Names a step mentions (not the ones it binds). */
function mentioned(s: PStep, into: Set<string>): void {
  switch (s.t) {
    case 'exact':
      addTokens(s.term, into);
      break;
    case 'have':
      addTokens(s.term, into);
      if (s.type !== null) addTokens(s.type, into);
      break;
    case 'haveProof':
      addTokens(s.fn, into);
      if (s.type !== null) addTokens(s.type, into);
      break;
    case 'obtain':
    case 'cases':
      into.add(s.h);
      break;
    case 'byCases':
      addTokens(s.prop, into);
      break;
    case 'rw':
      addTokens(s.rules, into);
      break;
    case 'refine':
      addTokens(s.term, into);
      break;
    default:
      break;
  }
}

interface Frame {
  readonly n: PNode;
  /** Kids already processed. */
  readonly done: { node: PNode; used: Set<string> }[];
}

/** The proof without unused `have`/`obtain` steps. Iterative: solver proofs can be long chains. */
export function pruneUnused(root: PNode): PNode {
  const stack: Frame[] = [{ n: root, done: [] }];
  let result: { node: PNode; used: Set<string> } | null = null;
  while (stack.length > 0) {
    const top = stack[stack.length - 1]!;
    if (top.done.length < top.n.kids.length) {
      stack.push({ n: top.n.kids[top.done.length]!, done: [] });
      continue;
    }
    stack.pop();
    const r = finish(top.n, top.done);
    if (stack.length === 0) result = r;
    else stack[stack.length - 1]!.done.push(r);
  }
  return result!.node;
}

function finish(n: PNode, kids: { node: PNode; used: Set<string> }[]): { node: PNode; used: Set<string> } {
  const s = n.step;
  // Reuse the largest kid set instead of copying (chains would otherwise be quadratic).
  let used = new Set<string>();
  for (const k of kids) {
    if (k.used.size > used.size) {
      const small = used;
      used = k.used;
      for (const x of small) used.add(x);
    } else for (const x of k.used) used.add(x);
  }
  if ((s.t === 'have' || s.t === 'haveProof') && kids.length === 1 && !kids[0]!.used.has(s.name)) return { node: kids[0]!.node, used };
  if (s.t === 'obtain' && kids.length === 1 && !kids[0]!.used.has(s.x) && !kids[0]!.used.has(s.y)) return { node: kids[0]!.node, used };
  let step: PStep = s;
  if (s.t === 'haveProof') {
    const inner = pruneUnused(s.proof);
    step = { ...s, proof: inner };
    collectAll(inner, used);
  }
  mentioned(step, used);
  return { node: { step, kids: kids.map((k) => k.node) }, used };
}

/** Every name mentioned anywhere in a (pruned) proof. */
function collectAll(p: PNode, into: Set<string>): void {
  const stack: PNode[] = [p];
  while (stack.length > 0) {
    const n = stack.pop()!;
    if (n.step.t === 'haveProof') collectAll(n.step.proof, into);
    mentioned(n.step, into);
    for (const k of n.kids) stack.push(k);
  }
}
