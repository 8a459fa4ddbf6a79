import { promises as fs } from 'node:fs';
import { createHash } from 'node:crypto';
import { basename, dirname, join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { z } from 'zod';
import { EngineError, syncDir } from '../core/index.js';
import { PolicyNetwork, type TrainOptions } from './network.js';
import { exportOnnx } from './onnx-export.js';
import { ensureBackend } from './backend.js';
import { netArchSchema, netSpecSchema, type NetSpec } from './spec.js';

/**
 * A checkpoint is a directory:
 *   model.json + weights.bin   stock tfjs (`tf.loadLayersModel('file://.../model.json')` reads it)
 *   optimizer.bin              optional optimizer state (Adam moments), specs in the manifest
 *   model.onnx                 optional ONNX export of the same net, for ONNX Runtime inference
 *   manifest.json              what the net is for and how it got here (written last)
 * It is written into a temp directory beside the target and renamed into place, so a reader
 * (or a crash) sees a whole checkpoint or none.
 */

export const CHECKPOINT_FORMAT = 'arbor-policy-checkpoint';
export const CHECKPOINT_FORMAT_VERSION = 1;
export const MODEL_JSON = 'model.json';
export const WEIGHTS_BIN = 'weights.bin';
export const OPTIMIZER_BIN = 'optimizer.bin';
export const ONNX_FILE = 'model.onnx';
export const MANIFEST_JSON = 'manifest.json';

const fileEntry = z.object({ bytes: z.number().int().min(0), sha256: z.string().regex(/^[0-9a-f]{64}$/) });
const weightSpec = z.object({ name: z.string(), shape: z.array(z.number().int()), dtype: z.string() }).passthrough();

export const manifestSchema = z.object({
  format: z.literal(CHECKPOINT_FORMAT),
  formatVersion: z.number().int(),
  game: z.string().min(1),
  observationShape: netSpecSchema.shape.observationShape,
  numActions: z.number().int().min(1),
  arch: netArchSchema,
  /** Training steps (batches) the net has taken. */
  step: z.number().int().min(0),
  metrics: z.record(z.string(), z.union([z.number(), z.string(), z.null()])),
  createdAt: z.string(),
  /** The tfjs backend that wrote it (informational). */
  backend: z.string(),
  train: z.object({ optimizer: z.enum(['adam', 'sgd']), learningRate: z.number(), l2: z.number(), momentum: z.number() }),
  /** Size and SHA-256 of every file listed, checked on load. */
  files: z.record(z.string(), fileEntry),
  optimizerWeights: z.array(weightSpec).optional(),
});
export type CheckpointManifest = z.infer<typeof manifestSchema>;

export interface SaveCheckpointOptions {
  /** Anything worth keeping beside the weights (losses, Elo, games played). */
  readonly metrics?: Record<string, number | string | null>;
  /** Save optimizer state too (default true) so training resumes exactly. */
  readonly includeOptimizer?: boolean;
  /** Write model.onnx beside the tfjs files (default true) for ONNX Runtime inference. */
  readonly onnx?: boolean;
  /** Extra files to write into the checkpoint. */
  readonly extraFiles?: Readonly<Record<string, Uint8Array>>;
}

/** What a loader expects of a checkpoint; any mismatch is BAD_CHECKPOINT. */
export interface CheckpointExpectation {
  readonly game?: string;
  readonly observationShape?: readonly number[];
  readonly numActions?: number;
}

function bad(path: string, what: string, cause?: unknown): EngineError {
  return new EngineError('BAD_CHECKPOINT', `${path}: ${what}`, cause === undefined ? undefined : { cause });
}

function sha256(data: Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

/** The stock tfjs model.json + weights of a model, without tfjs-node. */
export async function modelArtifacts(model: tfl.LayersModel): Promise<{ modelJson: string; weights: Uint8Array }> {
  let captured: tf.io.ModelArtifacts | null = null;
  await model.save(
    tf.io.withSaveHandler(async (a) => {
      captured = a;
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
  );
  const a = captured as tf.io.ModelArtifacts | null;
  if (a === null || a.weightData === undefined || a.weightSpecs === undefined) throw new EngineError('INTERNAL', 'tfjs save produced no weights');
  const weights = new Uint8Array(tf.io.concatenateArrayBuffers(a.weightData as ArrayBuffer | ArrayBuffer[]));
  const modelJson = JSON.stringify({
    format: 'layers-model',
    generatedBy: `TensorFlow.js tfjs-layers v${tfl.version_layers}`,
    convertedBy: null,
    modelTopology: a.modelTopology,
    weightsManifest: [{ paths: [`./${WEIGHTS_BIN}`], weights: a.weightSpecs }],
  });
  return { modelJson, weights };
}

/**
 * Write `net` as a checkpoint directory at `dir`, atomically. An existing directory there is
 * replaced (moved aside, then removed); prefer a fresh directory per step.
 */
export async function saveCheckpoint(net: PolicyNetwork, dir: string, o: SaveCheckpointOptions = {}): Promise<CheckpointManifest> {
  const { modelJson, weights } = await modelArtifacts(net.model);
  const files: Record<string, Uint8Array> = {
    [MODEL_JSON]: new TextEncoder().encode(modelJson),
    [WEIGHTS_BIN]: weights,
    ...((o.onnx ?? true) ? { [ONNX_FILE]: exportOnnx(net.model) } : {}),
    ...(o.extraFiles ?? {}),
  };
  let optimizerWeights: CheckpointManifest['optimizerWeights'];
  if (o.includeOptimizer ?? true) {
    const named = await net.optimizerWeights();
    if (named.length > 0) {
      const enc = await tf.io.encodeWeights(named);
      files[OPTIMIZER_BIN] = new Uint8Array(tf.io.concatenateArrayBuffers(enc.data));
      optimizerWeights = enc.specs.map((s) => ({ ...s, shape: [...s.shape] }));
      // getWeights hands out the live moment variables plus a fresh iteration-count scalar.
      tf.dispose(named.map((t) => t.tensor).filter((t) => !(t instanceof tf.Variable)));
    }
  }
  const manifest: CheckpointManifest = {
    format: CHECKPOINT_FORMAT,
    formatVersion: CHECKPOINT_FORMAT_VERSION,
    game: net.spec.game,
    observationShape: net.spec.observationShape,
    numActions: net.spec.numActions,
    arch: net.spec.arch,
    step: net.step,
    metrics: { ...(o.metrics ?? {}) },
    createdAt: new Date().toISOString(),
    backend: tf.getBackend() ?? 'none',
    train: { ...net.trainOptions },
    files: Object.fromEntries(Object.entries(files).map(([name, data]) => [name, { bytes: data.byteLength, sha256: sha256(data) }])),
    ...(optimizerWeights !== undefined ? { optimizerWeights } : {}),
  };
  files[MANIFEST_JSON] = new TextEncoder().encode(JSON.stringify(manifest, null, 2) + '\n');
  await writeDirAtomic(dir, files);
  return manifest;
}

/** Write a whole directory of files: temp directory, fsync everything, rename into place. */
export async function writeDirAtomic(dir: string, files: Readonly<Record<string, Uint8Array>>): Promise<void> {
  const parent = dirname(dir);
  await fs.mkdir(parent, { recursive: true });
  const tag = `${process.pid}-${Date.now()}-${Math.random().toString(36).slice(2, 8)}`;
  const tmp = join(parent, `.${basename(dir)}.tmp-${tag}`);
  await fs.mkdir(tmp);
  try {
    // manifest.json last: a directory with a manifest has all its other files.
    const names = Object.keys(files).sort((a, b) => Number(a === MANIFEST_JSON) - Number(b === MANIFEST_JSON));
    for (const name of names) {
      const fh = await fs.open(join(tmp, name), 'w');
      try {
        await fh.writeFile(files[name]!);
        await fh.sync();
      } finally {
        await fh.close();
      }
    }
    await syncDir(tmp);
    let old: string | null = null;
    try {
      await fs.rename(tmp, dir);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code !== 'ENOTEMPTY' && code !== 'EEXIST' && code !== 'EISDIR') throw e;
      old = join(parent, `.${basename(dir)}.old-${tag}`);
      await fs.rename(dir, old);
      await fs.rename(tmp, dir);
    }
    await syncDir(parent);
    if (old !== null) await fs.rm(old, { recursive: true, force: true });
  } catch (e) {
    await fs.rm(tmp, { recursive: true, force: true }).catch(() => undefined);
    throw new EngineError('IO_ERROR', `cannot write checkpoint ${dir}: ${(e as Error).message}`, { cause: e });
  }
}

async function readFileOr(path: string, what: string): Promise<Uint8Array> {
  try {
    return new Uint8Array(await fs.readFile(path));
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw bad(path, code === 'ENOENT' ? `${what} is missing` : `cannot read ${what} (${code ?? (e as Error).message})`, e);
  }
}

/** Read and validate a checkpoint's manifest, checking it against what the caller expects. */
export async function readManifest(dir: string, expect: CheckpointExpectation = {}): Promise<CheckpointManifest> {
  const path = join(dir, MANIFEST_JSON);
  const raw = await readFileOr(path, 'the checkpoint manifest');
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder().decode(raw));
  } catch (e) {
    throw bad(path, `not valid JSON (${(e as Error).message})`, e);
  }
  const parsed = manifestSchema.safeParse(json);
  if (!parsed.success) {
    throw bad(path, `not an arbor checkpoint manifest: ${parsed.error.issues.slice(0, 3).map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')}`);
  }
  const m = parsed.data;
  if (m.formatVersion > CHECKPOINT_FORMAT_VERSION) throw bad(path, `format version ${m.formatVersion} is newer than this build reads (${CHECKPOINT_FORMAT_VERSION})`);
  if (expect.game !== undefined && m.game !== expect.game) throw bad(path, `checkpoint is for game '${m.game}', expected '${expect.game}'`);
  if (expect.observationShape !== undefined && m.observationShape.join('x') !== expect.observationShape.join('x')) {
    throw bad(path, `observation shape ${m.observationShape.join('x')} does not match the game's ${expect.observationShape.join('x')}`);
  }
  if (expect.numActions !== undefined && m.numActions !== expect.numActions) {
    throw bad(path, `policy size ${m.numActions} does not match the game's ${expect.numActions} actions`);
  }
  return m;
}

/** Read one listed file and check its size and checksum against the manifest. */
export async function readCheckedFile(dir: string, m: CheckpointManifest, name: string): Promise<Uint8Array> {
  const path = join(dir, name);
  const entry = m.files[name];
  if (entry === undefined) throw bad(join(dir, MANIFEST_JSON), `lists no ${name}`);
  const data = await readFileOr(path, name);
  if (data.byteLength !== entry.bytes) throw bad(path, `is ${data.byteLength} bytes, the manifest says ${entry.bytes} (truncated or replaced)`);
  if (sha256(data) !== entry.sha256) throw bad(path, 'does not match its SHA-256 in the manifest (corrupt)');
  return data;
}

export interface LoadCheckpointOptions {
  readonly expect?: CheckpointExpectation;
  /** Restore optimizer state when present (default true). */
  readonly loadOptimizer?: boolean;
  /** Override the saved training options (learning rate schedules). */
  readonly train?: TrainOptions;
}

/** Load a checkpoint written by `saveCheckpoint` into a trainable network. */
export async function loadCheckpoint(dir: string, o: LoadCheckpointOptions = {}): Promise<{ net: PolicyNetwork; manifest: CheckpointManifest }> {
  const m = await readManifest(dir, o.expect);
  await ensureBackend();
  const spec: NetSpec = { game: m.game, observationShape: m.observationShape, numActions: m.numActions, arch: m.arch };
  const jsonPath = join(dir, MODEL_JSON);
  const weightsPath = join(dir, WEIGHTS_BIN);
  const jsonBytes = await readCheckedFile(dir, m, MODEL_JSON);
  const weights = await readCheckedFile(dir, m, WEIGHTS_BIN);
  let modelJson: tf.io.ModelJSON;
  try {
    modelJson = JSON.parse(new TextDecoder().decode(jsonBytes)) as tf.io.ModelJSON;
  } catch (e) {
    throw bad(jsonPath, `not valid JSON (${(e as Error).message})`, e);
  }
  const specs = modelJson.weightsManifest?.flatMap((g) => g.weights) ?? [];
  const need = specs.reduce((s, w) => s + w.shape.reduce((a, b) => a * b, 1) * 4, 0);
  if (need !== weights.byteLength) throw bad(weightsPath, `is ${weights.byteLength} bytes, ${MODEL_JSON} describes ${need}`);
  let model: tfl.LayersModel;
  try {
    const buf = weights.buffer.slice(weights.byteOffset, weights.byteOffset + weights.byteLength) as ArrayBuffer;
    const artifacts = tf.io.getModelArtifactsForJSONSync(modelJson, specs, buf);
    model = await tfl.loadLayersModel({ load: async () => artifacts });
  } catch (e) {
    throw bad(jsonPath, `tfjs cannot build the model (${(e as Error).message})`, e);
  }
  const inShape = model.inputs[0]?.shape.slice(1).join('x');
  const outShapes = model.outputs.map((t) => t.shape.slice(1).join('x'));
  if (inShape !== m.observationShape.join('x') || outShapes[0] !== String(m.numActions) || outShapes[1] !== '1') {
    model.dispose();
    throw bad(jsonPath, `model takes ${inShape} and gives [${outShapes.join(', ')}], the manifest says ${m.observationShape.join('x')} -> [${m.numActions}, 1]`);
  }
  const net = PolicyNetwork.fromModel(spec, model, { step: m.step, train: { ...m.train, ...(o.train ?? {}) } });
  if ((o.loadOptimizer ?? true) && m.optimizerWeights !== undefined && m.files[OPTIMIZER_BIN] !== undefined) {
    const data = await readCheckedFile(dir, m, OPTIMIZER_BIN);
    try {
      const buf = data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength) as ArrayBuffer;
      const map = tf.io.decodeWeights(buf, m.optimizerWeights as tf.io.WeightsManifestEntry[]);
      await net.setOptimizerWeights(m.optimizerWeights.map((s) => ({ name: s.name, tensor: map[s.name]! })));
    } catch (e) {
      net.dispose();
      throw bad(join(dir, OPTIMIZER_BIN), `cannot restore optimizer state (${(e as Error).message})`, e);
    }
  }
  return { net, manifest: m };
}
