import type { Evaluator, Expansion } from '../mcts/index.js';
import { EngineError } from '../core/index.js';
import type { InferenceEngine } from './network.js';

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
  private buffer: Float32Array;
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
    this.buffer = new Float32Array(this.obsSize * 16);
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
    if (this.buffer.length < n * S) this.buffer = new Float32Array(S * Math.max(n, this.buffer.length / S * 2));
    const buf = this.buffer;
    for (let i = 0; i < n; i++) {
      if (this.encodeInto !== undefined) {
        this.encodeInto(states[i]!, buf, i * S);
      } else {
        const o = this.encode(states[i]!);
        if (o.length !== S) throw new EngineError('BAD_ARGUMENT', `encode returned ${o.length} floats, the net expects ${S} (${this.net.observationShape.join('x')})`);
        buf.set(o, i * S);
      }
    }
    // Actions are read before the engine call: states must not change while it runs.
    const legal = states.map((s) => this.legalActions(s));
    const { policyLogits, values } = await this.net.run(buf, n);
    this.calls++;
    this.positions += n;
    const A = this.net.numActions;
    const out: Expansion<number>[] = new Array(n);
    for (let i = 0; i < n; i++) {
      const actions = legal[i]!;
      const priors = new Float32Array(actions.length);
      const base = i * A;
      let max = -Infinity;
      for (let j = 0; j < actions.length; j++) {
        const a = actions[j]!;
        if (!(a >= 0 && a < A)) throw new EngineError('BAD_ARGUMENT', `legal action ${a} is outside the policy head [0, ${A})`);
        const l = policyLogits[base + a]! * this.invTemp;
        priors[j] = l;
        if (l > max) max = l;
      }
      let sum = 0;
      for (let j = 0; j < priors.length; j++) {
        const e = Math.exp(priors[j]! - max);
        priors[j] = e;
        sum += e;
      }
      for (let j = 0; j < priors.length; j++) priors[j] = priors[j]! / sum;
      const v = values[i]!;
      out[i] = { actions, priors, value: this.unit ? (v + 1) / 2 : v };
    }
    return out;
  }
}

function sizeOf(net: InferenceEngine): number {
  const [c, h, w] = net.observationShape;
  return c * h * w;
}
