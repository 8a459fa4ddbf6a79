import { join } from 'node:path';
import { EngineError } from '../core/index.js';
import { loadCheckpoint, readCheckedFile, readManifest, ONNX_FILE, type CheckpointExpectation, type CheckpointManifest } from './checkpoint.js';
import type { InferenceEngine, PolicyNetwork } from './network.js';
import { exportOnnx } from './onnx-export.js';
import { OnnxEngine, type OnnxEngineOptions } from './onnx-engine.js';

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
 * An inference engine for the current weights of `net`. The ONNX engine is a snapshot (export
 * again after training); the tfjs engine is the live network itself.
 */
export async function inferenceEngineFor(net: PolicyNetwork, o: EngineOptions = {}): Promise<InferenceEngine> {
  const choice = o.engine ?? 'auto';
  if (choice === 'tfjs') return net;
  try {
    return await OnnxEngine.create(exportOnnx(net.model), net.spec, { ...o, source: `ONNX export of ${net.spec.game} net` });
  } catch (e) {
    if (choice === 'onnx') throw e;
    o.log?.(`[policy] ONNX Runtime unavailable, using tfjs: ${(e as Error).message}`);
    return net;
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
  return { engine: net, manifest };
}
