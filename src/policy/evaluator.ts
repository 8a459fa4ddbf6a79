import type { Evaluator, Expansion } from '../mcts/index.js';
import { EngineError, Rng } from '../core/index.js';
import type { InferenceEngine } from './network.js';

/** A board symmetry as the evaluator needs it (games' `Symmetry` fits). */
export interface EvalSymmetry {
  /** The observation of the transformed position (a new array). */
  mapObservation(obs: Float32Array): Float32Array;
  /** Where action a of the original position goes in the transformed one. */
  mapAction(a: number): number;
}

export interface NetworkEvaluatorOptions<S> {
  /** The observation of `state` from the mover's view, C*H*W floats in [C,H,W] layout. */
  readonly encode: (state: S) => Float32Array;
  /**
   * Optional allocation-free encoder writing into `out` at `offset`; used instead of `encode`
   * when given (hot path: one shared input buffer per batch).
   */
  readonly encodeInto?: (state: S, out: Float32Array, offset: number) => void;
  /** Legal actions of `state` (distinct ids in [0, numActions)). */
  readonly legalActions: (state: S) => readonly number[];
  readonly net: InferenceEngine;
  /**
   * How the net's tanh value maps to the search's value range: 'symmetric' keeps [-1,1]
   * (two-player zero-sum), 'unit' maps to [0,1] (one-player rewards). Default 'symmetric'.
   */
  readonly valueRange?: 'symmetric' | 'unit';
  /** Softmax temperature applied to the logits of legal actions (default 1). */
  readonly policyTemperature?: number;
  /**
   * Non-identity board symmetries. 'average' evaluates every image in the same batch and
   * averages priors and values (smoother, costs 1+k rows per state); 'random' evaluates one
   * image chosen at random per state (AlphaGo Zero), at no extra cost.
   */
  readonly symmetries?: readonly EvalSymmetry[];
  readonly symmetryMode?: 'average' | 'random';
  /** For symmetryMode 'random' (default seed 1). */
  readonly rng?: Rng;
}

/**
 * The mcts `Evaluator` over a network: one engine call per `evaluate(states)` batch, illegal
 * actions masked, softmax over the legal ones, value for the player to move (the observation is
 * from the mover's view, so the net's value already is). Takes any batch size; a batching layer
 * (mcts' BatchingEvaluator) merges calls from several searches in front of it.
 */
export class NetworkEvaluator<S> implements Evaluator<S, number> {
  private net: InferenceEngine;
  private readonly encode: (state: S) => Float32Array;
  private readonly encodeInto: ((state: S, out: Float32Array, offset: number) => void) | undefined;
  private readonly legalActions: (state: S) => readonly number[];
  private readonly unit: boolean;
  private readonly invTemp: number;
  private obsSize: number;
  /** Idle input buffers; a call takes one, so overlapping calls (async engines) never share. */
  private readonly free: { buf: Float32Array; rowImage: Int32Array }[] = [];
  private readonly syms: readonly EvalSymmetry[];
  private readonly symMode: 'average' | 'random';
  private readonly rng: Rng;
  /** Positions evaluated and engine calls made, for batching statistics. */
  positions = 0;
  calls = 0;

  constructor(o: NetworkEvaluatorOptions<S>) {
    this.net = o.net;
    this.encode = o.encode;
    this.encodeInto = o.encodeInto;
    this.legalActions = o.legalActions;
    this.unit = (o.valueRange ?? 'symmetric') === 'unit';
    const t = o.policyTemperature ?? 1;
    if (!(t > 0)) throw new EngineError('BAD_ARGUMENT', `policyTemperature must be > 0, got ${t}`);
    this.invTemp = 1 / t;
    this.obsSize = sizeOf(o.net);
    this.syms = o.symmetries ?? [];
    this.symMode = o.symmetryMode ?? 'average';
    this.rng = o.rng ?? new Rng(1);
  }

  /** Swap in a newer network (same observation size and action count), e.g. after a training round. */
  setNet(net: InferenceEngine): void {
    if (sizeOf(net) !== this.obsSize || net.numActions !== this.net.numActions) {
      throw new EngineError('BAD_ARGUMENT', `setNet: new net has observation ${net.observationShape.join('x')} / ${net.numActions} actions, evaluator was built for ${this.net.observationShape.join('x')} / ${this.net.numActions}`);
    }
    this.net = net;
  }

  get engine(): InferenceEngine {
    return this.net;
  }

  async evaluate(states: readonly S[]): Promise<readonly Expansion<number>[]> {
    const n = states.length;
    if (n === 0) return [];
    const S = this.obsSize;
    const k = this.syms.length;
    const perState = k > 0 && this.symMode === 'average' ? 1 + k : 1;
    const rows = n * perState;
    let scratch = this.free.pop() ?? { buf: new Float32Array(S * 16), rowImage: new Int32Array(16) };
    if (scratch.rowImage.length < rows) {
      const cap = Math.max(rows, scratch.rowImage.length * 2);
      scratch = { buf: new Float32Array(S * cap), rowImage: new Int32Array(cap) };
    }
    try {
      return await this.evaluateWith(states, scratch.buf, scratch.rowImage, perState);
    } finally {
      this.free.push(scratch);
    }
  }

  private async evaluateWith(states: readonly S[], buf: Float32Array, rowImage: Int32Array, perState: number): Promise<Expansion<number>[]> {
    const n = states.length;
    const S = this.obsSize;
    const k = this.syms.length;
    const rows = n * perState;
    for (let i = 0; i < n; i++) {
      const row = i * perState;
      if (this.encodeInto !== undefined) {
        this.encodeInto(states[i]!, buf, row * S);
      } else {
        const o = this.encode(states[i]!);
        if (o.length !== S) throw new EngineError('BAD_ARGUMENT', `encode returned ${o.length} floats, the net expects ${S} (${this.net.observationShape.join('x')})`);
        buf.set(o, row * S);
      }
      rowImage[row] = 0;
      if (k === 0) continue;
      const base = buf.subarray(row * S, row * S + S);
      if (perState > 1) {
        for (let t = 1; t <= k; t++) {
          buf.set(this.syms[t - 1]!.mapObservation(base), (row + t) * S);
          rowImage[row + t] = t;
        }
      } else {
        const t = this.rng.int(k + 1);
        if (t > 0) buf.set(this.syms[t - 1]!.mapObservation(base), row * S);
        rowImage[row] = t;
      }
    }
    // Actions are read before the engine call: states must not change while it runs.
    const legal = states.map((s) => this.legalActions(s));
    const { policyLogits, values } = await this.net.run(buf, rows);
    this.calls++;
    this.positions += n;
    const A = this.net.numActions;
    const out: Expansion<number>[] = new Array(n);
    for (let i = 0; i < n; i++) {
      const actions = legal[i]!;
      const m = actions.length;
      for (let j = 0; j < m; j++) {
        const a = actions[j]!;
        if (!(a >= 0 && a < A)) throw new EngineError('BAD_ARGUMENT', `legal action ${a} is outside the policy head [0, ${A})`);
      }
      const priors = new Float32Array(m);
      let value = 0;
      for (let r = i * perState; r < (i + 1) * perState; r++) {
        const t = rowImage[r]!;
        const sym = t === 0 ? null : this.syms[t - 1]!;
        const base = r * A;
        let max = -Infinity;
        for (let j = 0; j < m; j++) {
          const a = actions[j]!;
          const l = policyLogits[base + (sym === null ? a : sym.mapAction(a))]! * this.invTemp;
          if (l > max) max = l;
        }
        let sum = 0;
        for (let j = 0; j < m; j++) {
          const a = actions[j]!;
          sum += Math.exp(policyLogits[base + (sym === null ? a : sym.mapAction(a))]! * this.invTemp - max);
        }
        const w = 1 / (sum * perState);
        for (let j = 0; j < m; j++) {
          const a = actions[j]!;
          priors[j] = priors[j]! + Math.exp(policyLogits[base + (sym === null ? a : sym.mapAction(a))]! * this.invTemp - max) * w;
        }
        value += values[r]!;
      }
      value /= perState;
      out[i] = { actions, priors, value: this.unit ? (value + 1) / 2 : value };
    }
    return out;
  }
}

function sizeOf(net: InferenceEngine): number {
  const [c, h, w] = net.observationShape;
  return c * h * w;
}
