import { join } from 'node:path';
import { EngineError } from '../core/index.js';
import { loadCheckpoint, readCheckedFile, readManifest, ONNX_FILE, type CheckpointExpectation, type CheckpointManifest } from './checkpoint.js';
import type { InferenceEngine, PolicyNetwork } from './network.js';
import { exportOnnx } from './onnx-export.js';
import { OnnxEngine, type OnnxEngineOptions } from './onnx-engine.js';
import { CompiledTfjsEngine } from './tfjs-engine.js';

/**
 * 'auto' = ONNX Runtime when it loads (4-7x faster than tfjs-wasm here, see DESIGN.md),
 * else tfjs. 'onnx' fails instead of falling back.
 */
export type EngineChoice = 'auto' | 'onnx' | 'tfjs';

export interface EngineOptions extends OnnxEngineOptions {
  readonly engine?: EngineChoice;
  /** Told why 'auto' fell back to tfjs. */
  readonly log?: (line: string) => void;
}

/**
 * A fast tfjs engine for `net`'s current weights: the compiled forward pass (BN folded, no
 * tf.layers bookkeeping), or the network itself when its layers do not compile.
 */
export function tfjsEngineFor(net: PolicyNetwork, log?: (line: string) => void): InferenceEngine {
  try {
    return CompiledTfjsEngine.compile(net.model, net.spec);
  } catch (e) {
    if ((e as EngineError).code !== 'UNSUPPORTED') throw e;
    log?.(`[policy] using model.predict: ${(e as Error).message}`);
    return net;
  }
}

/**
 * An inference engine for the current weights of `net`: a snapshot (create a new one after
 * training; `net` itself is the live but slower tfjs engine). Dispose it when done.
 */
export async function inferenceEngineFor(net: PolicyNetwork, o: EngineOptions = {}): Promise<InferenceEngine> {
  const choice = o.engine ?? 'auto';
  if (choice === 'tfjs') return tfjsEngineFor(net, o.log);
  try {
    return await OnnxEngine.create(exportOnnx(net.model), net.spec, { ...o, source: `ONNX export of ${net.spec.game} net` });
  } catch (e) {
    if (choice === 'onnx') throw e;
    o.log?.(`[policy] ONNX Runtime unavailable, using tfjs: ${(e as Error).message}`);
    return tfjsEngineFor(net, o.log);
  }
}

/**
 * Load a checkpoint for inference only: its model.onnx through ONNX Runtime (no tfjs model is
 * built, so this is cheap in workers), else the tfjs model. Errors as `loadCheckpoint`.
 */
export async function loadInferenceEngine(
  dir: string,
  o: EngineOptions & { expect?: CheckpointExpectation } = {},
): Promise<{ engine: InferenceEngine; manifest: CheckpointManifest }> {
  const choice = o.engine ?? 'auto';
  const manifest = await readManifest(dir, o.expect);
  if (choice !== 'tfjs') {
    const hasOnnx = manifest.files[ONNX_FILE] !== undefined;
    if (!hasOnnx && choice === 'onnx') throw new EngineError('BAD_CHECKPOINT', `${join(dir, 'manifest.json')}: checkpoint has no ${ONNX_FILE}`);
    if (hasOnnx) {
      const bytes = await readCheckedFile(dir, manifest, ONNX_FILE);
      try {
        const engine = await OnnxEngine.create(bytes, manifest, { ...o, source: join(dir, ONNX_FILE) });
        return { engine, manifest };
      } catch (e) {
        if (choice === 'onnx' || (e as EngineError).code === 'BAD_CHECKPOINT') throw e;
        o.log?.(`[policy] ONNX Runtime unavailable, using tfjs: ${(e as Error).message}`);
      }
    }
  }
  const { net } = await loadCheckpoint(dir, { expect: o.expect, loadOptimizer: false });
  const engine = tfjsEngineFor(net, o.log);
  // The compiled engine owns copies of the weights.
  if (engine !== net) net.dispose();
  return { engine, manifest };
}
