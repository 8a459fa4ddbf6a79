import { describe, expect, it } from 'vitest';
import { KernelEnvironment } from '../../src/proof/index.js';
import type { ProofState } from '../../src/proof/index.js';

async function run(env: KernelEnvironment, header: string, tactics: string[]): Promise<ProofState> {
  const s = await env.start({ name: 'x', header });
  if (s.kind !== 'ok') throw new Error(`start failed: ${JSON.stringify(s)}`);
  let st = s.state;
  for (const t of tactics) {
    const r = await env.tryTactic(st, t);
    if (r.kind !== 'success') throw new Error(`tactic '${t}' failed: ${JSON.stringify(r)}`);
    st = r.state;
  }
  return st;
}

describe('KernelEnvironment', () => {
  it('steps through a proof with immutable states and verifies the script', async () => {
    const env = new KernelEnvironment();
    const header = 'theorem t (p q : Prop) : p ∧ q → q ∧ p';
    const s0 = await run(env, header, []);
    expect(s0.goals).toHaveLength(1);
    expect(s0.goals[0]!.target).toBe('p ∧ q → q ∧ p');
    const s1 = await run(env, header, ['intro h']);
    expect(s1.goals[0]!.hyps.map((h) => `${h.name} : ${h.type}`)).toEqual(['p : Prop', 'q : Prop', 'h : p ∧ q']);
    const r = await env.tryTactic(s1, 'constructor');
    expect(r.kind).toBe('success');
    if (r.kind !== 'success') return;
    expect(r.state.goals.map((g) => g.target)).toEqual(['q', 'p']);
    // The old state is untouched: a different tactic from s1 still works.
    const r2 = await env.tryTactic(s1, 'exact ⟨h.2, h.1⟩');
    expect(r2.kind === 'success' && r2.state.goals.length).toBe(0);
    const v = await env.verify({ name: 't', header }, ['intro h', 'exact ⟨h.2, h.1⟩']);
    expect(v).toEqual({ kind: 'verified', axioms: [] });
  });

  it('reports failures as values', async () => {
    const env = new KernelEnvironment();
    const s = await run(env, 'theorem t (p q : Prop) : p → q', ['intro hp']);
    const r = await env.tryTactic(s, 'exact hp');
    expect(r.kind).toBe('failure');
    const pe = await env.tryTactic(s, 'exact (hp');
    expect(pe.kind).toBe('parseError');
    const v = await env.verify({ name: 't', header: 'theorem t (p q : Prop) : p → q' }, ['intro hp', 'exact hp']);
    expect(v.kind).toBe('rejected');
  });

  it('tracks classical axioms and forbids them when intuitionistic', async () => {
    const header = 'theorem em (p : Prop) : p ∨ ¬p';
    const classical = new KernelEnvironment();
    const v = await classical.verify({ name: 'em', header }, ['exact Classical.em p']);
    expect(v).toEqual({ kind: 'verified', axioms: ['Classical.choice', 'Quot.sound', 'propext'] });
    const intu = new KernelEnvironment({ intuitionistic: true });
    const s = await run(intu, header, []);
    expect((await intu.tryTactic(s, 'exact Classical.em p')).kind).toBe('failure');
    expect((await intu.verify({ name: 'em', header }, ['exact Classical.em p'])).kind).toBe('rejected');
  });

  it('reports unsupported statements with a position', async () => {
    const env = new KernelEnvironment();
    const s = await env.start({ name: 'x', header: 'theorem x (a b : Nat) : a - b = 0' });
    expect(s.kind).toBe('unsupported');
    if (s.kind === 'unsupported') expect(s.message).toMatch(/subtraction/);
  });
});
