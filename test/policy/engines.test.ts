import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { mkdtempSync, rmSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import onnxProto from 'onnx-proto';
import {
  initBackend,
  PolicyNetwork,
  exportOnnx,
  OnnxEngine,
  inferenceEngineFor,
  saveCheckpoint,
  loadInferenceEngine,
  NetworkEvaluator,
  CompiledTfjsEngine,
  type NetSpecInput,
} from '../../src/policy/index.js';
import { tinyMlp, tinyRes, syntheticBatch, isEngineErrorCode } from './helpers.js';

let root: string;
beforeAll(async () => {
  await initBackend({ log: null });
  root = mkdtempSync(join(tmpdir(), 'arbor-policy-onnx-'));
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

function maxAbsDiff(a: Float32Array, b: Float32Array): number {
  expect(a.length).toBe(b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
}

// Non-square board, even filter count, several blocks, wider heads: catches layout slips.
const wideRes: NetSpecInput = { game: 'g', observationShape: [3, 4, 5], numActions: 11, arch: { kind: 'resnet', blocks: 2, channels: 6, policyChannels: 3, valueChannels: 2, valueHidden: 5 } };

describe('inference engines', () => {
  for (const spec of [tinyRes, wideRes, tinyMlp]) {
    it(`${spec.arch.kind} ${spec.observationShape.join('x')}: ONNX Runtime and compiled tfjs agree with model.predict (trained batch-norm statistics)`, async () => {
      const net = PolicyNetwork.create(spec, { seed: 11, train: { learningRate: 1e-2 } });
      const batch = syntheticBatch(spec, 32, 4);
      // Training moves batch-norm statistics away from (0,1) so folding is really exercised.
      for (let i = 0; i < 5; i++) net.trainStep(batch);
      const onnx = await OnnxEngine.create(exportOnnx(net.model), net.spec);
      const compiled = CompiledTfjsEngine.compile(net.model, net.spec);
      for (const n of [1, 7, 32]) {
        const a = net.run(batch.observations, n);
        for (const b of [await onnx.run(batch.observations, n), compiled.run(batch.observations, n)]) {
          expect(maxAbsDiff(a.policyLogits, b.policyLogits)).toBeLessThan(1e-4);
          expect(maxAbsDiff(a.values, b.values)).toBeLessThan(1e-4);
        }
      }
      await onnx.dispose();
      compiled.dispose();
      net.dispose();
    });
  }

  it('writes a ModelProto of standard ops with BN folded into convs', () => {
    const net = PolicyNetwork.create(tinyRes);
    const m = onnxProto.onnx.ModelProto.decode(exportOnnx(net.model));
    const ops = new Set(m.graph!.node!.map((n) => n.opType));
    expect([...ops].sort()).toEqual(['Add', 'Conv', 'Flatten', 'Gemm', 'Identity', 'Relu', 'Tanh']);
    expect(m.graph!.input!.map((i) => i.name)).toEqual(['observation']);
    expect(m.graph!.output!.map((o) => o.name)).toEqual(['policy', 'value']);
    net.dispose();
  });

  it('checkpoints carry model.onnx; loadInferenceEngine uses it and detects corruption', async () => {
    const net = PolicyNetwork.create(tinyRes, { seed: 3 });
    const dir = join(root, 'ck');
    await saveCheckpoint(net, dir);
    const { engine, manifest } = await loadInferenceEngine(dir, { expect: { game: 'tiny_board' } });
    expect(engine.kind).toBe('onnx');
    expect(manifest.files['model.onnx']).toBeDefined();
    const x = syntheticBatch(tinyRes, 4, 1).observations;
    expect(maxAbsDiff((await engine.run(x, 4)).values, net.run(x, 4).values)).toBeLessThan(1e-4);
    await engine.dispose();
    const tf = await loadInferenceEngine(dir, { engine: 'tfjs' });
    expect(tf.engine).toBeInstanceOf(CompiledTfjsEngine);
    expect(maxAbsDiff((await tf.engine.run(x, 4)).values, net.run(x, 4).values)).toBeLessThan(1e-4);
    await tf.engine.dispose();
    const f = readFileSync(join(dir, 'model.onnx'));
    writeFileSync(join(dir, 'model.onnx'), f.subarray(0, 50));
    try {
      await loadInferenceEngine(dir);
      expect.unreachable();
    } catch (e) {
      expect(isEngineErrorCode(e, 'BAD_CHECKPOINT')).toBe(true);
      expect((e as Error).message).toContain('model.onnx');
    }
    net.dispose();
  });

  it('the evaluator gives the same priors through either engine', async () => {
    const net = PolicyNetwork.create(tinyMlp, { seed: 5 });
    const onnx = await inferenceEngineFor(net);
    expect(onnx.kind).toBe('onnx');
    const b = syntheticBatch(tinyMlp, 10, 2);
    const states = Array.from({ length: 10 }, (_, i) => i);
    const mk = (engine: typeof onnx) =>
      new NetworkEvaluator<number>({ encode: (i) => b.observations.subarray(i * 18, i * 18 + 18), legalActions: (i) => [0, i % 9, 8].filter((a, j, xs) => xs.indexOf(a) === j), net: engine });
    const [x, y] = [await mk(net).evaluate(states), await mk(onnx).evaluate(states)];
    x.forEach((e, i) => {
      expect(maxAbsDiff(e.priors, y[i]!.priors)).toBeLessThan(1e-5);
      expect(Math.abs(e.value - y[i]!.value)).toBeLessThan(1e-5);
    });
    await onnx.dispose();
    net.dispose();
  });
});
