/**
 * Network speed on Connect Four-sized residual nets (input 3x6x7, 7 actions):
 * - inference positions/s through the NetworkEvaluator (encode, one engine call, masking and
 *   softmax) against the raw engine on a ready input buffer, at batch 1/16/64, for tfjs-wasm
 *   (model.predict, and the compiled BN-folded forward pass) and ONNX Runtime: the ratio is the
 *   evaluator's overhead;
 * - one training step (batch 256) on the selected tfjs backend.
 * Rates are per CPU-second of this process (all its threads), as in the search suite: the
 * machines are shared.
 */
import { Rng } from '../../core/index.js';
import { connectFour, type ConnectFourState } from '../../games/index.js';
import {
  initBackend,
  inferenceEngineFor,
  tfjsEngineFor,
  NetworkEvaluator,
  PolicyNetwork,
  describeArch,
  type InferenceEngine,
  type NetArchInput,
} from '../../policy/index.js';
import { cpuMs } from './search.js';
import type { BenchContext, BenchSection, BenchSuite } from './types.js';

const BATCHES = [1, 16, 64] as const;

/** Random mid-game positions (non-terminal), reproducible. */
function positions(n: number, seed: number): ConnectFourState[] {
  const rng = new Rng(seed);
  const out: ConnectFourState[] = [];
  while (out.length < n) {
    let s = connectFour.initialState();
    const plies = rng.int(20);
    for (let i = 0; i < plies && !connectFour.isTerminal(s); i++) {
      const legal = connectFour.legalActions(s);
      s = connectFour.apply(s, legal[rng.int(legal.length)]!);
    }
    if (!connectFour.isTerminal(s)) out.push(s);
  }
  return out;
}

/** Repeat `f` until `budgetMs` of CPU time has passed (after one warm-up call); calls per CPU-second. */
async function rate(budgetMs: number, f: () => unknown): Promise<number> {
  await f();
  let calls = 0;
  const t0 = cpuMs();
  let dt = 0;
  while (dt < budgetMs || calls < 3) {
    await f();
    calls++;
    dt = cpuMs() - t0;
  }
  return calls / (dt / 1000);
}

/**
 * Alternate calls of f and g, timing each, until both have used `budgetMs` of CPU: on a shared
 * machine whose load drifts, interleaving keeps their ratio fair. Calls per CPU-second of each.
 */
async function paired(budgetMs: number, f: () => unknown, g: () => unknown): Promise<[number, number]> {
  await f();
  await g();
  let [tf, tg, n] = [0, 0, 0];
  while (tf + tg < 2 * budgetMs || n < 3) {
    let t0 = cpuMs();
    await f();
    tf += cpuMs() - t0;
    t0 = cpuMs();
    await g();
    tg += cpuMs() - t0;
    n++;
  }
  return [n / (tf / 1000), n / (tg / 1000)];
}

async function inferenceRows(engine: InferenceEngine, label: string, engineName: string, budgetMs: number, states: readonly ConnectFourState[]): Promise<Record<string, string | number>[]> {
  const S = 3 * 6 * 7;
  const input = new Float32Array(64 * S);
  states.slice(0, 64).forEach((s, i) => input.set(connectFour.observationTensor(s), i * S));
  const ev = new NetworkEvaluator<ConnectFourState>({
    encode: (s) => connectFour.observationTensor(s),
    legalActions: (s) => connectFour.legalActions(s),
    net: engine,
  });
  const rows: Record<string, string | number>[] = [];
  for (const b of BATCHES) {
    const batch = states.slice(0, b);
    const [rawCalls, evCalls] = await paired(budgetMs, () => engine.run(input, b), () => ev.evaluate(batch));
    const raw = rawCalls * b;
    const viaEv = evCalls * b;
    rows.push({ net: label, engine: engineName, batch: b, 'raw pos/s': Math.round(raw), 'evaluator pos/s': Math.round(viaEv), 'evaluator/raw': +(viaEv / raw).toFixed(2) });
  }
  return rows;
}

export const policySuite: BenchSuite = {
  name: 'policy',
  async run(ctx: BenchContext): Promise<readonly BenchSection[]> {
    const backend = await initBackend({ log: ctx.log });
    const archs: NetArchInput[] = ctx.quick
      ? [{ kind: 'resnet', blocks: 2, channels: 32 }]
      : [{ kind: 'resnet', blocks: 4, channels: 32 }, { kind: 'resnet', blocks: 4, channels: 64 }];
    const budgetMs = ctx.quick ? 200 : 1500;
    const states = positions(64, 1);
    const infer: Record<string, string | number>[] = [];
    const train: Record<string, string | number>[] = [];
    const notes: string[] = [`tfjs backend: ${backend.kind}`];
    for (const arch of archs) {
      const net = PolicyNetwork.create({ game: 'connect4', observationShape: [3, 6, 7], numActions: 7, arch });
      const label = describeArch(net.spec.arch);
      ctx.log(`policy: ${label} inference (tfjs model.predict)`);
      infer.push(...(await inferenceRows(net, label, `tfjs-${backend.kind} predict`, budgetMs, states)));
      const compiled = tfjsEngineFor(net, (l) => notes.push(l));
      ctx.log(`policy: ${label} inference (tfjs compiled)`);
      infer.push(...(await inferenceRows(compiled, label, `tfjs-${backend.kind} compiled`, budgetMs, states)));
      if (compiled !== net) await compiled.dispose();
      const onnx = await inferenceEngineFor(net, { engine: 'auto', log: (l) => notes.push(l) });
      if (onnx.kind === 'onnx') {
        ctx.log(`policy: ${label} inference (onnx)`);
        infer.push(...(await inferenceRows(onnx, label, 'onnxruntime-node', budgetMs, states)));
      }
      if (onnx !== net) await onnx.dispose();
      ctx.log(`policy: ${label} train step`);
      const bs = ctx.quick ? 64 : 256;
      const rng = new Rng(2);
      const S = 3 * 6 * 7;
      const obs = new Float32Array(bs * S);
      const pol = new Float32Array(bs * 7);
      const val = new Float32Array(bs);
      for (let i = 0; i < bs; i++) {
        obs.set(connectFour.observationTensor(states[i % states.length]!), i * S);
        pol[i * 7 + rng.int(7)] = 1;
        val[i] = rng.next() < 0.5 ? 1 : -1;
      }
      const steps = await rate(ctx.quick ? 500 : 3000, () => net.trainStep({ size: bs, observations: obs, policies: pol, values: val }));
      train.push({ net: label, backend: backend.kind, batch: bs, 'ms/step': Math.round(1000 / steps), 'samples/s': Math.round(steps * bs) });
      net.dispose();
    }
    return [
      { title: 'Connect Four net inference: NetworkEvaluator vs raw engine (positions per CPU-second)', rows: infer, notes },
      { title: 'Connect Four net training step (Adam, L2 1e-4)', rows: train },
    ];
  },
};
