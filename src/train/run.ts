import { existsSync, readFileSync, rmSync, promises as fs } from 'node:fs';
import { join, resolve } from 'node:path';
import { z } from 'zod';
import { EngineError, Rng, writeFileAtomic } from '../core/index.js';
import { getGame, type Game } from '../games/index.js';
import { PolicyNetwork, initBackend, loadCheckpoint, loadInferenceEngine, saveCheckpoint, inferenceEngineFor, observationSize, describeArch, type Losses } from '../policy/index.js';
import { configAt, describePhase, resolveConfig, type TrainConfig } from './config.js';
import { ReplayBuffer } from './replay-buffer.js';
import { ActorPool } from './actor-pool.js';
import { azAgent, uctAgent, playMatchParallel, type Agent } from './agents.js';
import { loadScoredPositions, samplePositions, scoreMoves } from './scored-positions.js';
import { appendMetrics, readMetrics, writePlot, type MetricsLine } from './metrics.js';

const stateSchema = z.object({
  version: z.literal(1),
  game: z.string(),
  generation: z.number().int().min(0),
  games: z.number().int().min(0),
  samples: z.number().int().min(0),
  trainSteps: z.number().int().min(0),
  elapsedMs: z.number().min(0),
  best: z.string(),
  latest: z.string(),
});
export type RunState = z.infer<typeof stateSchema>;

export interface TrainRunOptions {
  readonly game: string;
  readonly runDir: string;
  /** Stop after this much wall time in this invocation (the run can be resumed). */
  readonly hours?: number;
  /** Stop after this many generations in total. */
  readonly generations?: number;
  /** A JSON file of config overrides (only for a new run; a resumed run keeps its config.json). */
  readonly configFile?: string;
  readonly configOverrides?: unknown;
  readonly log: (line: string) => void;
  readonly signal?: AbortSignal;
}

/**
 * A resumable AlphaZero run: self-play in worker threads (best net) -> replay buffer -> learner
 * (latest net) -> candidate checkpoint -> evaluation and gating. Every file is written atomically
 * and state.json is written last in each phase, so a kill at any moment loses at most the games in
 * flight (finished games are already chunk files in replay/).
 *
 * Gating rule: a candidate becomes the best net (the one self-play uses) when it scores at least
 * `eval.gatingThreshold` over `eval.gatingGames` games against the current best (colours alternating,
 * draws count half); with `gatingGames: 0` every candidate is promoted (AlphaZero's continuous update).
 */
export async function trainRun(o: TrainRunOptions): Promise<RunState> {
  const game = getGame(o.game) as Game<unknown>;
  const dir = resolve(o.runDir);
  const configPath = join(dir, 'config.json');
  const unlock = await lockRun(dir);
  try {
    return await trainLocked(o, game, dir, configPath);
  } finally {
    unlock();
  }
}

async function trainLocked(o: TrainRunOptions, game: Game<unknown>, dir: string, configPath: string): Promise<RunState> {
  const statePath = join(dir, 'state.json');
  let runConfig: TrainConfig;
  if (existsSync(configPath)) {
    if (o.configFile) o.log(`note: resuming ${dir}; its config.json is kept and --config ${o.configFile} is ignored (edit config.json, or add a phase, to change settings)`);
    runConfig = resolveConfig(game.info.name, readJson(configPath), configPath);
  } else {
    const user = o.configFile ? readJson(o.configFile) : o.configOverrides;
    runConfig = resolveConfig(game.info.name, user === undefined ? undefined : { game: game.info.name, ...(user as object) }, o.configFile ?? 'config overrides');
    await writeFileAtomic(configPath, JSON.stringify(runConfig, null, 2) + '\n');
  }
  // Settings fixed for the whole run (net, replay window, workers) come from the base config.
  const config = runConfig;
  const backend = await initBackend({ log: null });
  o.log(`backend: ${backend.name} | game ${game.info.name} | net ${config.net.kind === 'resnet' ? `res${config.net.blocks}x${config.net.channels}` : `mlp${config.net.hidden.join('-')}`} | run ${dir}`);

  const spec = { game: game.info.name, observationShape: [...game.info.observationShape] as [number, number, number], numActions: game.info.numDistinctActions, arch: config.net };
  const trainOpts = { learningRate: config.train.learningRate, l2: config.train.l2 };
  let state: RunState;
  let net: PolicyNetwork;
  if (existsSync(statePath)) {
    state = parseState(statePath);
    ({ net } = await loadCheckpoint(join(dir, state.latest), { expect: { game: spec.game, observationShape: spec.observationShape, numActions: spec.numActions }, train: trainOpts }));
    o.log(`resumed at generation ${state.generation}: ${state.games} games, ${state.trainSteps} training steps, best ${state.best}`);
  } else {
    if (config.initFrom) {
      ({ net } = await loadCheckpoint(resolve(config.initFrom), { expect: { game: spec.game, numActions: spec.numActions }, train: trainOpts }));
      o.log(`starting from ${config.initFrom} (step ${net.step})`);
    } else {
      net = PolicyNetwork.create(spec, { seed: config.seed, train: trainOpts });
    }
    const first = 'checkpoints/gen-00000';
    await saveCheckpoint(net, join(dir, first), { metrics: { generation: 0 } });
    state = { version: 1, game: game.info.name, generation: 0, games: 0, samples: 0, trainSteps: 0, elapsedMs: 0, best: first, latest: first };
    await writeFileAtomic(statePath, JSON.stringify(state, null, 2) + '\n');
  }
  const sp = configAt(runConfig, state.generation + 1).selfPlay;
  const sims = sp.fullSearchProbability < 1 ? `${sp.simulations} simulations on ${Math.round(100 * sp.fullSearchProbability)}% of moves (recorded), ${sp.fastSimulations} on the rest` : `${sp.simulations} simulations per move`;
  o.log(`net ${describeArch(net.spec.arch)}, ${config.selfPlay.workers} self-play worker(s), ${sims}`);

  const replay = await ReplayBuffer.open(join(dir, 'replay'), {
    observationSize: observationSize(spec),
    numActions: spec.numActions,
    windowSamples: config.train.windowSamples,
  });
  const pool = new ActorPool(config.selfPlay.workers, observationSize(spec), spec.numActions);
  const onAbort = (): void => void pool.close();
  o.signal?.addEventListener('abort', onAbort);
  const started = Date.now();
  const baseElapsed = state.elapsedMs;
  const deadline = o.hours === undefined ? Infinity : started + o.hours * 3_600_000;
  const rng = new Rng(config.seed + state.generation * 7919);
  const scored = game.info.name === 'connect4' && config.eval.scoredPositions > 0 ? samplePositions(loadScoredPositions(), config.eval.scoredPositions) : [];
  const stopping = (): boolean => (o.signal?.aborted ?? false) || Date.now() >= deadline || (o.generations !== undefined && state.generation >= o.generations);
  try {
    while (!stopping()) {
      const gen = state.generation + 1;
      const config = configAt(runConfig, gen);
      for (const p of runConfig.phases) if (p.fromGeneration === gen) o.log(`gen ${gen} | phase starts: ${describePhase(p)}`);
      if (net.trainOptions.learningRate !== config.train.learningRate) {
        o.log(`gen ${gen} | learning rate ${config.train.learningRate} (was ${net.trainOptions.learningRate})`);
        net.setLearningRate(config.train.learningRate);
      }
      // 1. Self-play with the best net.
      const t0 = Date.now();
      let games = 0;
      let firstWins = 0;
      let writes: Promise<void> = Promise.resolve();
      let played: { games: number; positions: number };
      try {
        played = await pool.play({
        game: game.info.name,
        checkpoint: join(dir, state.best),
        games: config.selfPlay.gamesPerGeneration,
        seed: config.seed + gen,
        config: config.selfPlay,
        onGame: (g) => {
          games++;
          if (g.result > 0) firstWins++;
          // Appends are chained so chunk files keep their order; each is atomic on its own.
          writes = writes.then(() => replay.append(g.samples));
          state = { ...state, games: state.games + 1, samples: state.samples + g.samples.length };
          if (games % 10 === 0 || games === config.selfPlay.gamesPerGeneration) {
            const secs = (Date.now() - t0) / 1000;
            o.log(`gen ${gen} | self-play ${games}/${config.selfPlay.gamesPerGeneration} games | ${(games / secs).toFixed(2)} games/s | replay ${replay.size} samples`);
          }
        },
      });
      } catch (e) {
        await writes;
        if (o.signal?.aborted) break; // the pool was closed to stop at once: games in flight are lost, finished ones are saved
        throw e;
      }
      await writes;
      if (o.signal?.aborted) break; // stopped mid-generation: finished games are saved, the rest dropped
      const selfPlayMs = Date.now() - t0;
      // 2. Learn on the window.
      let losses: Losses | null = null;
      const t1 = Date.now();
      if (replay.size >= config.train.minSamples) {
        const acc = { total: 0, policy: 0, value: 0, l2: 0 };
        for (let i = 0; i < config.train.stepsPerGeneration; i++) {
          if (o.signal?.aborted) break;
          const b = replay.sampleBatch(config.train.batchSize, rng);
          const l = await net.trainStep({ size: config.train.batchSize, ...b });
          acc.total += l.total;
          acc.policy += l.policy;
          acc.value += l.value;
          acc.l2 += l.l2;
        }
        const k = config.train.stepsPerGeneration;
        losses = { total: acc.total / k, policy: acc.policy / k, value: acc.value / k, l2: acc.l2 / k };
        state = { ...state, trainSteps: state.trainSteps + k };
        o.log(`gen ${gen} | trained ${k} steps in ${((Date.now() - t1) / 1000).toFixed(1)} s | loss ${losses.total.toFixed(4)} (policy ${losses.policy.toFixed(4)}, value ${losses.value.toFixed(4)})`);
      } else {
        o.log(`gen ${gen} | waiting for ${config.train.minSamples} samples before training (have ${replay.size})`);
      }
      if (o.signal?.aborted) break; // a partial generation is not checkpointed; its games are in replay/
      const trainMs = Date.now() - t1;
      const candidate = `checkpoints/gen-${String(gen).padStart(5, '0')}`;
      await saveCheckpoint(net, join(dir, candidate), { metrics: { generation: gen, ...(losses ? { loss: losses.total } : {}) } });
      // 3. Evaluate and gate.
      const evaluation: MetricsLine['eval'] = {};
      let best = state.best;
      if (losses !== null && gen % config.eval.everyGenerations === 0) {
        const t2 = Date.now();
        const candEngine = await inferenceEngineFor(net);
        const sims = config.eval.simulations;
        const inFlight = 8;
        const cand = (i: number): Agent<unknown> => azAgent(game, candEngine, { simulations: sims, seed: 100 + i, name: 'candidate' });
        if (config.eval.gatingGames > 0) {
          const { engine: bestEngine } = await loadInferenceEngine(join(dir, state.best));
          const m = await playMatchParallel(game, cand, (i) => azAgent(game, bestEngine, { simulations: sims, seed: 200 + i, name: 'best' }), config.eval.gatingGames, inFlight);
          await bestEngine.dispose();
          evaluation.gating = m;
          if (m.score >= config.eval.gatingThreshold) best = candidate;
          o.log(`gen ${gen} | gating vs best: score ${m.score.toFixed(3)} (+${m.wins} =${m.draws} -${m.losses}) -> ${best === candidate ? 'promoted' : 'kept best'}`);
        } else {
          best = candidate;
        }
        for (const uctSims of config.eval.uctLadder) {
          if (config.eval.ladderGames === 0) break;
          const m = await playMatchParallel(game, cand, (i) => uctAgent(game, { simulations: uctSims, seed: 300 + i }), config.eval.ladderGames, inFlight);
          evaluation[`uct${uctSims}`] = m;
          o.log(`gen ${gen} | vs uct:sims=${uctSims}: score ${m.score.toFixed(3)} (+${m.wins} =${m.draws} -${m.losses})`);
        }
        if (scored.length > 0) {
          const r = await scoreMoves(game, scored, cand, 16);
          evaluation.scored = { positions: r.positions, optimal: r.optimal, resultKeeping: r.resultKeeping };
          o.log(`gen ${gen} | scored positions (${r.positions}): optimal ${(100 * r.optimal).toFixed(1)}%, result-keeping ${(100 * r.resultKeeping).toFixed(1)}%`);
        }
        await candEngine.dispose();
        o.log(`gen ${gen} | evaluation took ${((Date.now() - t2) / 1000).toFixed(1)} s`);
      } else if (losses !== null && config.eval.gatingGames === 0) {
        best = candidate;
      }
      state = { ...state, generation: gen, latest: candidate, best, elapsedMs: baseElapsed + (Date.now() - started) };
      await appendMetrics(dir, {
        time: new Date().toISOString(),
        elapsedSec: state.elapsedMs / 1000,
        generation: gen,
        games: state.games,
        samples: state.samples,
        trainSteps: state.trainSteps,
        selfPlay: { games: played.games, firstPlayerWins: firstWins, ms: selfPlayMs, gamesPerHour: (played.games / selfPlayMs) * 3_600_000 },
        trainMs,
        losses,
        best,
        eval: evaluation,
      });
      await writeFileAtomic(statePath, JSON.stringify(state, null, 2) + '\n');
      await pruneCheckpoints(dir, state);
      await writePlot(dir, readMetrics(dir), `Arbor ${game.info.displayName} training`);
    }
  } finally {
    o.signal?.removeEventListener('abort', onAbort);
    await pool.close();
  }
  o.log(`stopped at generation ${state.generation}: ${state.games} games, ${state.trainSteps} training steps; best net ${join(dir, state.best)}`);
  return state;
}

/** Keep the best, the latest and every 10th generation; older candidates are removed. */
async function pruneCheckpoints(dir: string, state: RunState): Promise<void> {
  const cdir = join(dir, 'checkpoints');
  const keep = new Set([state.best, state.latest].map((p) => p.split('/').pop()!));
  for (const name of await fs.readdir(cdir)) {
    const m = /^gen-(\d{5})$/.exec(name);
    if (!m || keep.has(name) || Number(m[1]) % 10 === 0) continue;
    if (Number(m[1]) >= state.generation - 2) continue;
    await fs.rm(join(cdir, name), { recursive: true, force: true });
  }
}

function readJson(path: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new EngineError('BAD_CONFIG', `cannot read ${path}: ${(e as Error).message}`, { cause: e });
  }
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new EngineError('BAD_CONFIG', `${path} is not valid JSON: ${(e as Error).message}`, { cause: e });
  }
}

function parseState(path: string): RunState {
  const r = stateSchema.safeParse(readJson(path));
  if (!r.success) throw new EngineError('BAD_CONFIG', `${path}: not a valid run state (${r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')})`);
  return r.data;
}

/**
 * One trainer per run directory: run.lock holds the owner's pid. A lock left by a process that no
 * longer exists (kill -9) is taken over.
 */
async function lockRun(dir: string): Promise<() => void> {
  await fs.mkdir(dir, { recursive: true });
  const lock = join(dir, 'run.lock');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      await fs.writeFile(lock, String(process.pid), { flag: 'wx' });
      return () => {
        try {
          if (readFileSync(lock, 'utf8') === String(process.pid)) rmSync(lock, { force: true });
        } catch {
          // already gone
        }
      };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      const pid = Number(readFileSync(lock, 'utf8').trim());
      if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && isAlive(pid)) {
        throw new EngineError('BAD_ARGUMENT', `run directory ${dir} is in use by another arbor train (pid ${pid}); stop it first, or remove ${lock} if that process is not arbor`);
      }
      rmSync(lock, { force: true });
    }
  }
  throw new EngineError('IO_ERROR', `could not take the lock ${lock}`);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}
