import { describe, it, expect, beforeAll } from 'vitest';
import fc from 'fast-check';
import { initBackend, NetworkEvaluator, PolicyNetwork, type InferenceEngine, type NetOutput } from '../../src/policy/index.js';
import { tinyMlp } from './helpers.js';
import { Rng } from '../../src/core/index.js';

/** A fake engine with logits = action index * scale + state id, value = tanh(state id / 10); counts calls. */
class FakeEngine implements InferenceEngine {
  readonly kind = 'tfjs' as const;
  readonly observationShape = [1, 1, 2] as const;
  readonly numActions = 4;
  calls: number[] = [];
  constructor(readonly scale: number) {}
  run(input: Float32Array, n: number): NetOutput | Promise<NetOutput> {
    this.calls.push(n);
    const policyLogits = new Float32Array(n * 4);
    const values = new Float32Array(n);
    for (let i = 0; i < n; i++) {
      const id = input[i * 2]!;
      for (let a = 0; a < 4; a++) policyLogits[i * 4 + a] = a * this.scale + id;
      values[i] = Math.tanh(id / 10);
    }
    return { policyLogits, values };
  }
  dispose(): void {}
}

type St = { id: number; legal: number[] };

describe('NetworkEvaluator', () => {
  beforeAll(async () => {
    await initBackend({ log: null });
  });

  it('masks illegal actions, softmaxes over legal ones, one engine call per batch (property)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.record({ id: fc.integer({ min: -5, max: 5 }), legal: fc.uniqueArray(fc.integer({ min: 0, max: 3 }), { minLength: 1, maxLength: 4 }) }), { minLength: 1, maxLength: 40 }),
        fc.double({ min: 0.1, max: 3, noNaN: true }),
        async (states: St[], scale) => {
          const eng = new FakeEngine(scale);
          const ev = new NetworkEvaluator<St>({ encode: (s) => new Float32Array([s.id, 0]), legalActions: (s) => s.legal, net: eng });
          const out = await ev.evaluate(states);
          expect(eng.calls).toEqual([states.length]);
          out.forEach((e, i) => {
            const s = states[i]!;
            expect(e.actions).toEqual(s.legal);
            const z = s.legal.reduce((acc, a) => acc + Math.exp(a * scale), 0);
            s.legal.forEach((a, j) => expect(e.priors[j]!).toBeCloseTo(Math.exp(a * scale) / z, 5));
            expect(e.value).toBeCloseTo(Math.tanh(s.id / 10), 5);
          });
        },
      ),
      { numRuns: 60 },
    );
  });

  it('policyTemperature T gives priors softmax(logits / T): flatter above 1, the same value', async () => {
    const st: St = { id: 1, legal: [0, 1, 3] };
    for (const t of [0.5, 1, 1.7, 4]) {
      const ev = new NetworkEvaluator<St>({ encode: (s) => new Float32Array([s.id, 0]), legalActions: (s) => s.legal, net: new FakeEngine(1), policyTemperature: t });
      const [e] = await ev.evaluate([st]);
      const z = st.legal.reduce((acc, a) => acc + Math.exp(a / t), 0);
      st.legal.forEach((a, j) => expect(e!.priors[j]!).toBeCloseTo(Math.exp(a / t) / z, 5));
      expect(e!.value).toBeCloseTo(Math.tanh(0.1), 5);
    }
    expect(() => new NetworkEvaluator<St>({ encode: () => new Float32Array(2), legalActions: (s) => s.legal, net: new FakeEngine(1), policyTemperature: 0 })).toThrow(/policyTemperature must be > 0/);
  });

  it('maps values to [0,1] for one-player use, uses encodeInto when given, grows its buffer', async () => {
    const eng = new FakeEngine(1);
    let intoCalls = 0;
    const ev = new NetworkEvaluator<St>({
      encode: () => {
        throw new Error('encode should not be used');
      },
      encodeInto: (s, out, off) => {
        intoCalls++;
        out[off] = s.id;
        out[off + 1] = 0;
      },
      legalActions: (s) => s.legal,
      net: eng,
      valueRange: 'unit',
    });
    const states = Array.from({ length: 100 }, (_, i) => ({ id: (i % 11) - 5, legal: [0, 2] }));
    const out = await ev.evaluate(states);
    expect(intoCalls).toBe(100);
    out.forEach((e, i) => expect(e.value).toBeCloseTo((Math.tanh(states[i]!.id / 10) + 1) / 2, 5));
    expect(await ev.evaluate([])).toEqual([]);
    expect(ev.calls).toBe(1);
    expect(ev.positions).toBe(100);
  });

  describe('symmetries', () => {
    // Engine: logits depend on the flag channel; a mirror flips the flag and reverses actions.
    class FlagEngine implements InferenceEngine {
      readonly kind = 'tfjs' as const;
      readonly observationShape = [1, 1, 2] as const;
      readonly numActions = 4;
      rows: number[] = [];
      run(input: Float32Array, n: number): NetOutput {
        this.rows.push(n);
        const policyLogits = new Float32Array(n * 4);
        const values = new Float32Array(n);
        for (let i = 0; i < n; i++) {
          const [id, f] = [input[i * 2]!, input[i * 2 + 1]!];
          for (let a = 0; a < 4; a++) policyLogits[i * 4 + a] = f === 0 ? a * 0.7 + id * 0.1 : (a % 2) * 1.3;
          values[i] = Math.tanh((id + 3 * f) / 10);
        }
        return { policyLogits, values };
      }
      dispose(): void {}
    }
    const mirror = { mapObservation: (o: Float32Array) => Float32Array.from([o[0]!, 1 - o[1]!]), mapAction: (a: number) => 3 - a };
    const softmaxOver = (logit: (a: number) => number, legal: number[]) => {
      const z = legal.reduce((acc, a) => acc + Math.exp(logit(a)), 0);
      return legal.map((a) => Math.exp(logit(a)) / z);
    };
    const image0 = (s: St) => softmaxOver((a) => a * 0.7 + s.id * 0.1, s.legal);
    const image1 = (s: St) => softmaxOver((a) => (mirror.mapAction(a) % 2) * 1.3, s.legal);

    it("'average' evaluates every image in one call and averages priors and values", async () => {
      const eng = new FlagEngine();
      const ev = new NetworkEvaluator<St>({ encode: (s) => new Float32Array([s.id, 0]), legalActions: (s) => s.legal, net: eng, symmetries: [mirror] });
      const states: St[] = [{ id: 1, legal: [0, 1, 3] }, { id: -2, legal: [2] }, { id: 4, legal: [0, 1, 2, 3] }];
      const out = await ev.evaluate(states);
      expect(eng.rows).toEqual([6]);
      out.forEach((e, i) => {
        const s = states[i]!;
        const [p0, p1] = [image0(s), image1(s)];
        s.legal.forEach((_, j) => expect(e.priors[j]!).toBeCloseTo((p0[j]! + p1[j]!) / 2, 5));
        expect(e.value).toBeCloseTo((Math.tanh(s.id / 10) + Math.tanh((s.id + 3) / 10)) / 2, 5);
      });
    });

    it("'random' evaluates one image per state, mapped back to the original actions", async () => {
      const eng = new FlagEngine();
      const ev = new NetworkEvaluator<St>({ encode: (s) => new Float32Array([s.id, 0]), legalActions: (s) => s.legal, net: eng, symmetries: [mirror], symmetryMode: 'random', rng: new Rng(3) });
      const states: St[] = Array.from({ length: 40 }, (_, i) => ({ id: i % 5, legal: [0, 1, 3] }));
      const out = await ev.evaluate(states);
      expect(eng.rows).toEqual([40]);
      let flipped = 0;
      out.forEach((e, i) => {
        const s = states[i]!;
        const p = Math.abs(e.value - Math.tanh(s.id / 10)) < 1e-6 ? image0(s) : (flipped++, image1(s));
        s.legal.forEach((_, j) => expect(e.priors[j]!).toBeCloseTo(p[j]!, 5));
      });
      expect(flipped).toBeGreaterThan(5);
      expect(flipped).toBeLessThan(35);
    });
  });

  it('overlapping calls with an async engine that reads its input late do not mix batches', async () => {
    // Like a native engine reading the caller's memory on another thread after run() returns.
    class LateEngine extends FakeEngine {
      override run(input: Float32Array, n: number): Promise<NetOutput> {
        return new Promise((resolve) => setTimeout(() => resolve(super.run(input, n)), 5));
      }
    }
    const eng = new LateEngine(1);
    const ev = new NetworkEvaluator<St>({ encode: (s) => new Float32Array([s.id, 0]), legalActions: (s) => s.legal, net: eng });
    const a: St[] = [{ id: 1, legal: [0, 1] }, { id: 2, legal: [0, 1] }];
    const b: St[] = [{ id: -3, legal: [0, 1] }, { id: -4, legal: [0, 1] }, { id: 5, legal: [0, 1] }];
    const [ra, rb] = await Promise.all([ev.evaluate(a), ev.evaluate(b)]);
    ra.forEach((e, i) => expect(e.value).toBeCloseTo(Math.tanh(a[i]!.id / 10), 5));
    rb.forEach((e, i) => expect(e.value).toBeCloseTo(Math.tanh(b[i]!.id / 10), 5));
  });

  it('rejects encoders of the wrong size and actions outside the policy head', async () => {
    const eng = new FakeEngine(1);
    const badEncode = new NetworkEvaluator<St>({ encode: () => new Float32Array(3), legalActions: (s) => s.legal, net: eng });
    await expect(badEncode.evaluate([{ id: 0, legal: [0] }])).rejects.toThrow(/3 floats.*expects 2/);
    const badAction = new NetworkEvaluator<St>({ encode: (s) => new Float32Array([s.id, 0]), legalActions: () => [7], net: eng });
    await expect(badAction.evaluate([{ id: 0, legal: [] }])).rejects.toThrow(/outside the policy head/);
  });

  it('agrees with the raw network on a real net, at any batch size', async () => {
    const net = PolicyNetwork.create(tinyMlp, { seed: 9 });
    const boards = Array.from({ length: 23 }, (_, i) => Float32Array.from({ length: 18 }, (_, j) => ((i * 7 + j * 3) % 5 === 0 ? 1 : 0)));
    const ev = new NetworkEvaluator<number>({ encode: (i) => boards[i]!, legalActions: (i) => [i % 9, (i + 4) % 9], net });
    const ids = boards.map((_, i) => i);
    const all = await ev.evaluate(ids);
    for (const i of [0, 7, 22]) {
      const raw = net.run(boards[i]!, 1);
      const [a, b] = [i % 9, (i + 4) % 9];
      const pa = Math.exp(raw.policyLogits[a]!);
      const pb = Math.exp(raw.policyLogits[b]!);
      expect(all[i]!.priors[0]!).toBeCloseTo(pa / (pa + pb), 4);
      expect(all[i]!.value).toBeCloseTo(raw.values[0]!, 4);
      const single = (await ev.evaluate([i]))[0]!;
      expect(single.value).toBeCloseTo(all[i]!.value, 4);
    }
    net.dispose();
  });
});
