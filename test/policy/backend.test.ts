import { describe, it, expect } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { initBackend, wasmKernelsPatched } from '../../src/policy/index.js';
import { isEngineErrorCode } from './helpers.js';

describe('backend selection', () => {
  it('falls back to wasm here (native packages absent), patched, and says so', async () => {
    const lines: string[] = [];
    const info = await initBackend({ prefer: 'auto', log: (l) => lines.push(l) });
    expect(info.kind).toBe('wasm');
    expect(tf.getBackend()).toBe('wasm');
    expect(wasmKernelsPatched()).toBe(true);
    expect(tf.getKernel('Conv2DBackpropFilter', 'wasm')).toBeDefined();
    expect(info.skipped.join(' ')).toMatch(/tfjs-node-gpu not installed/);
    expect(lines.join('\n')).toMatch(/tfjs backend: wasm/);
  });

  it('honours an explicit choice and rejects a bad ARBOR_TF_BACKEND', async () => {
    expect((await initBackend({ prefer: 'cpu', log: null })).kind).toBe('cpu');
    expect((await initBackend({ prefer: 'wasm', log: null })).kind).toBe('wasm');
    process.env['ARBOR_TF_BACKEND'] = 'tpu';
    try {
      await initBackend({ log: null });
      expect.unreachable();
    } catch (e) {
      expect(isEngineErrorCode(e, 'BAD_CONFIG')).toBe(true);
      expect((e as Error).message).toMatch(/ARBOR_TF_BACKEND='tpu'/);
    } finally {
      delete process.env['ARBOR_TF_BACKEND'];
    }
  });
});
