import * as tfl from '@tensorflow/tfjs-layers';
import type { NetSpec } from './spec.js';

/** Names of the model's two outputs, in `model.outputs` order. */
export const POLICY_OUTPUT = 'policy';
export const VALUE_OUTPUT = 'value';

// Keras defaults are momentum 0.99; self-play nets change fast, so moving statistics must follow.
const BN = { axis: -1, momentum: 0.9, epsilon: 1e-3 } as const;

/**
 * Build the tf.layers model for a spec. Input: observations in the game's [C,H,W] layout; the
 * conv net permutes to channels-last (the only layout wasm convolves). Outputs: policy logits
 * over numActions, and a tanh value in [-1,1] for the player to move.
 */
export function buildModel(spec: NetSpec, seed = 1): tfl.LayersModel {
  let s = seed * 7919;
  const init = () => tfl.initializers.heNormal({ seed: s++ });
  const glorot = () => tfl.initializers.glorotUniform({ seed: s++ });
  const input = tfl.input({ shape: [...spec.observationShape], name: 'observation' });
  const arch = spec.arch;
  if (arch.kind === 'mlp') {
    let x = tfl.layers.flatten({ name: 'flatten' }).apply(input) as tfl.SymbolicTensor;
    arch.hidden.forEach((units, i) => {
      x = tfl.layers.dense({ units, activation: 'relu', kernelInitializer: init(), name: `dense${i + 1}` }).apply(x) as tfl.SymbolicTensor;
    });
    const policy = tfl.layers.dense({ units: spec.numActions, kernelInitializer: glorot(), name: POLICY_OUTPUT }).apply(x) as tfl.SymbolicTensor;
    const value = tfl.layers.dense({ units: 1, activation: 'tanh', kernelInitializer: glorot(), name: VALUE_OUTPUT }).apply(x) as tfl.SymbolicTensor;
    return tfl.model({ inputs: input, outputs: [policy, value], name: 'arbor_mlp' });
  }
  const convBn = (x: tfl.SymbolicTensor, filters: number, k: number, name: string, relu: boolean): tfl.SymbolicTensor => {
    let y = tfl.layers.conv2d({ filters, kernelSize: k, padding: 'same', useBias: false, kernelInitializer: init(), name: `${name}_conv` }).apply(x) as tfl.SymbolicTensor;
    y = tfl.layers.batchNormalization({ ...BN, name: `${name}_bn` }).apply(y) as tfl.SymbolicTensor;
    return relu ? (tfl.layers.reLU({ name: `${name}_relu` }).apply(y) as tfl.SymbolicTensor) : y;
  };
  let x = tfl.layers.permute({ dims: [2, 3, 1], name: 'to_nhwc' }).apply(input) as tfl.SymbolicTensor;
  x = convBn(x, arch.channels, 3, 'stem', true);
  for (let b = 1; b <= arch.blocks; b++) {
    const y = convBn(convBn(x, arch.channels, 3, `res${b}a`, true), arch.channels, 3, `res${b}b`, false);
    x = tfl.layers.add({ name: `res${b}_add` }).apply([x, y]) as tfl.SymbolicTensor;
    x = tfl.layers.reLU({ name: `res${b}_relu` }).apply(x) as tfl.SymbolicTensor;
  }
  let p = convBn(x, arch.policyChannels, 1, 'policy_head', true);
  p = tfl.layers.flatten({ name: 'policy_flatten' }).apply(p) as tfl.SymbolicTensor;
  p = tfl.layers.dense({ units: spec.numActions, kernelInitializer: glorot(), name: POLICY_OUTPUT }).apply(p) as tfl.SymbolicTensor;
  let v = convBn(x, arch.valueChannels, 1, 'value_head', true);
  v = tfl.layers.flatten({ name: 'value_flatten' }).apply(v) as tfl.SymbolicTensor;
  v = tfl.layers.dense({ units: arch.valueHidden, activation: 'relu', kernelInitializer: init(), name: 'value_hidden' }).apply(v) as tfl.SymbolicTensor;
  v = tfl.layers.dense({ units: 1, activation: 'tanh', kernelInitializer: glorot(), name: VALUE_OUTPUT }).apply(v) as tfl.SymbolicTensor;
  return tfl.model({ inputs: input, outputs: [p, v], name: `arbor_res${arch.blocks}x${arch.channels}` });
}
