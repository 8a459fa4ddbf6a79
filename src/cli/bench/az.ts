/**
 * The shipped Connect Four network at 800 simulations per move (issue targets: >= 95%
 * result-keeping and >= 80% optimal moves on the solver-scored positions, >= 90% wins against
 * uct:sims=10000 over 100 games with colours alternating).
 */
import { getGame } from '../../games/index.js';
import { initBackend, loadInferenceEngine } from '../../policy/index.js';
import { AZ_SEARCH, azAgent, loadScoredPositions, playMatchParallel, samplePositions, scoreMoves, shippedModelDir, uctAgent } from '../../train/index.js';
import type { BenchContext, BenchSection, BenchSuite } from './types.js';

const pct = (x: number): string => `${(100 * x).toFixed(1)}%`;

export const azSuite: BenchSuite = {
  name: 'az',
  async run(ctx: BenchContext): Promise<readonly BenchSection[]> {
    const dir = shippedModelDir('connect4');
    if (dir === null) return [{ title: 'Shipped Connect Four model', rows: [{ result: 'skipped: models/connect4 is missing' }] }];
    await initBackend({ log: null });
    const game = getGame('connect4');
    const { engine, manifest } = await loadInferenceEngine(dir);
    const sims = 800;
    try {
      const all = loadScoredPositions();
      const positions = ctx.quick ? samplePositions(all, 100) : all;
      const rows: Record<string, string | number>[] = [];
      // The default search, then the network's value alone (no playout mix) for comparison.
      const defaultMix: number = AZ_SEARCH.playoutMix;
      for (const mix of defaultMix === 0 ? [0] : [defaultMix, 0]) {
        const t0 = performance.now();
        const rates = await scoreMoves(game, positions, (i) => azAgent(game, engine, { simulations: sims, seed: 1 + i, mix }), 16);
        ctx.log(`  scored ${positions.length} positions with playout mix ${mix} in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
        const search = mix === defaultMix ? `default (mix ${mix})` : `net value only (mix ${mix})`;
        rows.push(
          { search, positions: 'all', n: rates.positions, optimal: pct(rates.optimal), 'result-keeping': pct(rates.resultKeeping) },
          ...Object.entries(rates.byBucket).map(([b, r]) => ({ search, positions: b, n: r.positions, optimal: pct(r.optimal), 'result-keeping': pct(r.resultKeeping) })),
        );
      }
      const games = ctx.quick ? 10 : 100;
      const t1 = performance.now();
      const m = await playMatchParallel(
        game,
        (i) => azAgent(game, engine, { simulations: sims, seed: 500 + i }),
        (i) => uctAgent(game, { simulations: 10_000, seed: 900 + i }),
        games,
        8,
      );
      ctx.log(`  ${games} games against uct:sims=10000 in ${((performance.now() - t1) / 1000).toFixed(1)} s`);
      return [
        {
          title: `Shipped Connect Four model (${manifest.arch.kind === 'resnet' ? `res${manifest.arch.blocks}x${manifest.arch.channels}` : 'mlp'}, step ${manifest.step}) at ${sims} simulations: solver-scored moves`,
          rows,
          notes: [
            ctx.quick ? 'quick: a fixed sample of 100 positions' : 'all positions of scored-moves.jsonl',
            `mix: share of a random playout in each leaf value (AZ_SEARCH.playoutMix = ${AZ_SEARCH.playoutMix} is what az players use)`,
            'targets: optimal >= 80%, result-keeping >= 95%',
          ],
        },
        {
          title: `Shipped model at ${sims} simulations, playout mix ${AZ_SEARCH.playoutMix}, vs uct:sims=10000 (colours alternate)`,
          rows: [{ games: m.games, wins: m.wins, draws: m.draws, losses: m.losses, score: pct(m.score) }],
          notes: ['target: >= 90% wins over 100 games'],
        },
      ];
    } finally {
      await engine.dispose();
    }
  },
};
