import { describe, expect, it } from 'vitest';
import { KernelEnvironment } from '../../src/proof/index.js';

// Long right-nested disjunctions closed by nested `Or.inr` terms (the shape of the prover's
// pigeonhole proofs): elaboration and checking keep shared subterms shared.
describe('nested Or.inr against a 300-way disjunction', () => {
  const m = 300;
  const atoms = Array.from({ length: m }, (_, i) => `p${i}`);
  const header = `theorem t (${atoms.join(' ')} : Prop) : p${m - 2} → p${m - 1} → ${atoms.join(' ∨ ')}`;
  const nest = (depth: number, leaf: string): string => {
    let t = leaf;
    for (let i = 0; i < depth; i++) t = `Or.inr (${t})`;
    return t;
  };
  const env = new KernelEnvironment({ intuitionistic: true });

  it('accepts the last disjunct and an inner one', async () => {
    const last = await env.verify({ name: 't', header }, ['intro h1 h2', `exact ${nest(m - 1, 'h2')}`]);
    expect(last.kind).toBe('verified');
    const inner = await env.verify({ name: 't', header }, ['intro h1 h2', `exact ${nest(m - 2, 'Or.inl h1')}`]);
    expect(inner.kind).toBe('verified');
    const viaHave = await env.verify({ name: 't', header }, ['intro h1 h2', `have x : ${atoms.join(' ∨ ')} := ${nest(m - 1, 'h2')}`, 'exact x']);
    expect(viaHave.kind).toBe('verified');
  });

  // A mismatch at the leaf used to be retried at every level (elaboration without the expected
  // type, and the unifier comparing the same arguments twice), so wrong deep terms took time
  // exponential in the depth to reject: depth 22 took 86 s. Now the deepest ones fail at once.
  it('rejects the wrong disjunct’s hypothesis', async () => {
    for (const depth of [40, 150, m - 2]) {
      const deep = await env.verify({ name: 't', header }, ['intro h1 h2', `exact ${nest(depth, 'Or.inl h1')}`]);
      if (depth === m - 2) expect(deep.kind).toBe('verified');
      else expect(deep.kind, `depth ${depth}`).toBe('rejected');
    }
    const wrongHyp = await env.verify({ name: 't', header }, ['intro h1 h2', `exact ${nest(3, 'Or.inl h2')}`]);
    expect(wrongHyp.kind).toBe('rejected');
    const wrongLast = await env.verify({ name: 't', header }, ['intro h1 h2', `exact ${nest(2, 'Or.inl h1')}`]);
    expect(wrongLast.kind).toBe('rejected');
    const small = Array.from({ length: 10 }, (_, i) => `q${i}`);
    const smallHeader = `theorem s (${small.join(' ')} : Prop) : q8 → q9 → ${small.join(' ∨ ')}`;
    expect((await env.verify({ name: 's', header: smallHeader }, ['intro h1 h2', `exact ${nest(9, 'h1')}`])).kind).toBe('rejected');
    expect((await env.verify({ name: 's', header: smallHeader }, ['intro h1 h2', `exact ${nest(9, 'h2')}`])).kind).toBe('verified');
  });
});
