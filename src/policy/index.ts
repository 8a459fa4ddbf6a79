/**
 * Policy/value networks (layer L2: imports core and mcts types only, never games).
 *
 * A game reaches this module as plain data: `observationShape` [C,H,W], `numActions` (the
 * policy size) and encode/legalActions functions.
 *
 *   await initBackend();                              // tfjs-node(-gpu) > wasm (patched) > cpu
 *   const net = PolicyNetwork.create({ game: 'connect_four', observationShape: [3, 6, 7],
 *     numActions: 7, arch: { kind: 'resnet', blocks: 4, channels: 32 } }, { train: { learningRate: 1e-3 } });
 *   net.trainStep({ size, observations, policies, values });   // -> { total, policy, value, l2 }
 *   net.train(samples, { epochs: 2, batchSize: 256 });         // -> { epochs: Losses[], steps }
 *   const ev = new NetworkEvaluator({ encode, legalActions, net });   // mcts Evaluator<S, number>
 *   await saveCheckpoint(net, 'run/checkpoints/step-000100', { metrics: { loss } });
 *   const { net: again } = await loadCheckpoint(dir, { expect: { game, observationShape, numActions } });
 *
 *   const fast = await inferenceEngineFor(net);   // ONNX Runtime snapshot, else compiled tfjs snapshot
 *   const { engine } = await loadInferenceEngine(dir, { expect });   // model.onnx, no tfjs model built
 *
 * `PolicyNetwork` is itself an `InferenceEngine` (tfjs `model.predict`, live weights);
 * `OnnxEngine` runs the ONNX export and `CompiledTfjsEngine` a BN-folded tfjs-core forward
 * pass, both snapshots (make a new one after training). Any engine plugs into `NetworkEvaluator`
 * and can be swapped with `evaluator.setNet(engine)`. Checkpoint load errors are EngineError
 * 'BAD_CHECKPOINT' naming the file and the mismatch.
 */
export type { BackendInfo, BackendName, InitBackendOptions } from './backend.js';
export { initBackend, ensureBackend } from './backend.js';
export { patchWasmKernels, wasmKernelsPatched } from './wasm-kernels.js';
export type { NetArch, NetArchInput, NetSpec, NetSpecInput } from './spec.js';
export { netSpecSchema, netArchSchema, observationSize, describeArch } from './spec.js';
export type { NetOutput, InferenceEngine, TrainOptions, ResolvedTrainOptions, TrainBatch, TrainingSample, Losses, TrainReport } from './network.js';
export { PolicyNetwork, resolveTrainOptions } from './network.js';
export type { NetworkEvaluatorOptions, EvalSymmetry } from './evaluator.js';
export { NetworkEvaluator } from './evaluator.js';
export type { CheckpointManifest, SaveCheckpointOptions, CheckpointExpectation, LoadCheckpointOptions } from './checkpoint.js';
export {
  saveCheckpoint,
  loadCheckpoint,
  readManifest,
  CHECKPOINT_FORMAT_VERSION,
  MODEL_JSON,
  WEIGHTS_BIN,
  ONNX_FILE,
  MANIFEST_JSON,
} from './checkpoint.js';
export { exportOnnx, ONNX_INPUT, ONNX_OUTPUTS } from './onnx-export.js';
export type { OnnxEngineOptions } from './onnx-engine.js';
export { OnnxEngine, loadOrt } from './onnx-engine.js';
export type { EngineChoice, EngineOptions } from './inference.js';
export { inferenceEngineFor, tfjsEngineFor, loadInferenceEngine } from './inference.js';
export { CompiledTfjsEngine } from './tfjs-engine.js';
