/**
 * Policy/value networks (layer L2: imports core and mcts types only, never games).
 *
 * A game reaches this module as plain data: `observationShape` [C,H,W], `numActions` (the
 * policy size) and encode/legalActions functions.
 *
 * Backend      await initBackend()   tfjs-node-gpu > tfjs-node (optional, dynamic import) >
 *              wasm (with re-registered conv-gradient kernels) > cpu; logs its choice.
 *              ARBOR_TF_BACKEND=cpu|wasm|... overrides. Loading a checkpoint calls ensureBackend().
 * Network      PolicyNetwork.create({ game, observationShape, numActions,
 *                arch: { kind: 'resnet', blocks, channels } | { kind: 'mlp', hidden: [...] } },
 *                { seed, train: { optimizer: 'adam' | 'sgd', learningRate, l2, momentum } })
 *              Residual trunk (3x3 conv + BN + ReLU) with an AlphaZero policy head (logits over
 *              numActions) and tanh value head; or an MLP for tiny games.
 * Training     net.trainStep({ size, observations, policies, values }) -> Losses
 *                { total, policy (cross-entropy vs visit distribution), value (MSE), l2 }
 *              net.train(samples, { epochs, batchSize, rng, onStep }) -> { epochs: Losses[], steps }
 *              net.evaluateLosses(batch), net.setLearningRate(lr), net.clone(), net.step
 * Inference    every engine: run(observations, n) -> { policyLogits (n x A), values (n) }
 *              net itself (model.predict, live weights); snapshots, re-made after training:
 *              await inferenceEngineFor(net, { engine: 'auto' | 'onnx' | 'tfjs' })
 *                auto = ONNX Runtime (fastest here), else CompiledTfjsEngine (BN folded).
 * Evaluator    new NetworkEvaluator({ encode | encodeInto, legalActions, net: engine,
 *                valueRange?, symmetries?, symmetryMode?: 'average' | 'random' })
 *              mcts Evaluator<S, number>: one engine call per evaluate(states), any batch size,
 *              illegal actions masked, softmax over legal ones, value for the mover.
 *              evaluator.setNet(newEngine) swaps nets between training rounds.
 * Checkpoints  await saveCheckpoint(net, dir, { metrics, includeOptimizer, onnx })
 *                dir/ model.json + weights.bin (stock tfjs), model.onnx, optimizer.bin,
 *                manifest.json (game, shapes, arch, step, metrics, checksums); atomic.
 *              await loadCheckpoint(dir, { expect: { game, observationShape, numActions } })
 *              await loadInferenceEngine(dir, { expect, engine })   (no tfjs model for ONNX)
 *              Bad or mismatched checkpoints: EngineError 'BAD_CHECKPOINT' naming file and problem.
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
