import { EngineError, Rng } from '../core/index.js';

/**
 * First-play urgency: the Q given to an unvisited child. `absolute` is a fixed value from the
 * mover's view (AlphaZero's pseudocode uses 0); `reduction` is the parent's mean minus `value`
 * (Leela Zero / KataGo style).
 */
export type Fpu = { readonly kind: 'absolute'; readonly value: number } | { readonly kind: 'reduction'; readonly value: number };

/** Temperature for the final move choice: a constant, or a schedule over the ply (number of `advance` calls). */
export type Temperature = number | ((ply: number) => number);

export interface MctsOptions {
  /** AlphaZero's exploration schedule: c(N) = pbCInit + log((1 + N + pbCBase) / pbCBase). */
  readonly pbCInit?: number;
  readonly pbCBase?: number;
  /** A constant exploration factor instead of the schedule. */
  readonly cPuct?: number;
  readonly fpu?: Fpu;
  /** Dirichlet noise mixed into the root priors (self-play). Off by default. */
  readonly dirichlet?: { readonly alpha: number; readonly epsilon: number } | null;
  readonly temperature?: Temperature;
  /** Weight of a virtual visit (each counts as a loss for the mover) while a leaf is in flight. */
  readonly virtualLoss?: number;
  /** Leaves gathered (with virtual loss) per evaluator call. */
  readonly batchSize?: number;
  /** Share evaluations and proven results between nodes with equal `env.key` (see search.ts). */
  readonly transpositions?: boolean;
  /** MCTS-Solver: back up proven wins/losses exactly. */
  readonly solver?: boolean;
  /** Stop a search early once the root is proven. */
  readonly stopWhenProven?: boolean;
  readonly seed?: number;
  /** Overrides `seed`. */
  readonly rng?: Rng;
}

export interface ResolvedOptions {
  readonly pbCInit: number;
  readonly pbCBase: number;
  readonly cPuct: number; // 0 = use the schedule
  readonly fpuKind: 0 | 1; // 0 absolute, 1 reduction
  readonly fpuValue: number;
  readonly dirichletAlpha: number;
  readonly dirichletEpsilon: number; // 0 = off
  readonly temperature: Temperature;
  readonly virtualLoss: number;
  readonly batchSize: number;
  readonly transpositions: boolean;
  readonly solver: boolean;
  readonly stopWhenProven: boolean;
  readonly rng: Rng;
}

/** AlphaZero's values (Silver et al. 2018, pseudocode). */
export const DEFAULTS = {
  pbCInit: 1.25,
  pbCBase: 19652,
  fpu: { kind: 'absolute', value: 0 } as Fpu,
  /** Used when self-play enables noise: AlphaZero chess 0.3 (Go 0.03), epsilon 0.25. */
  dirichlet: { alpha: 0.3, epsilon: 0.25 },
  temperature: 0,
  virtualLoss: 1,
  batchSize: 1,
} as const;

function bad(what: string, value: unknown, rule: string): never {
  throw new EngineError('BAD_CONFIG', `mcts option ${what} = ${String(value)}: ${rule}`);
}

export function resolveOptions(o: MctsOptions): ResolvedOptions {
  const pbCInit = o.pbCInit ?? DEFAULTS.pbCInit;
  const pbCBase = o.pbCBase ?? DEFAULTS.pbCBase;
  const cPuct = o.cPuct ?? 0;
  if (!(pbCInit >= 0)) bad('pbCInit', pbCInit, 'must be >= 0');
  if (!(pbCBase > 0)) bad('pbCBase', pbCBase, 'must be > 0');
  if (!(cPuct >= 0) || !Number.isFinite(cPuct)) bad('cPuct', cPuct, 'must be a finite number >= 0');
  const fpu = o.fpu ?? DEFAULTS.fpu;
  if (!Number.isFinite(fpu.value)) bad('fpu.value', fpu.value, 'must be finite');
  const d = o.dirichlet ?? null;
  if (d !== null) {
    if (!(d.alpha > 0)) bad('dirichlet.alpha', d.alpha, 'must be > 0');
    if (!(d.epsilon >= 0 && d.epsilon <= 1)) bad('dirichlet.epsilon', d.epsilon, 'must be in [0, 1]');
  }
  const temperature = o.temperature ?? DEFAULTS.temperature;
  if (typeof temperature === 'number' && !(temperature >= 0)) bad('temperature', temperature, 'must be >= 0');
  const virtualLoss = o.virtualLoss ?? DEFAULTS.virtualLoss;
  if (!(virtualLoss >= 0) || !Number.isFinite(virtualLoss)) bad('virtualLoss', virtualLoss, 'must be a finite number >= 0');
  const batchSize = o.batchSize ?? DEFAULTS.batchSize;
  if (!Number.isInteger(batchSize) || batchSize < 1) bad('batchSize', batchSize, 'must be an integer >= 1');
  return {
    pbCInit,
    pbCBase,
    cPuct,
    fpuKind: fpu.kind === 'absolute' ? 0 : 1,
    fpuValue: fpu.value,
    dirichletAlpha: d?.alpha ?? 0,
    dirichletEpsilon: d?.epsilon ?? 0,
    temperature,
    virtualLoss,
    batchSize,
    transpositions: o.transpositions ?? false,
    solver: o.solver ?? true,
    stopWhenProven: o.stopWhenProven ?? true,
    rng: o.rng ?? new Rng(o.seed ?? 0x5eed),
  };
}
