import { z } from 'zod';
import { EngineError } from '../core/index.js';
import { netArchSchema } from '../policy/index.js';
import { PLAYOUT_POLICIES } from '../games/index.js';

const selfPlaySchema = z
  .object({
    /** Games per generation (between learner phases). */
    gamesPerGeneration: z.number().int().min(1),
    simulations: z.number().int().min(2),
    /** Games played at once per worker, so the network sees batches. */
    gamesInFlight: z.number().int().min(1).max(1024),
    /** Leaves gathered per tree per evaluation (virtual loss). */
    leavesPerBatch: z.number().int().min(1).max(64),
    workers: z.number().int().min(1).max(64),
    cPuct: z.number().positive(),
    dirichletAlpha: z.number().positive(),
    dirichletEpsilon: z.number().min(0).max(1),
    /** Moves played with temperature 1 at the start of each game; argmax afterwards. */
    temperatureMoves: z.number().int().min(0),
    /**
     * Value target = (1 - w) * game outcome + w * root search value. The outcome alone is noisy
     * (one game decides every position's label); the search value is biased toward the current net.
     */
    valueQWeight: z.number().min(0).max(1),
    /**
     * Playout cap randomization (KataGo, Wu 2019): each move is a full search (`simulations`,
     * root noise, recorded as a training sample) with this probability, else a fast search of
     * `fastSimulations` without noise whose position is not recorded. Deeper policy targets at the
     * same cost per game. 1 = every move is a full search.
     */
    fullSearchProbability: z.number().gt(0).max(1).default(1),
    fastSimulations: z.number().int().min(1).optional(),
    /**
     * Share of a random playout's result in each leaf value of the self-play searches (see
     * playoutMixEvaluator in src/games): 0 = the network's value alone.
     */
    playoutMix: z.number().min(0).max(1).default(0),
    /** How those playouts move: 'tactical' takes wins and blocks threats where the game can, 'random' never. */
    playoutPolicy: z.enum(PLAYOUT_POLICIES).default('tactical'),
  })
  .strict();

const trainSchema = z
  .object({
    batchSize: z.number().int().min(1).max(8192),
    stepsPerGeneration: z.number().int().min(1),
    learningRate: z.number().positive().max(1),
    l2: z.number().min(0).max(1),
    windowSamples: z.number().int().min(1),
    minSamples: z.number().int().min(1),
  })
  .strict();

const evalSchema = z
  .object({
    everyGenerations: z.number().int().min(1),
    /** Gating: the candidate replaces the best when its score over `gatingGames` is >= `gatingThreshold`. */
    gatingGames: z.number().int().min(0),
    gatingThreshold: z.number().min(0).max(1),
    simulations: z.number().int().min(2),
    /** Fixed references: games against uct at each budget. */
    uctLadder: z.array(z.number().int().min(2)),
    ladderGames: z.number().int().min(0),
    /** Connect Four: positions sampled from shared/bench/connect4/scored-moves.jsonl (0 = off). */
    scoredPositions: z.number().int().min(0),
  })
  .strict();

/** Overrides from a generation on: every field that can change between generations. */
const phaseSchema = z
  .object({
    fromGeneration: z.number().int().min(1),
    // (zod fills defaults even in optional fields: a phase must not reset the defaulted fields.)
    selfPlay: selfPlaySchema
      .omit({ leavesPerBatch: true, workers: true })
      .extend({ fullSearchProbability: selfPlaySchema.shape.fullSearchProbability.unwrap(), playoutMix: selfPlaySchema.shape.playoutMix.unwrap(), playoutPolicy: selfPlaySchema.shape.playoutPolicy.unwrap() })
      .partial()
      .strict()
      .optional(),
    train: trainSchema.pick({ batchSize: true, stepsPerGeneration: true, learningRate: true }).partial().strict().optional(),
    eval: evalSchema.pick({ everyGenerations: true, simulations: true, ladderGames: true }).partial().strict().optional(),
  })
  .strict();

export const trainConfigSchema = z
  .object({
    game: z.string(),
    seed: z.number().int(),
    net: netArchSchema,
    /** Optional checkpoint directory to start the network from (e.g. a shipped model). */
    initFrom: z.string().optional(),
    selfPlay: selfPlaySchema,
    train: trainSchema,
    eval: evalSchema,
    /**
     * Schedule: from generation `fromGeneration` on, these fields replace the ones above (later
     * phases win). The replay window and the worker count are fixed for the whole run.
     */
    phases: z.array(phaseSchema).default([]),
  })
  .strict()
  .superRefine((c, ctx) => {
    // Checked on the settings in force at the start and at every phase (a phase may set either field).
    for (const gen of [1, ...c.phases.map((p) => p.fromGeneration)]) {
      const sp = configAt(c, gen).selfPlay;
      if (sp.fullSearchProbability < 1 && sp.fastSimulations === undefined) {
        ctx.addIssue({ code: 'custom', path: ['selfPlay', 'fastSimulations'], message: `required from generation ${gen}, where fullSearchProbability is ${sp.fullSearchProbability} < 1` });
      }
    }
  });

export type TrainConfig = z.infer<typeof trainConfigSchema>;

/** Defaults per game: `arbor train connect4 --run runs/c4` should just work on a 2-core machine. */
export function defaultConfig(game: string): TrainConfig {
  const common = { seed: 1 };
  if (game === 'tictactoe') {
    // Measured: 12-20 generations (one or two CPU-minutes) reach play that never loses (checked against every reply).
    return {
      ...common,
      game,
      net: { kind: 'mlp', hidden: [128, 128] },
      selfPlay: { gamesPerGeneration: 64, simulations: 96, gamesInFlight: 32, leavesPerBatch: 1, workers: 2, cPuct: 1.5, dirichletAlpha: 1.0, dirichletEpsilon: 0.25, temperatureMoves: 3, valueQWeight: 0, fullSearchProbability: 1, playoutMix: 0, playoutPolicy: 'tactical' },
      train: { batchSize: 256, stepsPerGeneration: 100, learningRate: 0.003, l2: 1e-4, windowSamples: 20_000, minSamples: 256 },
      eval: { everyGenerations: 4, gatingGames: 0, gatingThreshold: 0.55, simulations: 96, uctLadder: [100], ladderGames: 10, scoredPositions: 0 },
      phases: [],
    };
  }
  // Connect Four: the config of the run that produced models/connect4 (a 2-core machine): 28
  // generations as below, then a second phase with deeper searches, a lower learning rate and
  // value targets that mix in the search value, then a third with a lower learning rate still,
  // then a fourth whose searches mix random playouts into their leaf values, a fifth with a lower
  // learning rate still, and a sixth whose playouts take wins and block threats.
  return {
    ...common,
    game,
    net: { kind: 'resnet', blocks: 4, channels: 32, policyChannels: 2, valueChannels: 1, valueHidden: 64 },
    selfPlay: { gamesPerGeneration: 120, simulations: 120, gamesInFlight: 48, leavesPerBatch: 1, workers: 2, cPuct: 1.5, dirichletAlpha: 1.0, dirichletEpsilon: 0.25, temperatureMoves: 10, valueQWeight: 0, fullSearchProbability: 1, playoutMix: 0, playoutPolicy: 'tactical' },
    train: { batchSize: 256, stepsPerGeneration: 80, learningRate: 0.002, l2: 1e-4, windowSamples: 150_000, minSamples: 3_000 },
    eval: { everyGenerations: 3, gatingGames: 0, gatingThreshold: 0.55, simulations: 120, uctLadder: [1000], ladderGames: 10, scoredPositions: 100 },
    phases: [
      { fromGeneration: 29, selfPlay: { simulations: 200, valueQWeight: 0.5 }, train: { learningRate: 0.0008 }, eval: { everyGenerations: 5 } },
      { fromGeneration: 70, train: { learningRate: 0.0003 } },
      { fromGeneration: 87, selfPlay: { playoutMix: 0.5, playoutPolicy: 'random' }, eval: { everyGenerations: 4 } },
      { fromGeneration: 128, train: { learningRate: 0.0001 } },
      { fromGeneration: 134, selfPlay: { playoutPolicy: 'tactical' } },
    ],
  };
}

/** The settings in force at generation `gen`: the base config with every phase that has started merged over it. */
export function configAt<C extends Pick<TrainConfig, 'selfPlay' | 'train' | 'eval' | 'phases'>>(config: C, gen: number): C {
  const started = config.phases.filter((p) => p.fromGeneration <= gen).sort((a, b) => a.fromGeneration - b.fromGeneration);
  let c = config;
  for (const p of started) {
    c = { ...c, selfPlay: { ...c.selfPlay, ...p.selfPlay }, train: { ...c.train, ...p.train }, eval: { ...c.eval, ...p.eval } };
  }
  return c;
}

/** A phase's overrides as `section.field=value` pairs, for the training log. */
export function describePhase(p: TrainConfig['phases'][number]): string {
  const parts: string[] = [];
  for (const section of ['selfPlay', 'train', 'eval'] as const) {
    for (const [k, v] of Object.entries(p[section] ?? {})) parts.push(`${section}.${k}=${String(v)}`);
  }
  return parts.length > 0 ? parts.join(', ') : '(no overrides)';
}

/** Deep-merges a user's partial config over the defaults and validates it, naming each bad field. */
export function resolveConfig(game: string, user: unknown, source: string): TrainConfig {
  const base = defaultConfig(game);
  const merged = user === undefined ? base : deepMerge(base, user);
  const parsed = trainConfigSchema.safeParse(merged);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
    throw new EngineError('BAD_CONFIG', `${source}: invalid training config: ${problems}`);
  }
  if (parsed.data.game !== game) {
    throw new EngineError('BAD_CONFIG', `${source}: config is for game '${parsed.data.game}', not '${game}'`);
  }
  return parsed.data;
}

function deepMerge(base: unknown, over: unknown): unknown {
  if (isPlainObject(base) && isPlainObject(over)) {
    const out: Record<string, unknown> = { ...base };
    for (const [k, v] of Object.entries(over)) out[k] = k in base ? deepMerge(base[k], v) : v;
    return out;
  }
  return over;
}

function isPlainObject(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}
