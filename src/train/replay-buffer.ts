import { promises as fs, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { EngineError, writeFileAtomic, type Rng } from '../core/index.js';

/** One training sample: what the net saw, the search's visit policy, the game's outcome for the mover. */
export interface Sample {
  readonly observation: Float32Array;
  readonly policy: Float32Array;
  readonly value: number;
}

const MAGIC = 0x41524231; // 'ARB1'
const HEADER_BYTES = 16;

/**
 * The replay buffer on disk: immutable chunk files (one per batch of finished games), each written
 * atomically, named by a monotonically increasing sequence number. A kill at any moment leaves only
 * complete chunks (a torn temp file is never renamed into place), so at most the games in flight are
 * lost. The sliding window keeps the newest `windowSamples` samples and deletes older chunks.
 */
export class ReplayBuffer {
  private chunks: { seq: number; file: string; count: number }[] = [];
  private obs: Float32Array[] = [];
  private pol: Float32Array[] = [];
  private val: number[] = [];
  private chunkOf: number[] = [];

  private constructor(
    readonly dir: string,
    readonly observationSize: number,
    readonly numActions: number,
    readonly windowSamples: number,
  ) {}

  static async open(dir: string, o: { observationSize: number; numActions: number; windowSamples: number }): Promise<ReplayBuffer> {
    await fs.mkdir(dir, { recursive: true });
    const rb = new ReplayBuffer(dir, o.observationSize, o.numActions, o.windowSamples);
    rb.loadExisting();
    await rb.trim();
    return rb;
  }

  get size(): number {
    return this.val.length;
  }

  get nextSeq(): number {
    return this.chunks.length === 0 ? 0 : this.chunks[this.chunks.length - 1]!.seq + 1;
  }

  /** Appends one chunk (e.g. one finished game) atomically, then trims the window. */
  async append(samples: readonly Sample[]): Promise<void> {
    if (samples.length === 0) return;
    const seq = this.nextSeq;
    const file = join(this.dir, `chunk-${String(seq).padStart(8, '0')}.bin`);
    await writeFileAtomic(file, encodeChunk(samples, this.observationSize, this.numActions));
    this.addChunk(seq, file, samples);
    await this.trim();
  }

  /** A uniformly random minibatch, as flat arrays ready to become tensors. */
  sampleBatch(n: number, rng: Rng): { observations: Float32Array; policies: Float32Array; values: Float32Array } {
    if (this.size === 0) throw new EngineError('INTERNAL', 'replay buffer is empty');
    const observations = new Float32Array(n * this.observationSize);
    const policies = new Float32Array(n * this.numActions);
    const values = new Float32Array(n);
    for (let i = 0; i < n; i++) {
      const j = rng.int(this.size);
      observations.set(this.obs[j]!, i * this.observationSize);
      policies.set(this.pol[j]!, i * this.numActions);
      values[i] = this.val[j]!;
    }
    return { observations, policies, values };
  }

  private loadExisting(): void {
    // Temp files of writes that a kill interrupted were never renamed into place: drop them.
    for (const n of readdirSync(this.dir)) if (n.startsWith('.chunk-') && n.endsWith('.tmp')) rmSync(join(this.dir, n), { force: true });
    const names = readdirSync(this.dir)
      .filter((n) => /^chunk-\d{8}\.bin$/.test(n))
      .sort();
    for (const name of names) {
      const file = join(this.dir, name);
      const samples = decodeChunk(readFileSync(file), file, this.observationSize, this.numActions);
      this.addChunk(Number(name.slice(6, 14)), file, samples);
    }
  }

  private addChunk(seq: number, file: string, samples: readonly Sample[]): void {
    this.chunks.push({ seq, file, count: samples.length });
    for (const s of samples) {
      this.obs.push(s.observation);
      this.pol.push(s.policy);
      this.val.push(s.value);
      this.chunkOf.push(seq);
    }
  }

  private async trim(): Promise<void> {
    // Drop whole chunks from the front while the rest still fills the window.
    while (this.chunks.length > 1 && this.size - this.chunks[0]!.count >= this.windowSamples) {
      const c = this.chunks.shift()!;
      this.obs.splice(0, c.count);
      this.pol.splice(0, c.count);
      this.val.splice(0, c.count);
      this.chunkOf.splice(0, c.count);
      await fs.rm(c.file, { force: true });
    }
  }
}

export function encodeChunk(samples: readonly Sample[], observationSize: number, numActions: number): Uint8Array {
  const per = observationSize + numActions + 1;
  const buf = new ArrayBuffer(HEADER_BYTES + samples.length * per * 4);
  const head = new DataView(buf);
  head.setUint32(0, MAGIC, true);
  head.setUint32(4, observationSize, true);
  head.setUint32(8, numActions, true);
  head.setUint32(12, samples.length, true);
  const body = new Float32Array(buf, HEADER_BYTES);
  let o = 0;
  for (const s of samples) {
    if (s.observation.length !== observationSize || s.policy.length !== numActions) {
      throw new EngineError('INTERNAL', `sample has shape ${s.observation.length}/${s.policy.length}, buffer expects ${observationSize}/${numActions}`);
    }
    body.set(s.observation, o);
    o += observationSize;
    body.set(s.policy, o);
    o += numActions;
    body[o++] = s.value;
  }
  return new Uint8Array(buf);
}

export function decodeChunk(bytes: Uint8Array, file: string, observationSize: number, numActions: number): Sample[] {
  if (bytes.byteLength < HEADER_BYTES) throw new EngineError('IO_ERROR', `${file}: replay chunk is truncated (${bytes.byteLength} bytes)`);
  const copy = new Uint8Array(bytes.byteLength);
  copy.set(bytes);
  const head = new DataView(copy.buffer);
  if (head.getUint32(0, true) !== MAGIC) throw new EngineError('IO_ERROR', `${file}: not an Arbor replay chunk (bad magic)`);
  const os = head.getUint32(4, true);
  const na = head.getUint32(8, true);
  const n = head.getUint32(12, true);
  if (os !== observationSize || na !== numActions) {
    throw new EngineError('IO_ERROR', `${file}: replay chunk has observation ${os} / actions ${na}, this run expects ${observationSize} / ${numActions}`);
  }
  const per = os + na + 1;
  if (copy.byteLength !== HEADER_BYTES + n * per * 4) {
    throw new EngineError('IO_ERROR', `${file}: replay chunk size ${copy.byteLength} does not match its header (${n} samples)`);
  }
  const body = new Float32Array(copy.buffer, HEADER_BYTES);
  const out: Sample[] = [];
  for (let i = 0, o = 0; i < n; i++) {
    out.push({ observation: body.slice(o, o + os), policy: body.slice(o + os, o + os + na), value: body[o + os + na]! });
    o += per;
  }
  return out;
}
