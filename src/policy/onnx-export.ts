import * as tfl from '@tensorflow/tfjs-layers';
import onnxProto from 'onnx-proto';
import { EngineError } from '../core/index.js';
import { POLICY_OUTPUT, VALUE_OUTPUT } from './model.js';

const { onnx } = onnxProto;

/** ONNX names of the exported graph's input and outputs. */
export const ONNX_INPUT = 'observation';
export const ONNX_OUTPUTS = [POLICY_OUTPUT, VALUE_OUTPUT] as const;
const OPSET = 13;

/**
 * How a tfjs tensor is held in the ONNX graph. The tfjs conv trunk runs channels-last (NHWC)
 * after a Permute of the [C,H,W] input; ONNX convolves channels-first, so the graph skips the
 * Permute and keeps NCHW, and a Dense after a Flatten gets its rows reordered to match.
 */
type Layout =
  | { readonly kind: 'plain' }
  | { readonly kind: 'nchw'; readonly c: number; readonly h: number; readonly w: number }
  | { readonly kind: 'flat-chw'; readonly c: number; readonly h: number; readonly w: number };

interface Held {
  readonly name: string;
  readonly layout: Layout;
  /** The conv that produced it, while batch norm may still fold into it. */
  readonly conv?: { readonly weight: Float32Array; bias: Float32Array; readonly biasName: string; readonly outChannels: number; readonly consumers: number };
}

function unsupported(layer: tfl.layers.Layer, why: string): EngineError {
  return new EngineError('UNSUPPORTED', `ONNX export: layer '${layer.name}' (${layer.getClassName()}): ${why}`);
}

/**
 * Export a tf.layers model built by `buildModel` (or any graph of InputLayer, Permute to
 * channels-last, Conv2D, BatchNormalization, ReLU/Activation, Add, Flatten, Dense, Dropout)
 * as an ONNX ModelProto: input `observation` [N,C,H,W], outputs `policy` [N,A] and
 * `value` [N,1]. Batch norm after a conv is folded into the conv's weights.
 */
export function exportOnnx(model: tfl.LayersModel, opts: { producerVersion?: string } = {}): Uint8Array {
  const nodes: onnxProto.onnx.INodeProto[] = [];
  const inits = new Map<string, { dims: number[]; data: Float32Array }>();
  const held = new Map<string, Held>();
  let counter = 0;
  const fresh = (base: string): string => `${base}_${counter++}`;
  const init = (name: string, dims: number[], data: Float32Array): string => {
    inits.set(name, { dims, data });
    return name;
  };
  const node = (opType: string, inputs: string[], name: string, attrs: onnxProto.onnx.IAttributeProto[] = []): string => {
    const out = fresh(name);
    nodes.push({ opType, input: inputs, output: [out], name: out, attribute: attrs });
    return out;
  };
  const activation = (layer: tfl.layers.Layer, x: string, act: string | undefined): string => {
    switch (act ?? 'linear') {
      case 'linear':
        return x;
      case 'relu':
        return node('Relu', [x], `${layer.name}_relu`);
      case 'tanh':
        return node('Tanh', [x], `${layer.name}_tanh`);
      case 'sigmoid':
        return node('Sigmoid', [x], `${layer.name}_sigmoid`);
      default:
        throw unsupported(layer, `activation '${act}'`);
    }
  };

  if (model.inputs.length !== 1) throw new EngineError('UNSUPPORTED', `ONNX export: model has ${model.inputs.length} inputs, expected 1`);
  const inShape = model.inputs[0]!.shape.slice(1) as number[];
  for (const layer of model.layers) {
    const cls = layer.getClassName();
    const inbound = layer.inboundNodes[0]?.inboundLayers ?? [];
    const inputs = inbound.map((l) => {
      const h = held.get(l.name);
      if (h === undefined) throw unsupported(layer, `input '${l.name}' was not exported`);
      return h;
    });
    const x = inputs[0];
    const cfg = layer.getConfig() as Record<string, unknown>;
    const weights = layer.getWeights().map((t) => t.dataSync() as Float32Array);
    const weightNames = layer.weights.map((w) => w.originalName.split('/').pop()!);
    const wByName = (n: string): Float32Array | undefined => {
      const i = weightNames.indexOf(n);
      return i < 0 ? undefined : weights[i];
    };
    const set = (h: Held): void => {
      held.set(layer.name, h);
    };
    const consumers = layer.outboundNodes.length;
    switch (cls) {
      case 'InputLayer':
        set({ name: ONNX_INPUT, layout: { kind: 'plain' } });
        break;
      case 'Permute': {
        const dims = cfg['dims'] as number[];
        if (x!.layout.kind !== 'plain' || inShape.length !== 3 || dims.join() !== '2,3,1') throw unsupported(layer, `only the [C,H,W] -> [H,W,C] input permutation is supported (dims ${dims})`);
        set({ name: x!.name, layout: { kind: 'nchw', c: inShape[0]!, h: inShape[1]!, w: inShape[2]! } });
        break;
      }
      case 'Conv2D': {
        if (x!.layout.kind !== 'nchw') throw unsupported(layer, 'input is not a channels-last image');
        const [kh, kw] = cfg['kernelSize'] as number[];
        const strides = cfg['strides'] as number[];
        const dil = cfg['dilationRate'] as number[];
        const kernel = weights[0]!;
        const cin = x!.layout.c;
        const cout = cfg['filters'] as number;
        // tfjs [kh,kw,in,out] -> ONNX [out,in,kh,kw]
        const w = new Float32Array(kernel.length);
        for (let i = 0; i < kh!; i++)
          for (let j = 0; j < kw!; j++)
            for (let c = 0; c < cin; c++) for (let o = 0; o < cout; o++) w[((o * cin + c) * kh! + i) * kw! + j] = kernel[((i * kw! + j) * cin + c) * cout + o]!;
        const bias = cfg['useBias'] ? new Float32Array(weights[1]!) : new Float32Array(cout);
        let pads = [0, 0, 0, 0];
        let oh = x!.layout.h;
        let ow = x!.layout.w;
        if (cfg['padding'] === 'same') {
          if (strides.some((s) => s !== 1)) throw unsupported(layer, 'strided same padding');
          // TF 'same' puts the odd pixel at the bottom/right.
          const ph = (kh! - 1) * dil[0]!;
          const pw = (kw! - 1) * dil[1]!;
          pads = [Math.floor(ph / 2), Math.floor(pw / 2), ph - Math.floor(ph / 2), pw - Math.floor(pw / 2)];
        } else if (cfg['padding'] === 'valid') {
          oh = Math.floor((oh - (kh! - 1) * dil[0]! - 1) / strides[0]!) + 1;
          ow = Math.floor((ow - (kw! - 1) * dil[1]! - 1) / strides[1]!) + 1;
        } else {
          throw unsupported(layer, `padding '${String(cfg['padding'])}'`);
        }
        const wName = init(`${layer.name}.weight`, [cout, cin, kh!, kw!], w);
        const bName = init(`${layer.name}.bias`, [cout], bias);
        const out = node('Conv', [x!.name, wName, bName], layer.name, [
          { name: 'kernel_shape', type: onnx.AttributeProto.AttributeType.INTS, ints: [kh!, kw!] },
          { name: 'strides', type: onnx.AttributeProto.AttributeType.INTS, ints: strides },
          { name: 'dilations', type: onnx.AttributeProto.AttributeType.INTS, ints: dil },
          { name: 'pads', type: onnx.AttributeProto.AttributeType.INTS, ints: pads },
        ]);
        const act = cfg['activation'] as string | undefined;
        const layout: Layout = { kind: 'nchw', c: cout, h: oh, w: ow };
        if ((act ?? 'linear') === 'linear') set({ name: out, layout, conv: { weight: w, bias, biasName: bName, outChannels: cout, consumers } });
        else set({ name: activation(layer, out, act), layout });
        break;
      }
      case 'BatchNormalization': {
        const axis = cfg['axis'] as number | number[];
        const ax = Array.isArray(axis) ? axis : [axis];
        const rank = x!.layout.kind === 'nchw' ? 4 : 2;
        if (ax.length !== 1 || (ax[0] !== -1 && ax[0] !== rank - 1)) throw unsupported(layer, `axis ${JSON.stringify(axis)} (only the channel axis)`);
        const eps = cfg['epsilon'] as number;
        const mean = wByName('moving_mean')!;
        const variance = wByName('moving_variance')!;
        const n = mean.length;
        const gamma = wByName('gamma') ?? new Float32Array(n).fill(1);
        const beta = wByName('beta') ?? new Float32Array(n);
        const scale = new Float32Array(n);
        const shift = new Float32Array(n);
        for (let c = 0; c < n; c++) {
          scale[c] = gamma[c]! / Math.sqrt(variance[c]! + eps);
          shift[c] = beta[c]! - mean[c]! * scale[c]!;
        }
        const conv = x!.conv;
        if (conv !== undefined && conv.consumers === 1) {
          // Fold: y = scale * (W x + b) + shift.
          const per = conv.weight.length / conv.outChannels;
          for (let o = 0; o < conv.outChannels; o++) {
            for (let k = 0; k < per; k++) conv.weight[o * per + k] = conv.weight[o * per + k]! * scale[o]!;
            conv.bias[o] = conv.bias[o]! * scale[o]! + shift[o]!;
          }
          set({ name: x!.name, layout: x!.layout });
        } else {
          const names = [
            init(`${layer.name}.scale`, [n], new Float32Array(gamma)),
            init(`${layer.name}.B`, [n], new Float32Array(beta)),
            init(`${layer.name}.mean`, [n], new Float32Array(mean)),
            init(`${layer.name}.var`, [n], new Float32Array(variance)),
          ];
          const out = node('BatchNormalization', [x!.name, ...names], layer.name, [{ name: 'epsilon', type: onnx.AttributeProto.AttributeType.FLOAT, f: eps }]);
          set({ name: out, layout: x!.layout });
        }
        break;
      }
      case 'ReLU':
        if (cfg['maxValue'] != null) throw unsupported(layer, 'maxValue');
        set({ name: node('Relu', [x!.name], layer.name), layout: x!.layout });
        break;
      case 'Activation':
        set({ name: activation(layer, x!.name, cfg['activation'] as string), layout: x!.layout });
        break;
      case 'Dropout':
        set({ name: x!.name, layout: x!.layout });
        break;
      case 'Add': {
        const kinds = new Set(inputs.map((h) => JSON.stringify(h.layout)));
        if (kinds.size !== 1) throw unsupported(layer, 'inputs of different layouts');
        let acc = inputs[0]!.name;
        for (const h of inputs.slice(1)) acc = node('Add', [acc, h.name], layer.name);
        set({ name: acc, layout: x!.layout });
        break;
      }
      case 'Flatten': {
        const out = node('Flatten', [x!.name], layer.name, [{ name: 'axis', type: onnx.AttributeProto.AttributeType.INT, i: 1 }]);
        const l = x!.layout;
        set({ name: out, layout: l.kind === 'nchw' ? { kind: 'flat-chw', c: l.c, h: l.h, w: l.w } : { kind: 'plain' } });
        break;
      }
      case 'Dense': {
        const units = cfg['units'] as number;
        let kernel = weights[0]!;
        const inDim = kernel.length / units;
        const l = x!.layout;
        if (l.kind === 'flat-chw') {
          // tfjs flattened HWC (row (h*W+w)*C+c); ONNX flattened CHW (row (c*H+h)*W+w).
          const k2 = new Float32Array(kernel.length);
          for (let c = 0; c < l.c; c++)
            for (let h = 0; h < l.h; h++)
              for (let w = 0; w < l.w; w++) {
                const src = ((h * l.w + w) * l.c + c) * units;
                k2.set(kernel.subarray(src, src + units), ((c * l.h + h) * l.w + w) * units);
              }
          kernel = k2;
        } else if (l.kind !== 'plain') {
          throw unsupported(layer, 'input is an image; flatten it first');
        }
        const wName = init(`${layer.name}.weight`, [inDim, units], new Float32Array(kernel));
        const bName = init(`${layer.name}.bias`, [units], cfg['useBias'] ? new Float32Array(weights[1]!) : new Float32Array(units));
        const out = node('Gemm', [x!.name, wName, bName], layer.name);
        set({ name: activation(layer, out, cfg['activation'] as string), layout: { kind: 'plain' } });
        break;
      }
      default:
        throw unsupported(layer, 'no ONNX mapping');
    }
  }

  const outputs = model.outputLayers.map((l, i) => {
    const h = held.get(l.name)!;
    const name = model.outputs.length === 2 ? ONNX_OUTPUTS[i]! : `output_${i}`;
    nodes.push({ opType: 'Identity', input: [h.name], output: [name], name: `${name}_out` });
    const dims = model.outputs[i]!.shape.slice(1) as number[];
    return valueInfo(name, dims);
  });

  const graph: onnxProto.onnx.IGraphProto = {
    name: model.name,
    node: nodes,
    initializer: [...inits].map(([name, t]) => ({
      name,
      dims: t.dims,
      dataType: onnx.TensorProto.DataType.FLOAT,
      rawData: new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength),
    })),
    input: [valueInfo(ONNX_INPUT, inShape)],
    output: outputs,
  };
  const proto = onnx.ModelProto.create({
    irVersion: 7,
    opsetImport: [{ domain: '', version: OPSET }],
    producerName: 'arbor',
    producerVersion: opts.producerVersion ?? '0.1.0',
    graph,
  });
  return onnx.ModelProto.encode(proto).finish();
}

function valueInfo(name: string, dims: number[]): onnxProto.onnx.IValueInfoProto {
  return {
    name,
    type: {
      tensorType: {
        elemType: onnx.TensorProto.DataType.FLOAT,
        shape: { dim: [{ dimParam: 'N' }, ...dims.map((d) => ({ dimValue: d }))] },
      },
    },
  };
}
