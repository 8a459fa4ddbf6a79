/**
 * The shipped Connect Four network at 800 simulations per move (issue targets: >= 95%
 * result-keeping and >= 80% optimal moves on the solver-scored positions, >= 90% wins against
 * uct:sims=10000 over 100 games with colours alternating).
 */
import { getGame, type PlayoutPolicy } from '../../games/index.js';
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
      // The default search, then random playouts in the mix, then the network's value alone.
      const mix = AZ_SEARCH.playoutMix;
      const variants: readonly { readonly search: string; readonly mix: number; readonly playouts: PlayoutPolicy }[] = [
        { search: `default (mix ${mix}, ${AZ_SEARCH.playoutPolicy} playouts)`, mix, playouts: AZ_SEARCH.playoutPolicy },
        { search: `random playouts (mix ${mix})`, mix, playouts: 'random' },
        { search: 'net value only (mix 0)', mix: 0, playouts: AZ_SEARCH.playoutPolicy },
      ];
      for (const { search, mix, playouts } of variants) {
        const t0 = performance.now();
        const rates = await scoreMoves(game, positions, (i) => azAgent(game, engine, { simulations: sims, seed: 1 + i, mix, playouts }), 16);
        ctx.log(`  scored ${positions.length} positions, ${search}, in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
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
            `mix: share of a playout in each leaf value; az players use AZ_SEARCH.playoutMix = ${AZ_SEARCH.playoutMix} with ${AZ_SEARCH.playoutPolicy} playouts (take wins, block threats, avoid giving wins)`,
            'targets: optimal >= 80%, result-keeping >= 95%',
          ],
        },
        {
          title: `Shipped model at ${sims} simulations, playout mix ${AZ_SEARCH.playoutMix} (${AZ_SEARCH.playoutPolicy}), vs uct:sims=10000 (colours alternate)`,
          rows: [{ games: m.games, wins: m.wins, draws: m.draws, losses: m.losses, score: pct(m.score) }],
          notes: ['target: >= 90% wins over 100 games'],
        },
      ];
    } finally {
      await engine.dispose();
    }
  },
};
