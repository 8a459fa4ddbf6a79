import { Rng, isEngineError, type ErrorCode } from '../../src/core/index.js';
import type { NetSpecInput, TrainBatch } from '../../src/policy/index.js';

export const tinyRes: NetSpecInput = {
  game: 'tiny_board',
  observationShape: [2, 3, 4],
  numActions: 5,
  arch: { kind: 'resnet', blocks: 1, channels: 8, valueHidden: 8 },
};
export const tinyMlp: NetSpecInput = {
  game: 'tiny_board',
  observationShape: [2, 3, 3],
  numActions: 9,
  arch: { kind: 'mlp', hidden: [16, 16] },
};

/** A learnable synthetic batch: the target action and value are functions of the board. */
export function syntheticBatch(spec: NetSpecInput, n: number, seed: number): TrainBatch {
  const rng = new Rng(seed);
  const [c, h, w] = spec.observationShape;
  const S = c * h * w;
  const A = spec.numActions;
  const observations = new Float32Array(n * S);
  const policies = new Float32Array(n * A);
  const values = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    let ones = 0;
    for (let j = 0; j < S; j++) {
      const v = rng.next() < 0.4 ? 1 : 0;
      observations[i * S + j] = v;
      ones += v;
    }
    policies[i * A + (ones % A)] = 0.75;
    policies[i * A + ((ones + 1) % A)] = 0.25;
    values[i] = ones % 2 === 0 ? 0.8 : -0.8;
  }
  return { size: n, observations, policies, values };
}

export function isEngineErrorCode(e: unknown, code: ErrorCode): boolean {
  return isEngineError(e) && e.code === code;
}
