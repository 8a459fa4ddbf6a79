import { EngineError } from '../core/index.js';
import type { InferenceEngine, NetOutput } from './network.js';
import { ONNX_INPUT, ONNX_OUTPUTS } from './onnx-export.js';

type Ort = typeof import('onnxruntime-node');
let ortPromise: Promise<Ort | null> | null = null;

/**
 * onnxruntime-node, loaded lazily so that a machine without its native binary still runs
 * (tfjs is the fallback). Resolves to null when it cannot load.
 */
export function loadOrt(): Promise<Ort | null> {
  ortPromise ??= import('onnxruntime-node').then(
    (m) => ((m as unknown as { default?: Ort }).default ?? m) as Ort,
    () => null,
  );
  return ortPromise;
}

export interface OnnxEngineOptions {
  /** Threads per session (default 1: we run one process or worker per core). */
  readonly threads?: number;
  /** Execution providers in order of preference (default ['cpu']; 'cuda' where installed). */
  readonly executionProviders?: readonly string[];
}

/** ONNX Runtime inference over a model written by `exportOnnx`. */
export class OnnxEngine implements InferenceEngine {
  readonly kind = 'onnx' as const;
  private readonly size: number;

  private constructor(
    private readonly ort: Ort,
    private readonly session: import('onnxruntime-node').InferenceSession,
    readonly observationShape: readonly [number, number, number],
    readonly numActions: number,
  ) {
    this.size = observationShape[0] * observationShape[1] * observationShape[2];
  }

  /** Throws UNSUPPORTED when onnxruntime-node is unavailable, BAD_CHECKPOINT when the bytes are no model. */
  static async create(
    bytes: Uint8Array,
    shape: { observationShape: readonly [number, number, number]; numActions: number },
    opts: OnnxEngineOptions & { source?: string } = {},
  ): Promise<OnnxEngine> {
    const ort = await loadOrt();
    if (ort === null) throw new EngineError('UNSUPPORTED', 'onnxruntime-node is not available on this machine');
    let session: import('onnxruntime-node').InferenceSession;
    try {
      session = await ort.InferenceSession.create(bytes, {
        intraOpNumThreads: opts.threads ?? 1,
        interOpNumThreads: 1,
        executionMode: 'sequential',
        graphOptimizationLevel: 'all',
        executionProviders: [...(opts.executionProviders ?? ['cpu'])],
      });
    } catch (e) {
      throw new EngineError('BAD_CHECKPOINT', `${opts.source ?? 'ONNX model'}: ONNX Runtime cannot load it (${(e as Error).message})`, { cause: e });
    }
    const missing = [ONNX_INPUT].filter((n) => !session.inputNames.includes(n)).concat(ONNX_OUTPUTS.filter((n) => !session.outputNames.includes(n)));
    if (missing.length > 0) {
      await session.release();
      throw new EngineError('BAD_CHECKPOINT', `${opts.source ?? 'ONNX model'}: graph lacks ${missing.join(', ')}`);
    }
    return new OnnxEngine(ort, session, shape.observationShape, shape.numActions);
  }

  async run(input: Float32Array, n: number): Promise<NetOutput> {
    if (input.length < n * this.size) throw new EngineError('BAD_ARGUMENT', `onnx run: input holds ${input.length} floats, need ${n} x ${this.size}`);
    if (n === 0) return { policyLogits: new Float32Array(0), values: new Float32Array(0) };
    const x = new this.ort.Tensor('float32', input.subarray(0, n * this.size), [n, ...this.observationShape]);
    const r = await this.session.run({ [ONNX_INPUT]: x });
    const p = r[ONNX_OUTPUTS[0]]!;
    const v = r[ONNX_OUTPUTS[1]]!;
    return { policyLogits: p.data as Float32Array, values: v.data as Float32Array };
  }

  async dispose(): Promise<void> {
    await this.session.release();
  }
}
