import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { mkdtempSync, rmSync, readFileSync, writeFileSync, readdirSync, truncateSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { initBackend, PolicyNetwork, saveCheckpoint, loadCheckpoint, readManifest } from '../../src/policy/index.js';
import { tinyRes, tinyMlp, syntheticBatch, isEngineErrorCode } from './helpers.js';

let root: string;
beforeAll(async () => {
  await initBackend({ log: null });
  root = mkdtempSync(join(tmpdir(), 'arbor-policy-ckpt-'));
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

async function expectBad(p: Promise<unknown>, file: string, what: RegExp): Promise<void> {
  try {
    await p;
    expect.unreachable('load should have failed');
  } catch (e) {
    expect(isEngineErrorCode(e, 'BAD_CHECKPOINT')).toBe(true);
    expect((e as Error).message).toContain(file);
    expect((e as Error).message).toMatch(what);
  }
}

function copyCheckpoint(from: string, to: string): string {
  for (const f of readdirSync(from)) writeFileSync(join(to, f), readFileSync(join(from, f)));
  return to;
}

describe('checkpoints', () => {
  it('round-trip: same outputs, step, metrics; training resumes exactly with optimizer state', async () => {
    const net = PolicyNetwork.create(tinyRes, { seed: 4, train: { learningRate: 2e-3 } });
    const batch = syntheticBatch(tinyRes, 16, 1);
    for (let i = 0; i < 3; i++) net.trainStep(batch);
    const dir = join(root, 'res-step3');
    const m = await saveCheckpoint(net, dir, { metrics: { loss: 1.5, note: 'x' } });
    expect(m.step).toBe(3);
    expect(readdirSync(dir).sort()).toEqual(['manifest.json', 'model.json', 'model.onnx', 'optimizer.bin', 'weights.bin']);
    expect(readdirSync(root).filter((f) => f.startsWith('.'))).toEqual([]); // no temp leftovers

    const { net: back, manifest } = await loadCheckpoint(dir, { expect: { game: 'tiny_board', observationShape: [2, 3, 4], numActions: 5 } });
    expect(manifest.metrics).toEqual({ loss: 1.5, note: 'x' });
    expect(back.step).toBe(3);
    expect(back.spec).toEqual(net.spec);
    const a = net.run(batch.observations, 16);
    const b = back.run(batch.observations, 16);
    expect(Array.from(b.policyLogits)).toEqual(Array.from(a.policyLogits));
    expect(Array.from(b.values)).toEqual(Array.from(a.values));
    // Adam moments came back: the next step is the same on both.
    const la = net.trainStep(batch);
    const lb = back.trainStep(batch);
    expect(lb.total).toBeCloseTo(la.total, 5);
    const a2 = net.run(batch.observations, 4);
    const b2 = back.run(batch.observations, 4);
    for (let i = 0; i < a2.policyLogits.length; i++) expect(b2.policyLogits[i]!).toBeCloseTo(a2.policyLogits[i]!, 4);
    net.dispose();
    back.dispose();
  });

  it('is loadable by stock tfjs from model.json + weights.bin alone', async () => {
    const net = PolicyNetwork.create(tinyMlp, { seed: 2 });
    const dir = join(root, 'mlp');
    await saveCheckpoint(net, dir, { includeOptimizer: false });
    expect(existsSync(join(dir, 'optimizer.bin'))).toBe(false);
    const json = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8')) as tf.io.ModelJSON;
    const w = readFileSync(join(dir, json.weightsManifest[0]!.paths[0]!));
    const model = await tfl.loadLayersModel(tf.io.fromMemory({ modelTopology: json.modelTopology, weightSpecs: json.weightsManifest[0]!.weights, weightData: new Uint8Array(w).buffer }));
    const x = syntheticBatch(tinyMlp, 3, 3).observations;
    const [p] = model.predict(tf.tensor4d(x, [3, 2, 3, 3])) as tf.Tensor[];
    expect(Array.from(p!.dataSync())).toEqual(Array.from(net.run(x, 3).policyLogits));
    model.dispose();
    net.dispose();
  });

  it('overwrites an existing checkpoint directory atomically', async () => {
    const dir = join(root, 'overwrite');
    const n1 = PolicyNetwork.create(tinyMlp, { seed: 1 });
    const n2 = PolicyNetwork.create(tinyMlp, { seed: 2 });
    n2.step = 7;
    await saveCheckpoint(n1, dir);
    await saveCheckpoint(n2, dir);
    expect((await readManifest(dir)).step).toBe(7);
    expect(readdirSync(root).filter((f) => f.startsWith('.'))).toEqual([]);
    n1.dispose();
    n2.dispose();
  });

  describe('bad checkpoints give BAD_CHECKPOINT naming the file and the problem', () => {
    let good: string;
    beforeAll(async () => {
      const net = PolicyNetwork.create(tinyRes, { seed: 5 });
      good = join(root, 'good');
      await saveCheckpoint(net, good);
      net.dispose();
    });
    const variant = (name: string): string => {
      const d = mkdtempSync(join(root, `${name}-`));
      return copyCheckpoint(good, d);
    };

    it('wrong game, shape, or action count', async () => {
      await expectBad(loadCheckpoint(good, { expect: { game: 'connect_four' } }), 'manifest.json', /game 'tiny_board', expected 'connect_four'/);
      await expectBad(loadCheckpoint(good, { expect: { observationShape: [3, 6, 7] } }), 'manifest.json', /2x3x4 does not match the game's 3x6x7/);
      await expectBad(loadCheckpoint(good, { expect: { numActions: 7 } }), 'manifest.json', /policy size 5 .* 7 actions/);
    });

    it('missing directory or manifest', async () => {
      await expectBad(loadCheckpoint(join(root, 'nope')), 'nope/manifest.json', /missing/);
    });

    it('manifest that is not JSON or not a manifest', async () => {
      const d1 = variant('badjson');
      writeFileSync(join(d1, 'manifest.json'), '{"format": "arbor-policy-checkpoint", ');
      await expectBad(loadCheckpoint(d1), join(d1, 'manifest.json'), /not valid JSON/);
      const d2 = variant('notmanifest');
      writeFileSync(join(d2, 'manifest.json'), JSON.stringify({ hello: 1 }));
      await expectBad(loadCheckpoint(d2), join(d2, 'manifest.json'), /not an arbor checkpoint manifest: format/);
    });

    it('truncated weights', async () => {
      const d = variant('trunc');
      truncateSync(join(d, 'weights.bin'), 100);
      await expectBad(loadCheckpoint(d), join(d, 'weights.bin'), /is 100 bytes, the manifest says \d+/);
    });

    it('corrupted weights (same size) and corrupted model.json', async () => {
      const d = variant('flip');
      const w = readFileSync(join(d, 'weights.bin'));
      w[10] = w[10]! ^ 0xff;
      writeFileSync(join(d, 'weights.bin'), w);
      await expectBad(loadCheckpoint(d), join(d, 'weights.bin'), /SHA-256/);
      const d2 = variant('modeljson');
      const mj = readFileSync(join(d2, 'model.json'));
      writeFileSync(join(d2, 'model.json'), mj.subarray(0, mj.length - 1));
      await expectBad(loadCheckpoint(d2), join(d2, 'model.json'), /bytes, the manifest says/);
    });

    it('model.json that disagrees with the manifest (checksums updated to match)', async () => {
      // A checkpoint of another net with a doctored manifest: the model does not fit the spec.
      const other = PolicyNetwork.create({ ...tinyRes, numActions: 6 }, { seed: 1 });
      const d = join(root, 'mismatch');
      await saveCheckpoint(other, d);
      other.dispose();
      const m = JSON.parse(readFileSync(join(d, 'manifest.json'), 'utf8')) as { numActions: number };
      m.numActions = 5;
      writeFileSync(join(d, 'manifest.json'), JSON.stringify(m));
      await expectBad(loadCheckpoint(d), join(d, 'model.json'), /gives \[6, 1\], the manifest says 2x3x4 -> \[5, 1\]/);
    });
  });
});
