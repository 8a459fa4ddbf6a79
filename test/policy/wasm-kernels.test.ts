import { describe, it, expect, beforeAll } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '../../src/policy/index.js';
import { Rng } from '../../src/core/index.js';

// The re-registered wasm kernels must give the same gradients as the reference cpu backend.

function randn(rng: Rng, n: number): Float32Array {
  const a = new Float32Array(n);
  for (let i = 0; i < n; i++) a[i] = rng.normal();
  return a;
}

async function onBackend<T>(name: string, f: () => T): Promise<T> {
  await tf.setBackend(name);
  return f();
}

function maxAbsDiff(a: Float32Array, b: Float32Array): number {
  expect(a.length).toBe(b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
}

describe('wasm gradient kernels', () => {
  beforeAll(async () => {
    await initBackend({ prefer: 'wasm', log: null });
  });

  const cases: { x: [number, number, number, number]; f: [number, number, number, number]; pad: 'same' | 'valid' }[] = [
    { x: [2, 6, 7, 3], f: [3, 3, 3, 4], pad: 'same' },
    { x: [3, 5, 5, 2], f: [1, 1, 2, 5], pad: 'same' },
    { x: [2, 6, 7, 3], f: [3, 2, 3, 2], pad: 'valid' },
    { x: [1, 4, 6, 2], f: [2, 3, 2, 3], pad: 'same' }, // even kernel: asymmetric padding
  ];
  for (const [ci, c] of cases.entries()) {
    it(`conv2d gradients match cpu (x ${c.x}, filter ${c.f}, ${c.pad})`, async () => {
      const rng = new Rng(100 + ci);
      const xv = randn(rng, c.x.reduce((a, b) => a * b));
      const fv = randn(rng, c.f.reduce((a, b) => a * b));
      const run = () =>
        tf.tidy(() => {
          const x = tf.tensor4d(xv, c.x);
          const f = tf.tensor4d(fv, c.f);
          // A non-uniform upstream gradient (sin) so every dy entry matters.
          const g = tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.sin(tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, 1, c.pad))));
          const [dx, df] = g([x, f]);
          return [dx!.dataSync() as Float32Array, df!.dataSync() as Float32Array] as const;
        });
      const [dxW, dfW] = await onBackend('wasm', run);
      const [dxC, dfC] = await onBackend('cpu', run);
      await tf.setBackend('wasm');
      expect(maxAbsDiff(dxW, dxC)).toBeLessThan(1e-4);
      expect(maxAbsDiff(dfW, dfC)).toBeLessThan(1e-4);
    });
  }

  it('transposed batch matmul and broadcasting tile match cpu', async () => {
    const rng = new Rng(7);
    const av = randn(rng, 2 * 3 * 4);
    const bv = randn(rng, 2 * 5 * 4);
    const tv = randn(rng, 4);
    const run = () =>
      tf.tidy(() => {
        const a = tf.tensor3d(av, [2, 3, 4]);
        const b = tf.tensor3d(bv, [2, 5, 4]);
        const ab = tf.matMul(a, b, false, true); // [2,3,5]
        const ta = tf.matMul(tf.reshape(a, [2, 4, 3]), tf.reshape(b, [2, 4, 5]), true, false);
        const tl = tf.tile(tf.tensor2d(tv, [1, 4]), [3, 1]);
        const tn = tf.tile(tf.tensor2d(tv, [2, 2]), [2, 3]); // not a broadcast: stock kernel
        return [ab, ta, tl, tn].map((t) => t.dataSync() as Float32Array);
      });
    const w = await onBackend('wasm', run);
    const c = await onBackend('cpu', run);
    await tf.setBackend('wasm');
    for (let i = 0; i < w.length; i++) expect(maxAbsDiff(w[i]!, c[i]!)).toBeLessThan(1e-4);
  });

  it('repeated gradients with recycled tensor ids stay correct (no stale XNNPACK operator caches)', async () => {
    const rng = new Rng(21);
    for (let round = 0; round < 4; round++) {
      const xv = randn(rng, 2 * 5 * 6 * 3);
      const fv = randn(rng, 3 * 3 * 3 * 4);
      const run = () =>
        tf.tidy(() => {
          const g = tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.square(tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, 1, 'same'))));
          const [dx, df] = g([tf.tensor4d(xv, [2, 5, 6, 3]), tf.tensor4d(fv, [3, 3, 3, 4])]);
          const mm = tf.matMul(tf.tensor2d(xv.subarray(0, 12), [3, 4]), tf.tensor2d(fv.subarray(0, 20), [5, 4]), false, true);
          return [dx!, df!, mm].map((t) => t.dataSync() as Float32Array);
        });
      const w = await onBackend('wasm', run);
      const c = await onBackend('cpu', run);
      await tf.setBackend('wasm');
      for (let i = 0; i < w.length; i++) expect(maxAbsDiff(w[i]!, c[i]!)).toBeLessThan(1e-3);
    }
  });

  it('does not leak tensors', async () => {
    await tf.setBackend('wasm');
    const before = tf.memory().numTensors;
    const x = tf.randomNormal([2, 5, 5, 3]) as tf.Tensor4D;
    const f = tf.randomNormal([3, 3, 3, 4]) as tf.Tensor4D;
    const [dx, df] = tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, 1, 'same')))([x, f]);
    tf.dispose([x, f, dx!, df!]);
    expect(tf.memory().numTensors).toBe(before);
  });
});
