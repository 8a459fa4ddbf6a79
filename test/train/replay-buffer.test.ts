import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { mkdtempSync, readdirSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ReplayBuffer, encodeChunk, decodeChunk, type Sample } from '../../src/train/replay-buffer.js';
import { Rng } from '../../src/core/index.js';

const sample = (v: number, os = 3, na = 2): Sample => ({
  observation: new Float32Array(os).fill(v),
  policy: new Float32Array(na).fill(v / 10),
  value: v,
});

describe('replay buffer', () => {
  it('round-trips chunks exactly', () => {
    fc.assert(
      fc.property(fc.array(fc.float({ noNaN: true, min: -1, max: 1 }), { minLength: 1, maxLength: 20 }), (vals) => {
        const samples = vals.map((v) => sample(Math.fround(v)));
        const back = decodeChunk(encodeChunk(samples, 3, 2), 'x', 3, 2);
        expect(back.length).toBe(samples.length);
        back.forEach((b, i) => {
          expect(Array.from(b.observation)).toEqual(Array.from(samples[i]!.observation));
          expect(b.value).toBe(samples[i]!.value);
        });
      }),
    );
  });

  it('keeps a sliding window across reopen and deletes whole old chunks', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'arbor-rb-'));
    const rb = await ReplayBuffer.open(dir, { observationSize: 3, numActions: 2, windowSamples: 10 });
    for (let g = 0; g < 6; g++) await rb.append([sample(g), sample(g), sample(g), sample(g)]);
    expect(rb.size).toBeGreaterThanOrEqual(10);
    expect(rb.size).toBeLessThan(14);
    const again = await ReplayBuffer.open(dir, { observationSize: 3, numActions: 2, windowSamples: 10 });
    expect(again.size).toBe(rb.size);
    expect(again.nextSeq).toBe(6);
    const batch = again.sampleBatch(32, new Rng(3));
    for (const v of batch.values) expect(v).toBeGreaterThanOrEqual(3);
  });

  it('names the file when a chunk is corrupt or from another game', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'arbor-rb-'));
    const rb = await ReplayBuffer.open(dir, { observationSize: 3, numActions: 2, windowSamples: 10 });
    await rb.append([sample(1)]);
    const file = join(dir, readdirSync(dir)[0]!);
    const bytes = readFileSync(file);
    writeFileSync(file, bytes.subarray(0, bytes.length - 2));
    await expect(ReplayBuffer.open(dir, { observationSize: 3, numActions: 2, windowSamples: 10 })).rejects.toThrow(/chunk-00000000\.bin.*size/);
    writeFileSync(file, bytes);
    await expect(ReplayBuffer.open(dir, { observationSize: 4, numActions: 2, windowSamples: 10 })).rejects.toThrow(/expects 4/);
  });
});
