import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { EngineError } from '../core/index.js';
import type { InferenceEngine, NetOutput } from './network.js';

/** A conv whose batch norm and ReLU may still fold into it, not yet emitted as a step. */
interface PendingConv {
  readonly input: string;
  readonly filter: Float32Array; // [kh,kw,in,out]
  readonly shape: [number, number, number, number];
  readonly bias: Float32Array;
  readonly pad: 'same' | 'valid';
  readonly strides: [number, number];
  readonly dilations: [number, number];
  act: 'linear' | 'relu';
  /** Consumers of the value this pending conv currently stands for. */
  consumers: number;
}
type Held = { readonly key: string } | { readonly pending: PendingConv };
type Step = (env: Map<string, tf.Tensor>) => void;

function unsupported(layer: tfl.layers.Layer, why: string): EngineError {
  return new EngineError('UNSUPPORTED', `tfjs compile: layer '${layer.name}' (${layer.getClassName()}): ${why}`);
}

/**
 * A snapshot of a network's forward pass as plain tfjs-core ops: batch norm folded into the
 * convs, ReLU fused into them, no tf.layers bookkeeping. At small batches this is several times
 * faster than `model.predict` (DESIGN.md measured 1.3-3.5x at batch 1). Re-create after training.
 */
export class CompiledTfjsEngine implements InferenceEngine {
  readonly kind = 'tfjs' as const;
  private readonly size: number;

  private constructor(
    private readonly steps: readonly Step[],
    private readonly inputKey: string,
    private readonly outputs: readonly [string, string],
    private readonly owned: tf.Tensor[],
    readonly observationShape: readonly [number, number, number],
    readonly numActions: number,
  ) {
    this.size = observationShape[0] * observationShape[1] * observationShape[2];
  }

  /** Throws UNSUPPORTED for layers it does not know (callers fall back to `model.predict`). */
  static compile(model: tfl.LayersModel, spec: { observationShape: readonly [number, number, number]; numActions: number }): CompiledTfjsEngine {
    const steps: Step[] = [];
    const owned: tf.Tensor[] = [];
    const held = new Map<string, Held>();
    const keep = <T extends tf.Tensor>(t: T): T => {
      owned.push(t);
      return t;
    };
    // Materialise a value: emit its pending conv as a step if it has one.
    const resolve = (name: string): string => {
      const h = held.get(name)!;
      if ('key' in h) return h.key;
      const p = h.pending;
      const filter = keep(tf.tensor4d(p.filter, p.shape));
      const bias = keep(tf.tensor1d(p.bias));
      const { input, pad, strides, dilations, act } = p;
      steps.push((env) => {
        env.set(name, tf.fused.conv2d({ x: env.get(input) as tf.Tensor4D, filter, strides, pad, dilations, bias, activation: act }));
      });
      held.set(name, { key: name });
      return name;
    };
    const emit = (name: string, f: (env: Map<string, tf.Tensor>) => tf.Tensor): void => {
      steps.push((env) => env.set(name, f(env)));
      held.set(name, { key: name });
    };
    for (const layer of model.layers) {
      const cls = layer.getClassName();
      const inbound = (layer.inboundNodes[0]?.inboundLayers ?? []).map((l) => l.name);
      const cfg = layer.getConfig() as Record<string, unknown>;
      const weights = layer.getWeights().map((t) => t.dataSync() as Float32Array);
      const wName = layer.weights.map((w) => w.originalName.split('/').pop()!);
      const byName = (n: string): Float32Array | undefined => weights[wName.indexOf(n)];
      const consumers = layer.outboundNodes.length;
      const src = inbound[0]!;
      const srcHeld = src === undefined ? undefined : held.get(src);
      switch (cls) {
        case 'InputLayer':
          held.set(layer.name, { key: layer.name });
          break;
        case 'Permute': {
          const dims = cfg['dims'] as number[];
          const x = resolve(src);
          emit(layer.name, (env) => tf.transpose(env.get(x)!, [0, ...dims]));
          break;
        }
        case 'Conv2D': {
          const act = (cfg['activation'] as string | undefined) ?? 'linear';
          if (act !== 'linear' && act !== 'relu') throw unsupported(layer, `activation ${act}`);
          const f = weights[0]!;
          const shape = layer.weights[0]!.shape as [number, number, number, number];
          const bias = cfg['useBias'] ? new Float32Array(weights[1]!) : new Float32Array(shape[3]);
          held.set(layer.name, {
            pending: {
              input: resolve(src),
              filter: new Float32Array(f),
              shape,
              bias,
              pad: cfg['padding'] as 'same' | 'valid',
              strides: cfg['strides'] as [number, number],
              dilations: cfg['dilationRate'] as [number, number],
              act: act as 'linear' | 'relu',
              consumers,
            },
          });
          break;
        }
        case 'BatchNormalization': {
          const axis = cfg['axis'] as number;
          if (axis !== -1 && axis !== 3) throw unsupported(layer, `axis ${axis}`);
          const eps = cfg['epsilon'] as number;
          const mean = byName('moving_mean')!;
          const variance = byName('moving_variance')!;
          const n = mean.length;
          const gamma = byName('gamma') ?? new Float32Array(n).fill(1);
          const beta = byName('beta') ?? new Float32Array(n);
          const scale = new Float32Array(n);
          const shift = new Float32Array(n);
          for (let c = 0; c < n; c++) {
            scale[c] = gamma[c]! / Math.sqrt(variance[c]! + eps);
            shift[c] = beta[c]! - mean[c]! * scale[c]!;
          }
          if (srcHeld !== undefined && 'pending' in srcHeld && srcHeld.pending.act === 'linear' && srcHeld.pending.consumers === 1) {
            const p = srcHeld.pending;
            // Filter [kh,kw,in,out]: the output channel is the fastest axis.
            for (let i = 0; i < p.filter.length; i++) p.filter[i] = p.filter[i]! * scale[i % n]!;
            for (let c = 0; c < n; c++) p.bias[c] = p.bias[c]! * scale[c]! + shift[c]!;
            p.consumers = consumers;
            held.set(layer.name, srcHeld);
          } else {
            const x = resolve(src);
            const s = keep(tf.tensor1d(scale));
            const b = keep(tf.tensor1d(shift));
            emit(layer.name, (env) => tf.add(tf.mul(env.get(x)!, s), b));
          }
          break;
        }
        case 'ReLU':
        case 'Activation': {
          const act = cls === 'ReLU' ? 'relu' : ((cfg['activation'] as string | undefined) ?? 'linear');
          if (act === 'relu' && srcHeld !== undefined && 'pending' in srcHeld && srcHeld.pending.act === 'linear' && srcHeld.pending.consumers === 1) {
            srcHeld.pending.act = 'relu';
            srcHeld.pending.consumers = consumers;
            held.set(layer.name, srcHeld);
            break;
          }
          const x = resolve(src);
          if (act === 'linear') held.set(layer.name, { key: x });
          else if (act === 'relu') emit(layer.name, (env) => tf.relu(env.get(x)!));
          else if (act === 'tanh') emit(layer.name, (env) => tf.tanh(env.get(x)!));
          else if (act === 'sigmoid') emit(layer.name, (env) => tf.sigmoid(env.get(x)!));
          else throw unsupported(layer, `activation ${act}`);
          break;
        }
        case 'Dropout':
          held.set(layer.name, { key: resolve(src) });
          break;
        case 'Add': {
          const xs = inbound.map(resolve);
          emit(layer.name, (env) => tf.addN(xs.map((k) => env.get(k)!)));
          break;
        }
        case 'Flatten': {
          const x = resolve(src);
          emit(layer.name, (env) => {
            const t = env.get(x)!;
            return tf.reshape(t, [t.shape[0]!, -1]);
          });
          break;
        }
        case 'Dense': {
          const act = (cfg['activation'] as string | undefined) ?? 'linear';
          const units = cfg['units'] as number;
          const k = keep(tf.tensor2d(weights[0]!, [weights[0]!.length / units, units]));
          const b = keep(tf.tensor1d(cfg['useBias'] ? weights[1]! : new Float32Array(units)));
          const x = resolve(src);
          const fused = act === 'relu' || act === 'linear' ? act : 'linear';
          if (act !== fused && act !== 'tanh' && act !== 'sigmoid') throw unsupported(layer, `activation ${act}`);
          emit(layer.name, (env) => {
            const y = tf.fused.matMul({ a: env.get(x) as tf.Tensor2D, b: k, bias: b, activation: fused });
            return act === 'tanh' ? tf.tanh(y) : act === 'sigmoid' ? tf.sigmoid(y) : y;
          });
          break;
        }
        default:
          throw unsupported(layer, 'no compiled form');
      }
    }
    if (model.outputLayers.length !== 2) throw new EngineError('UNSUPPORTED', `tfjs compile: model has ${model.outputLayers.length} outputs, expected policy and value`);
    const outs = model.outputLayers.map((l) => resolve(l.name)) as [string, string];
    return new CompiledTfjsEngine(steps, model.inputLayers[0]!.name, outs, owned, spec.observationShape, spec.numActions);
  }

  run(input: Float32Array, n: number): NetOutput {
    if (input.length < n * this.size) throw new EngineError('BAD_ARGUMENT', `tfjs run: input holds ${input.length} floats, need ${n} x ${this.size}`);
    if (n === 0) return { policyLogits: new Float32Array(0), values: new Float32Array(0) };
    const [p, v] = tf.tidy(() => {
      const env = new Map<string, tf.Tensor>();
      env.set(this.inputKey, tf.tensor4d(input.subarray(0, n * this.size), [n, ...this.observationShape]));
      for (const s of this.steps) s(env);
      return [env.get(this.outputs[0])!, env.get(this.outputs[1])!];
    });
    try {
      return { policyLogits: p.dataSync() as Float32Array, values: v.dataSync() as Float32Array };
    } finally {
      tf.dispose([p, v]);
    }
  }

  dispose(): void {
    tf.dispose(this.owned);
  }
}
