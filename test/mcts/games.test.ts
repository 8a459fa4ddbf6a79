import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/core/index.js';
import { connectFour, gameEnvironment, rolloutEvaluator, ticTacToe, ticTacToePerfectActions } from '../../src/games/index.js';
import type { Action, Game } from '../../src/games/index.js';
import { Mcts } from '../../src/mcts/index.js';

function uct<S>(game: Game<S>, seed: number, extra: { transpositions?: boolean; batchSize?: number } = {}): Mcts<S, Action> {
  const rng = new Rng(seed);
  return new Mcts<S, Action>({ env: gameEnvironment(game), evaluator: rolloutEvaluator(game, rng.fork()), rng: rng.fork(), ...extra });
}

describe('mcts on Connect Four (rollout evaluator)', () => {
  it('takes a win in one, rather than blocking', async () => {
    // X holds 1-2-3 on the bottom row, O holds three in column 7; X to move.
    const s = connectFour.fromNotation('172737');
    for (const seed of [1, 2, 3]) {
      const r = await uct(connectFour, seed).search(s, { simulations: 300 });
      expect(connectFour.actionToString(r.action)).toBe('4');
      expect(r.proven).toBe('win');
      expect(r.value).toBe(1);
    }
  });

  it('blocks a loss in one', async () => {
    // X threatens 1-2-3-4 on the bottom row; O to move must take column 4.
    const s = connectFour.fromNotation('17273');
    for (const seed of [1, 2, 3]) {
      const r = await uct(connectFour, seed, { batchSize: seed }).search(s, { simulations: 1500 });
      expect(connectFour.actionToString(r.action)).toBe('4');
      // Column 4 is the only move not lost: the others are proven lost or valued below it.
      const block = r.stats.find((st) => connectFour.actionToString(st.action) === '4')!;
      for (const st of r.stats) if (st !== block) expect(st.proven === 'loss' || st.q < block.q).toBe(true);
      expect(r.stats.filter((st) => st.proven === 'loss').length).toBeGreaterThanOrEqual(1);
    }
  });

  it('reports actions in the game, a pv that starts with the move, visits that add up', async () => {
    const s = connectFour.fromNotation('4453');
    const m = uct(connectFour, 9, { transpositions: true });
    const r = await m.search(s, { simulations: 800 });
    expect(connectFour.legalActions(s)).toContain(r.action);
    expect(r.pv[0]).toBe(r.action);
    expect(r.stats.reduce((a, x) => a + x.visits, 0)).toBe(799);
    expect(r.policy.reduce((a, x) => a + x, 0)).toBeCloseTo(1, 5);
  });
});

describe('mcts on tic-tac-toe', () => {
  it('never loses to a perfect player (both colours, tree reuse)', async () => {
    const g = ticTacToe;
    const rng = new Rng(2024);
    for (let game = 0; game < 12; game++) {
      const botIsFirst = game % 2 === 0;
      const bot = uct(g, 100 + game);
      let s = g.initialState();
      while (!g.isTerminal(s)) {
        const botToMove = (g.toMove(s) === 0) === botIsFirst;
        let a: Action;
        if (botToMove) {
          a = (await bot.search(s, { simulations: 1200 })).action;
        } else {
          const best = ticTacToePerfectActions(s);
          a = best[rng.int(best.length)]!;
        }
        expect(g.legalActions(s)).toContain(a);
        bot.advance(a);
        s = g.apply(s, a);
      }
      const botReturn = g.returns(s)[botIsFirst ? 0 : 1]!;
      expect(botReturn, `game ${game} (${g.toNotation(s)}), bot ${botIsFirst ? 'first' : 'second'}`).toBeGreaterThanOrEqual(0);
    }
  });
});
