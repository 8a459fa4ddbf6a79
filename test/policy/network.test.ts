import { describe, it, expect, beforeAll } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { initBackend, PolicyNetwork } from '../../src/policy/index.js';
import { tinyMlp, tinyRes, syntheticBatch, isEngineErrorCode } from './helpers.js';

describe('PolicyNetwork', () => {
  beforeAll(async () => {
    const info = await initBackend({ log: null });
    expect(info.kind).toBe('wasm');
  });

  for (const spec of [tinyRes, tinyMlp]) {
    it(`${spec.arch.kind}: output shapes, tanh value range, deterministic init`, () => {
      const a = PolicyNetwork.create(spec, { seed: 3 });
      const b = PolicyNetwork.create(spec, { seed: 3 });
      const batch = syntheticBatch(spec, 5, 1);
      const oa = a.run(batch.observations, 5);
      const ob = b.run(batch.observations, 5);
      expect(oa.policyLogits.length).toBe(5 * spec.numActions);
      expect(oa.values.length).toBe(5);
      for (const v of oa.values) expect(Math.abs(v)).toBeLessThanOrEqual(1);
      expect(Array.from(oa.policyLogits)).toEqual(Array.from(ob.policyLogits));
      // One row alone gives the same answer as inside a batch (inference-mode batch norm).
      const one = a.run(batch.observations, 1);
      expect(one.values[0]).toBeCloseTo(oa.values[0]!, 5);
      a.dispose();
      b.dispose();
    });

    it(`${spec.arch.kind}: training lowers policy and value loss on a fixed batch`, () => {
      const net = PolicyNetwork.create(spec, { seed: 1, train: { learningRate: 5e-3 } });
      const batch = syntheticBatch(spec, 32, 2);
      const first = net.trainStep(batch);
      let last = first;
      for (let i = 0; i < 20; i++) last = net.trainStep(batch);
      expect(net.step).toBe(21);
      expect(last.policy).toBeLessThan(first.policy * 0.9);
      expect(last.value).toBeLessThan(first.value * 0.5);
      expect(last.l2).toBeGreaterThan(0);
      expect(last.total).toBeCloseTo(last.policy + last.value + last.l2, 4);
      // evaluateLosses agrees with the definition used by trainStep (in inference mode).
      const ev = net.evaluateLosses(batch);
      expect(ev.l2).toBeGreaterThan(0);
      expect(Number.isFinite(ev.total)).toBe(true);
      net.dispose();
    });
  }

  it('train() runs shuffled epochs over samples and reports per-epoch means', () => {
    const net = PolicyNetwork.create(tinyMlp, { seed: 2, train: { learningRate: 3e-3 } });
    const b = syntheticBatch(tinyMlp, 96, 5);
    const samples = Array.from({ length: 96 }, (_, i) => ({
      observation: b.observations.slice(i * 18, i * 18 + 18),
      policy: b.policies.slice(i * 9, i * 9 + 9),
      value: b.values[i]!,
    }));
    let calls = 0;
    const r = net.train(samples, { epochs: 4, batchSize: 32, onStep: () => calls++ });
    expect(r.steps).toBe(12);
    expect(calls).toBe(12);
    expect(r.epochs.length).toBe(4);
    expect(r.epochs[3]!.total).toBeLessThan(r.epochs[0]!.total);
    net.dispose();
  });

  it('clone() copies weights and step; the copy trains independently', () => {
    const net = PolicyNetwork.create(tinyRes, { seed: 6 });
    const batch = syntheticBatch(tinyRes, 16, 8);
    net.trainStep(batch);
    const copy = net.clone();
    expect(copy.step).toBe(1);
    expect(Array.from(copy.run(batch.observations, 16).values)).toEqual(Array.from(net.run(batch.observations, 16).values));
    const before = Array.from(net.run(batch.observations, 4).policyLogits);
    copy.trainStep(batch);
    expect(Array.from(net.run(batch.observations, 4).policyLogits)).toEqual(before);
    expect(Array.from(copy.run(batch.observations, 4).policyLogits)).not.toEqual(before);
    copy.dispose();
    net.dispose();
  });

  it('does not leak tensors across train and run', () => {
    const net = PolicyNetwork.create(tinyRes, { seed: 1 });
    const batch = syntheticBatch(tinyRes, 8, 3);
    net.trainStep(batch);
    net.run(batch.observations, 8);
    const before = tf.memory().numTensors;
    net.trainStep(batch);
    net.run(batch.observations, 8);
    net.run(batch.observations, 0);
    expect(tf.memory().numTensors).toBe(before);
    net.dispose();
  });

  it('rejects bad specs and wrong-sized inputs with clear errors', () => {
    expect(() => PolicyNetwork.create({ ...tinyRes, numActions: 0 })).toThrow(/numActions/);
    expect(() => PolicyNetwork.create(tinyRes, { train: { learningRate: -1 } })).toThrow(/learningRate must be a positive number, got -1/);
    expect(() => PolicyNetwork.create(tinyRes, { train: { optimizer: 'sgd', momentum: 1 } })).toThrow(/momentum/);
    const net = PolicyNetwork.create(tinyMlp);
    try {
      net.run(new Float32Array(10), 1);
      expect.unreachable();
    } catch (e) {
      expect(isEngineErrorCode(e, 'BAD_ARGUMENT')).toBe(true);
      expect((e as Error).message).toMatch(/2x3x3/);
    }
    net.dispose();
  });
});
