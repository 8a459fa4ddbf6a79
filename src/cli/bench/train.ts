/**
 * Self-play throughput: games per hour with the default training config of each game, actors in
 * worker threads (one per core) sharing batched ONNX Runtime inference, as `arbor train` runs them.
 * The net is freshly initialised: speed does not depend on the weights. Rates are given per wall
 * hour and per CPU-hour of this process (the machines are shared).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getGame } from '../../games/index.js';
import { PolicyNetwork, initBackend, saveCheckpoint, describeArch, observationSize } from '../../policy/index.js';
import { ActorPool, defaultConfig } from '../../train/index.js';
import { cpuMs } from './search.js';
import type { BenchContext, BenchSection, BenchSuite } from './types.js';

async function measure(gameName: string, games: number, ctx: BenchContext): Promise<Record<string, string | number>> {
  const game = getGame(gameName);
  const config = defaultConfig(game.info.name);
  const spec = { game: game.info.name, observationShape: [...game.info.observationShape] as [number, number, number], numActions: game.info.numDistinctActions, arch: config.net };
  const net = PolicyNetwork.create(spec, { seed: 1 });
  const dir = mkdtempSync(join(tmpdir(), 'arbor-bench-selfplay-'));
  try {
    await saveCheckpoint(net, join(dir, 'ck'));
    const pool = new ActorPool(config.selfPlay.workers, observationSize(spec), spec.numActions);
    try {
      let moves = 0;
      // Warm-up: model load, ONNX session, JIT.
      await pool.play({ game: game.info.name, checkpoint: join(dir, 'ck'), games: config.selfPlay.workers, seed: 1, config: config.selfPlay, onGame: () => {} });
      const c0 = cpuMs();
      const t0 = performance.now();
      const r = await pool.play({
        game: game.info.name,
        checkpoint: join(dir, 'ck'),
        games,
        seed: 2,
        config: config.selfPlay,
        onGame: (g) => {
          moves += g.moves;
        },
      });
      const wallS = (performance.now() - t0) / 1000;
      const cpuS = (cpuMs() - c0) / 1000;
      ctx.log(`  self-play ${game.info.name}: ${r.games} games in ${wallS.toFixed(1)} s wall, ${cpuS.toFixed(1)} s CPU`);
      return {
        game: game.info.name,
        net: describeArch(net.spec.arch),
        workers: config.selfPlay.workers,
        'sims/move': config.selfPlay.simulations,
        games: r.games,
        'moves/game': +(moves / r.games).toFixed(1),
        'games/hour (wall)': Math.round((r.games / wallS) * 3600),
        'games per CPU-hour': Math.round((r.games / cpuS) * 3600),
        'net positions/s (wall)': Math.round(r.positions / wallS),
      };
    } finally {
      await pool.close();
    }
  } finally {
    net.dispose();
    rmSync(dir, { recursive: true, force: true });
  }
}

export const trainSuite: BenchSuite = {
  name: 'train',
  async run(ctx: BenchContext): Promise<readonly BenchSection[]> {
    await initBackend({ log: null });
    const rows = [await measure('tictactoe', ctx.quick ? 32 : 128, ctx), await measure('connect4', ctx.quick ? 8 : 48, ctx)];
    return [
      {
        title: 'Self-play throughput (default training configs, fresh nets)',
        rows,
        notes: ['games/hour is what `arbor train` produces per generation phase; a CPU-hour counts all threads of this process'],
      },
    ];
  },
};
