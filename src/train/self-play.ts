import { Rng } from '../core/index.js';
import { Mcts, type Evaluator } from '../mcts/index.js';
import { gameEnvironment, type Action, type Game } from '../games/index.js';
import type { Sample } from './replay-buffer.js';
import type { TrainConfig } from './config.js';

export interface GameRecord {
  readonly samples: Sample[];
  /** Returns of player 0 (first mover). */
  readonly result: number;
  readonly moves: number;
}

/**
 * Plays `count` self-play games, `gamesInFlight` at once, all sharing one evaluator (put a
 * BatchingEvaluator in front of the network so the concurrent searches form real batches).
 * Each finished game is handed to `onGame` with its samples expanded by the game's symmetries.
 */
export async function playSelfPlayGames<S>(o: {
  readonly game: Game<S>;
  readonly evaluator: (gameIndex: number) => Evaluator<S, Action> & { close?(): void };
  readonly config: TrainConfig['selfPlay'];
  readonly count: number;
  readonly rng: Rng;
  readonly onGame: (g: GameRecord) => void | Promise<void>;
  readonly shouldStop?: () => boolean;
}): Promise<number> {
  let started = 0;
  let finished = 0;
  const runner = async (): Promise<void> => {
    while (started < o.count && !(o.shouldStop?.() ?? false)) {
      const index = started++;
      const ev = o.evaluator(index);
      try {
        const record = await playOneGame(o.game, ev, o.config, o.rng.fork(), o.shouldStop);
        if (record === null) return; // stopped: the unfinished game is dropped
        await o.onGame(record);
        finished++;
      } finally {
        ev.close?.();
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(o.config.gamesInFlight, o.count) }, runner));
  return finished;
}

/** One self-play game, or null when `shouldStop` turned true before it ended (checked before every move). */
export async function playOneGame<S>(
  game: Game<S>,
  evaluator: Evaluator<S, Action>,
  cfg: TrainConfig['selfPlay'],
  rng: Rng,
  shouldStop?: () => boolean,
): Promise<GameRecord | null> {
  const mcts = new Mcts<S, Action>({
    env: gameEnvironment(game),
    evaluator,
    cPuct: cfg.cPuct,
    dirichlet: { alpha: cfg.dirichletAlpha, epsilon: cfg.dirichletEpsilon },
    batchSize: cfg.leavesPerBatch,
    // Self-play keeps exploring even when a win is proven, so the policy target stays a visit distribution.
    stopWhenProven: false,
    rng,
  });
  const A = game.info.numDistinctActions;
  const pending: { obs: Float32Array; policy: Float32Array; player: number; q: number }[] = [];
  let s = game.initialState();
  let ply = 0;
  while (!game.isTerminal(s)) {
    if (shouldStop?.() ?? false) return null;
    const temperature = ply < cfg.temperatureMoves ? 1 : 0;
    // Playout cap randomization: fast searches move the game on but are not training targets.
    const full = cfg.fullSearchProbability >= 1 || rng.next() < cfg.fullSearchProbability;
    const simulations = full ? cfg.simulations : (cfg.fastSimulations ?? cfg.simulations);
    const r = await mcts.search(s, { simulations, temperature, noise: full });
    if (full) {
      const policy = new Float32Array(A);
      r.stats.forEach((st, i) => {
        policy[st.action] = r.policy[i]!;
      });
      pending.push({ obs: game.observationTensor(s), policy, player: game.toMove(s) as number, q: r.value });
    }
    s = game.apply(s, r.action);
    mcts.advance(r.action);
    ply++;
  }
  const returns = game.returns(s);
  const samples: Sample[] = [];
  for (const p of pending) {
    const w = cfg.valueQWeight;
    const value = (1 - w) * returns[p.player]! + w * p.q;
    for (const sym of game.symmetries) {
      samples.push({ observation: sym.mapObservation(p.obs), policy: sym.mapPolicy(p.policy), value });
    }
  }
  return { samples, result: returns[0]!, moves: ply };
}
