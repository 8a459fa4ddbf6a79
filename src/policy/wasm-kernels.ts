import * as tf from '@tensorflow/tfjs-core';
import { EngineError } from '../core/index.js';

/**
 * Re-registers four wasm kernels in terms of the two fast ones (forward Conv2D and plain
 * BatchMatMul), as measured in DESIGN.md "Networks": stock wasm has no Conv2DBackpropFilter at
 * all, and its Conv2DBackpropInput, transposed BatchMatMul and Tile run as naive loops (~2
 * GFLOP/s against ~25). With these, `tf.layers` conv nets train on wasm at about 10x the speed.
 *
 * Only stride 1 / dilation 1 / NHWC convolutions (all our nets use) take the fast path;
 * Conv2DBackpropInput and BatchMatMul otherwise fall back to the stock kernel, and a strided
 * Conv2DBackpropFilter (never registered upstream) throws UNSUPPORTED naming the shape.
 */

type TensorInfo = tf.TensorInfo;
interface WasmBackendLike {
  disposeData(dataId: object, force?: boolean): boolean;
}
type KernelArgs = { inputs: Record<string, TensorInfo>; attrs?: Record<string, unknown>; backend: unknown };
type Fn = (args: KernelArgs) => TensorInfo;

let patched = false;

/** True once `patchWasmKernels` has replaced the kernels in this process. */
export function wasmKernelsPatched(): boolean {
  return patched;
}

/**
 * Install the fast kernels for the 'wasm' backend. Idempotent. Call after importing
 * `@tensorflow/tfjs-backend-wasm` and before (or after) `tf.setBackend('wasm')`.
 */
export function patchWasmKernels(): void {
  if (patched) return;
  const original = (name: string): tf.KernelConfig => {
    const k = tf.getKernel(name, 'wasm');
    if (k === undefined) throw new EngineError('INTERNAL', `wasm backend has no ${name} kernel to build on`);
    return k;
  };
  const conv = original('Conv2D').kernelFunc as unknown as Fn;
  const transpose = original('Transpose').kernelFunc as unknown as Fn;
  const reverse = original('Reverse').kernelFunc as unknown as Fn;
  const multiply = original('Multiply').kernelFunc as unknown as Fn;
  const fill = original('Fill').kernelFunc as unknown as Fn;
  const matMulCfg = original('BatchMatMul');
  const matMul = matMulCfg.kernelFunc as unknown as Fn;
  const backpropInputCfg = original('Conv2DBackpropInput');
  const backpropInput = backpropInputCfg.kernelFunc as unknown as Fn;
  const tileCfg = original('Tile');
  const tile = tileCfg.kernelFunc as unknown as Fn;

  const free = (backend: unknown, ...ts: TensorInfo[]): void => {
    for (const t of ts) (backend as WasmBackendLike).disposeData(t.dataId);
  };
  const isUnit = (v: unknown): boolean =>
    v === undefined || v === null || v === 1 || (Array.isArray(v) && v.every((x) => x === 1));

  // dW[i,j,c,o] = sum_{b,y,x} X[b, y+i-pt, x+j-pl, c] * dY[b,y,x,o]: a forward conv of X with
  // batch and channel axes swapped ([C,H,W,B]) against dY as the filter ([oH,oW,B,O]).
  const backpropFilterFn: Fn = ({ inputs, attrs, backend }) => {
    const x = inputs['x']!;
    const dy = inputs['dy']!;
    const a = attrs as { strides: number | number[]; pad: unknown; dataFormat?: string; dimRoundingMode?: string; filterShape: number[] };
    if (!isUnit(a.strides) || (a.dataFormat !== undefined && a.dataFormat !== 'NHWC')) {
      throw new EngineError('UNSUPPORTED', `wasm Conv2DBackpropFilter: only stride 1 NHWC is implemented (strides ${JSON.stringify(a.strides)}, format ${a.dataFormat}, input ${JSON.stringify(x.shape)})`);
    }
    const info = tf.backend_util.computeConv2DInfo(
      x.shape as [number, number, number, number], a.filterShape as [number, number, number, number], 1, 1,
      a.pad as 'same', a.dimRoundingMode as 'round' | undefined, false, 'channelsLast');
    const p = info.padInfo;
    const xT = transpose({ inputs: { x }, attrs: { perm: [3, 1, 2, 0] }, backend });
    const dyT = transpose({ inputs: { x: dy }, attrs: { perm: [1, 2, 0, 3] }, backend });
    const y = conv({
      inputs: { x: xT, filter: dyT },
      attrs: { strides: 1, dilations: 1, pad: [[0, 0], [p.top, p.bottom], [p.left, p.right], [0, 0]], dataFormat: 'NHWC' },
      backend,
    });
    const out = transpose({ inputs: { x: y }, attrs: { perm: [1, 2, 0, 3] }, backend });
    free(backend, xT, dyT, y);
    return out;
  };

  // dX = conv(dY, W rotated 180 degrees with in/out swapped), padding mirrored: (f-1-p).
  const backpropInputFn: Fn = (args) => {
    const { inputs, attrs, backend } = args;
    const dy = inputs['dy']!;
    const filter = inputs['filter']!;
    const a = attrs as { strides: number | number[]; pad: unknown; dataFormat?: string; dimRoundingMode?: string; inputShape: number[] };
    if (!isUnit(a.strides) || (a.dataFormat !== undefined && a.dataFormat !== 'NHWC')) return backpropInput(args);
    const info = tf.backend_util.computeConv2DInfo(
      a.inputShape as [number, number, number, number], filter.shape as [number, number, number, number], 1, 1,
      a.pad as 'same', a.dimRoundingMode as 'round' | undefined, false, 'channelsLast');
    const p = info.padInfo;
    const fh = info.filterHeight;
    const fw = info.filterWidth;
    const rot = reverse({ inputs: { x: filter }, attrs: { dims: [0, 1] }, backend });
    const rotT = transpose({ inputs: { x: rot }, attrs: { perm: [0, 1, 3, 2] }, backend });
    const out = conv({
      inputs: { x: dy, filter: rotT },
      attrs: {
        strides: 1, dilations: 1, dataFormat: 'NHWC',
        pad: [[0, 0], [fh - 1 - p.top, fh - 1 - p.bottom], [fw - 1 - p.left, fw - 1 - p.right], [0, 0]],
      },
      backend,
    });
    free(backend, rot, rotT);
    return out;
  };

  const swapLast = (rank: number): number[] => {
    const perm = Array.from({ length: rank }, (_, i) => i);
    perm[rank - 1] = rank - 2;
    perm[rank - 2] = rank - 1;
    return perm;
  };
  const matMulFn: Fn = (args) => {
    const { inputs, attrs, backend } = args;
    const a = attrs as { transposeA?: boolean; transposeB?: boolean };
    if (!a.transposeA && !a.transposeB) return matMul(args);
    let A = inputs['a']!;
    let B = inputs['b']!;
    const temps: TensorInfo[] = [];
    if (a.transposeA) temps.push((A = transpose({ inputs: { x: A }, attrs: { perm: swapLast(A.shape.length) }, backend })));
    if (a.transposeB) temps.push((B = transpose({ inputs: { x: B }, attrs: { perm: swapLast(B.shape.length) }, backend })));
    const out = matMul({ inputs: { a: A, b: B }, attrs: { transposeA: false, transposeB: false }, backend });
    free(backend, ...temps);
    return out;
  };

  // Tile only along axes of size 1 is a broadcast: x * ones(outShape).
  const tileFn: Fn = (args) => {
    const { inputs, attrs, backend } = args;
    const x = inputs['x']!;
    const reps = (attrs as { reps: number[] }).reps;
    const broadcast = x.dtype === 'float32' && x.shape.every((d, i) => d === 1 || reps[i] === 1);
    if (!broadcast) return tile(args);
    const shape = x.shape.map((d, i) => d * reps[i]!);
    const ones = fill({ inputs: {}, attrs: { shape, value: 1, dtype: 'float32' }, backend });
    const out = multiply({ inputs: { a: x, b: ones }, backend });
    free(backend, ones);
    return out;
  };

  const replace = (name: string, fn: Fn, setup?: tf.KernelSetupFunc): void => {
    tf.unregisterKernel(name, 'wasm');
    tf.registerKernel({ kernelName: name, backendName: 'wasm', kernelFunc: fn as unknown as tf.KernelFunc, ...(setup ? { setupFunc: setup } : {}) });
  };
  if (tf.getKernel('Conv2DBackpropFilter', 'wasm') === undefined) {
    tf.registerKernel({ kernelName: 'Conv2DBackpropFilter', backendName: 'wasm', kernelFunc: backpropFilterFn as unknown as tf.KernelFunc });
  } else {
    replace('Conv2DBackpropFilter', backpropFilterFn);
  }
  // The stock kernels keep their setup (it binds their wasm functions, used by the fallbacks).
  replace('Conv2DBackpropInput', backpropInputFn, backpropInputCfg.setupFunc);
  replace('BatchMatMul', matMulFn, matMulCfg.setupFunc);
  replace('Tile', tileFn, tileCfg.setupFunc);
  patched = true;
}
