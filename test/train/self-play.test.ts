import { describe, it, expect } from 'vitest';
import { Rng } from '../../src/core/index.js';
import { getGame, rolloutEvaluator } from '../../src/games/index.js';
import { defaultConfig } from '../../src/train/config.js';
import { playOneGame } from '../../src/train/self-play.js';

describe('self-play', () => {
  const game = getGame('tictactoe');
  const base = defaultConfig('tictactoe').selfPlay;
  const syms = game.symmetries.length;

  it('records every position (times the symmetries) when every search is full', async () => {
    for (let seed = 1; seed <= 5; seed++) {
      const g = (await playOneGame(game, rolloutEvaluator(game, new Rng(seed)), { ...base, simulations: 16 }, new Rng(seed)))!;
      expect(g.samples.length).toBe(g.moves * syms);
    }
  });

  it('playout cap randomization records only the full searches, with visit distributions as targets', async () => {
    let recorded = 0;
    let moves = 0;
    for (let seed = 1; seed <= 20; seed++) {
      const cfg = { ...base, simulations: 32, fullSearchProbability: 0.3, fastSimulations: 4 };
      const g = (await playOneGame(game, rolloutEvaluator(game, new Rng(seed)), cfg, new Rng(seed)))!;
      expect(g.samples.length % syms).toBe(0);
      recorded += g.samples.length / syms;
      moves += g.moves;
      for (const s of g.samples) expect(s.policy.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 4);
    }
    // About 30% of the moves; bounds far outside binomial noise over ~150 moves.
    expect(recorded).toBeGreaterThan(0.1 * moves);
    expect(recorded).toBeLessThan(0.55 * moves);
  });
});
