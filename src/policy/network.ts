import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { EngineError, Rng } from '../core/index.js';
import { buildModel } from './model.js';
import { netSpecSchema, observationSize, type NetSpec, type NetSpecInput } from './spec.js';

/** Raw network output for a batch of n positions. */
export interface NetOutput {
  /** n x numActions policy logits, row-major (not masked, not normalised). */
  readonly policyLogits: Float32Array;
  /** n values in [-1,1], each for the player to move in that position. */
  readonly values: Float32Array;
}

/** Anything that maps a batch of observations to policy logits and values (tfjs, ONNX Runtime). */
export interface InferenceEngine {
  readonly kind: 'tfjs' | 'onnx';
  readonly observationShape: readonly [number, number, number];
  readonly numActions: number;
  /** `input` holds at least n observations of observationSize floats, [C,H,W] each. */
  run(input: Float32Array, n: number): NetOutput | Promise<NetOutput>;
  dispose(): void | Promise<void>;
}

export interface TrainOptions {
  /** Default 1e-3 (Adam) or 0.02 (SGD). */
  readonly learningRate?: number;
  /** L2 penalty on conv/dense kernels, added to the loss (default 1e-4). */
  readonly l2?: number;
  readonly optimizer?: 'adam' | 'sgd';
  /** SGD momentum (default 0.9). */
  readonly momentum?: number;
}
export type ResolvedTrainOptions = Required<TrainOptions>;

/** A training batch in flat typed arrays (what a replay buffer hands out). */
export interface TrainBatch {
  readonly size: number;
  /** size x C*H*W observations. */
  readonly observations: Float32Array;
  /** size x numActions visit distributions (each row sums to 1). */
  readonly policies: Float32Array;
  /** size outcomes in [-1,1] for the player to move. */
  readonly values: Float32Array;
}

export interface TrainingSample {
  readonly observation: Float32Array;
  readonly policy: Float32Array;
  readonly value: number;
}

export interface Losses {
  /** policy + value + l2. */
  readonly total: number;
  /** Cross-entropy of the visit distribution against softmax(logits). */
  readonly policy: number;
  /** Mean squared error of the value. */
  readonly value: number;
  /** The weighted L2 term. */
  readonly l2: number;
}

export interface TrainReport {
  /** Mean losses of each epoch. */
  readonly epochs: readonly Losses[];
  readonly steps: number;
}

export function resolveTrainOptions(o: TrainOptions = {}): ResolvedTrainOptions {
  const optimizer = o.optimizer ?? 'adam';
  const r = {
    optimizer,
    learningRate: o.learningRate ?? (optimizer === 'adam' ? 1e-3 : 0.02),
    l2: o.l2 ?? 1e-4,
    momentum: o.momentum ?? 0.9,
  };
  if (optimizer !== 'adam' && optimizer !== 'sgd') throw new EngineError('BAD_CONFIG', `optimizer must be 'adam' or 'sgd', got '${String(optimizer)}'`);
  if (!(r.learningRate > 0 && Number.isFinite(r.learningRate))) throw new EngineError('BAD_CONFIG', `learningRate must be a positive number, got ${r.learningRate}`);
  if (!(r.l2 >= 0 && Number.isFinite(r.l2))) throw new EngineError('BAD_CONFIG', `l2 must be >= 0, got ${r.l2}`);
  if (!(r.momentum >= 0 && r.momentum < 1)) throw new EngineError('BAD_CONFIG', `momentum must be in [0, 1), got ${r.momentum}`);
  return r;
}

function makeOptimizer(o: ResolvedTrainOptions): tf.Optimizer {
  return o.optimizer === 'adam' ? tf.train.adam(o.learningRate) : tf.train.momentum(o.learningRate, o.momentum);
}

/**
 * A policy/value network: a tf.layers model plus its optimizer and training step counter.
 * Call `initBackend()` first. Training is synchronous (tfjs on wasm computes eagerly); so is
 * tfjs inference, wrapped as an `InferenceEngine`.
 */
export class PolicyNetwork implements InferenceEngine {
  readonly kind = 'tfjs' as const;
  readonly spec: NetSpec;
  readonly model: tfl.LayersModel;
  /** Training steps (batches) taken over the network's life, restored from checkpoints. */
  step: number;
  private trainOpts: ResolvedTrainOptions;
  private optimizer: tf.Optimizer;
  private readonly obsSize: number;
  private readonly kernels: tf.Variable[];
  private readonly trainable: tf.Variable[];

  private constructor(spec: NetSpec, model: tfl.LayersModel, train: ResolvedTrainOptions, step: number) {
    this.spec = spec;
    this.model = model;
    this.step = step;
    this.trainOpts = train;
    this.optimizer = makeOptimizer(train);
    this.obsSize = observationSize(spec);
    this.trainable = model.trainableWeights.map((w) => w.read() as tf.Variable);
    // L2 applies to conv and dense kernels only (not biases, not batch-norm scales).
    this.kernels = model.trainableWeights.filter((w) => /kernel$/.test(w.originalName)).map((w) => w.read() as tf.Variable);
  }

  /** A fresh network with seeded initial weights. */
  static create(spec: NetSpecInput, opts: { seed?: number; train?: TrainOptions } = {}): PolicyNetwork {
    // tfjs would pick wasm on its own and then fail: wasm needs an asynchronous start.
    if (!tf.engine().backendName) throw new EngineError('INTERNAL', 'no tfjs backend is running: await initBackend() (from the policy module) before creating networks');
    const parsed = netSpecSchema.safeParse(spec);
    if (!parsed.success) throw new EngineError('BAD_CONFIG', `invalid network spec: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
    return new PolicyNetwork(parsed.data, buildModel(parsed.data, opts.seed ?? 1), resolveTrainOptions(opts.train), 0);
  }

  /** Wrap a model read from a checkpoint (the loader has already checked it against spec). */
  static fromModel(spec: NetSpec, model: tfl.LayersModel, opts: { step: number; train?: TrainOptions }): PolicyNetwork {
    return new PolicyNetwork(spec, model, resolveTrainOptions(opts.train), opts.step);
  }

  get observationShape(): readonly [number, number, number] {
    return this.spec.observationShape;
  }
  get numActions(): number {
    return this.spec.numActions;
  }
  get trainOptions(): ResolvedTrainOptions {
    return this.trainOpts;
  }

  /** Change the learning rate (schedules); optimizer state is kept. */
  setLearningRate(lr: number): void {
    resolveTrainOptions({ ...this.trainOpts, learningRate: lr });
    this.trainOpts = { ...this.trainOpts, learningRate: lr };
    // tfjs optimizers read this field on every step.
    (this.optimizer as unknown as { learningRate: number }).learningRate = lr;
  }

  /** Forward pass (inference mode) on n observations of C*H*W floats each. */
  run(input: Float32Array, n: number): NetOutput {
    this.checkInput(input, n, 'run');
    if (n === 0) return { policyLogits: new Float32Array(0), values: new Float32Array(0) };
    const [p, v] = tf.tidy(() => {
      const x = tf.tensor4d(input.subarray(0, n * this.obsSize), [n, ...this.spec.observationShape]);
      // Without batchSize, predict splits into chunks of 32.
      const out = this.model.predict(x, { batchSize: Math.max(1, n) }) as tf.Tensor[];
      return [out[0]!, out[1]!];
    });
    try {
      return { policyLogits: p.dataSync() as Float32Array, values: v.dataSync() as Float32Array };
    } finally {
      tf.dispose([p, v]);
    }
  }

  /** One optimiser step on a batch; returns the batch's losses before the update. */
  trainStep(batch: TrainBatch): Losses {
    const n = batch.size;
    const A = this.spec.numActions;
    if (n < 1) throw new EngineError('BAD_ARGUMENT', 'trainStep: empty batch');
    this.checkInput(batch.observations, n, 'trainStep');
    if (batch.policies.length < n * A) throw new EngineError('BAD_ARGUMENT', `trainStep: policies hold ${batch.policies.length} floats, need ${n} x ${A}`);
    if (batch.values.length < n) throw new EngineError('BAD_ARGUMENT', `trainStep: values hold ${batch.values.length} floats, need ${n}`);
    const l2w = this.trainOpts.l2;
    const parts = tf.tidy(() => {
      const x = tf.tensor4d(batch.observations.subarray(0, n * this.obsSize), [n, ...this.spec.observationShape]);
      const pi = tf.tensor2d(batch.policies.subarray(0, n * A), [n, A]);
      const z = tf.tensor2d(batch.values.subarray(0, n), [n, 1]);
      let pLoss: tf.Scalar | null = null;
      let vLoss: tf.Scalar | null = null;
      let rLoss: tf.Scalar | null = null;
      const total = this.optimizer.minimize(
        () => {
          const [logits, v] = this.model.apply(x, { training: true }) as tf.Tensor[];
          const p = tf.neg(tf.mean(tf.sum(tf.mul(pi, tf.logSoftmax(logits!)), 1))) as tf.Scalar;
          const vl = tf.mean(tf.squaredDifference(v!, z)) as tf.Scalar;
          let reg = tf.scalar(0);
          for (const k of this.kernels) reg = tf.add(reg, tf.sum(tf.square(k)));
          const r = tf.mul(reg, l2w) as tf.Scalar;
          pLoss = tf.keep(p);
          vLoss = tf.keep(vl);
          rLoss = tf.keep(r);
          return tf.addN([p, vl, r]) as tf.Scalar;
        },
        true,
        this.trainable,
      );
      return [total!, pLoss!, vLoss!, rLoss!] as tf.Scalar[];
    });
    const [total, policy, value, l2] = parts.map((t) => t.dataSync()[0]!) as [number, number, number, number];
    tf.dispose(parts);
    if (!Number.isFinite(total)) throw new EngineError('INTERNAL', `trainStep: loss became ${total} at step ${this.step} (learning rate ${this.trainOpts.learningRate})`);
    this.step++;
    return { total, policy, value, l2 };
  }

  /** Shuffled mini-batch training over samples for some epochs. */
  train(samples: readonly TrainingSample[], o: { epochs?: number; batchSize?: number; rng?: Rng; onStep?: (l: Losses) => void } = {}): TrainReport {
    const epochs = o.epochs ?? 1;
    const batchSize = Math.max(1, Math.min(o.batchSize ?? 256, samples.length));
    const rng = o.rng ?? new Rng(this.step + 1);
    const S = this.obsSize;
    const A = this.spec.numActions;
    const obs = new Float32Array(batchSize * S);
    const pol = new Float32Array(batchSize * A);
    const val = new Float32Array(batchSize);
    const order = samples.map((_, i) => i);
    const report: Losses[] = [];
    let steps = 0;
    for (let e = 0; e < epochs; e++) {
      rng.shuffle(order);
      const sum = { total: 0, policy: 0, value: 0, l2: 0 };
      let batches = 0;
      // Drop the ragged tail: full batches keep batch-norm statistics comparable.
      for (let start = 0; start + batchSize <= order.length; start += batchSize) {
        for (let i = 0; i < batchSize; i++) {
          const s = samples[order[start + i]!]!;
          if (s.observation.length !== S || s.policy.length !== A) {
            throw new EngineError('BAD_ARGUMENT', `train: sample ${order[start + i]} has observation ${s.observation.length} / policy ${s.policy.length} floats, network wants ${S} / ${A}`);
          }
          obs.set(s.observation, i * S);
          pol.set(s.policy, i * A);
          val[i] = s.value;
        }
        const l = this.trainStep({ size: batchSize, observations: obs, policies: pol, values: val });
        o.onStep?.(l);
        sum.total += l.total;
        sum.policy += l.policy;
        sum.value += l.value;
        sum.l2 += l.l2;
        batches++;
        steps++;
      }
      report.push({ total: sum.total / batches, policy: sum.policy / batches, value: sum.value / batches, l2: sum.l2 / batches });
    }
    return { epochs: report, steps };
  }

  /** Losses on a batch without updating (validation). */
  evaluateLosses(batch: TrainBatch): Losses {
    const n = batch.size;
    const A = this.spec.numActions;
    this.checkInput(batch.observations, n, 'evaluateLosses');
    const out = this.run(batch.observations, n);
    let p = 0;
    let v = 0;
    for (let i = 0; i < n; i++) {
      let max = -Infinity;
      for (let a = 0; a < A; a++) max = Math.max(max, out.policyLogits[i * A + a]!);
      let z = 0;
      for (let a = 0; a < A; a++) z += Math.exp(out.policyLogits[i * A + a]! - max);
      const logZ = max + Math.log(z);
      for (let a = 0; a < A; a++) p -= batch.policies[i * A + a]! * (out.policyLogits[i * A + a]! - logZ);
      v += (out.values[i]! - batch.values[i]!) ** 2;
    }
    let reg = 0;
    for (const k of this.kernels) reg += tf.tidy(() => tf.sum(tf.square(k)).dataSync()[0]!);
    const l2 = reg * this.trainOpts.l2;
    return { total: p / n + v / n + l2, policy: p / n, value: v / n, l2 };
  }

  /** Optimizer state (Adam moments, iteration count) for checkpoints. */
  async optimizerWeights(): Promise<{ name: string; tensor: tf.Tensor }[]> {
    return this.optimizer.getWeights();
  }

  async setOptimizerWeights(w: { name: string; tensor: tf.Tensor }[]): Promise<void> {
    await this.optimizer.setWeights(w);
  }

  /** An independent copy (weights and step; fresh optimizer state), e.g. the gating baseline. */
  clone(): PolicyNetwork {
    const model = buildModel(this.spec);
    model.setWeights(this.model.getWeights());
    return new PolicyNetwork(this.spec, model, this.trainOpts, this.step);
  }

  /** Copy another network's weights (same spec) into this one, e.g. to refresh an inference copy. */
  setWeightsFrom(other: PolicyNetwork): void {
    this.model.setWeights(other.model.getWeights());
  }

  dispose(): void {
    this.model.dispose();
    this.optimizer.dispose();
  }

  private checkInput(input: Float32Array, n: number, where: string): void {
    if (!Number.isInteger(n) || n < 0 || input.length < n * this.obsSize) {
      throw new EngineError('BAD_ARGUMENT', `${where}: input holds ${input.length} floats, need ${n} x ${this.obsSize} (observation shape ${this.spec.observationShape.join('x')})`);
    }
  }
}
