import { describe, expect, it } from 'vitest';
import { KernelEnvironment, proveTheorems } from '../../src/proof/index.js';

const script = new URL('./fixtures/faulty-prover-worker.mjs', import.meta.url);
const theorem = (name: string) => ({ name, header: `theorem ${name} : True` });

describe('proveTheorems in worker lanes', () => {
  it('reports a worker that dies or gives no verdict as that theorem failing, and goes on with the rest', async () => {
    const reports = await proveTheorems(
      ['a', 'crash', 'b', 'hang', 'c'].map(theorem),
      () => new KernelEnvironment(),
      { workerThreads: true, workerScript: script, timeMs: 100, graceMs: 400, jobs: 1 },
    );
    expect(reports.map((r) => [r.name, r.status])).toEqual([
      ['a', 'proved'],
      ['crash', 'error'],
      ['b', 'proved'],
      ['hang', 'failed'],
      ['c', 'proved'],
    ]);
    expect(reports[1]!.message).toMatch(/kernel worker exited \(code 3\)/);
    expect(reports[3]!.message).toMatch(/no verdict within 0\.5 s/);
    expect(reports.filter((r) => r.status !== 'proved').every((r) => !r.verified && r.proof === null)).toBe(true);
  });
});
