import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { EngineError, Rng } from '../../src/core/index.js';
import { connectFour, playoutMixEvaluator, ticTacToe } from '../../src/games/index.js';
import type { Action, ConnectFourState, PlayoutPolicy, TicTacToeState } from '../../src/games/index.js';
import type { Evaluator, Expansion } from '../../src/mcts/index.js';

/** An inner evaluator with fixed priors and value; async when asked, like a network. */
function fixed(value: number, async = false): Evaluator<TicTacToeState, Action> & { seen: number } {
  const self = {
    seen: 0,
    evaluate(states: readonly TicTacToeState[]) {
      self.seen += states.length;
      const out: Expansion<Action>[] = states.map((s) => {
        const actions = ticTacToe.legalActions(s);
        return { actions, priors: new Float32Array(actions.length).fill(1 / actions.length), value };
      });
      return async ? Promise.resolve(out) : out;
    },
  };
  return self;
}

/** Uniform priors and value 0 for Connect Four. */
const c4Fixed: Evaluator<ConnectFourState, Action> = {
  evaluate: (states) => states.map((s) => ({ actions: connectFour.legalActions(s), priors: new Float32Array(connectFour.legalActions(s).length).fill(1 / 7), value: 0 })),
};

// X to move with one cell left (9), which completes 3-6-9: every playout is a win for the mover.
const X_WINS = ticTacToe.fromNotation('12346587');
// X to move with one cell left, and the game ends drawn.
const DRAWN = ticTacToe.fromNotation('12354687');

describe('playoutMixEvaluator', () => {
  it('weight 0 is the inner evaluator itself', () => {
    const inner = fixed(0.3);
    expect(playoutMixEvaluator(ticTacToe, inner, { weight: 0, rng: new Rng(1) })).toBe(inner);
  });

  it('blends the inner value with the playout result from the mover view, keeping actions and priors', async () => {
    expect(ticTacToe.legalActions(X_WINS)).toEqual([8]);
    expect(ticTacToe.legalActions(DRAWN)).toEqual([8]);
    for (const async of [false, true]) {
      const inner = fixed(-0.5, async);
      const ev = playoutMixEvaluator(ticTacToe, inner, { weight: 0.25, playouts: 3, rng: new Rng(2) });
      const out = await ev.evaluate([X_WINS, DRAWN]);
      expect(out.map((e) => e.value)).toEqual([0.75 * -0.5 + 0.25 * 1, 0.75 * -0.5]);
      expect(out[0]!.actions).toEqual([8]);
      expect([...out[0]!.priors]).toEqual([1]);
      expect(inner.seen).toBe(2);
    }
    const o = ticTacToe.fromNotation('1234658'); // O to move; O plays 7 (X wins with 9 after) or 9 (draw)
    const ev = playoutMixEvaluator(ticTacToe, fixed(0), { weight: 1, playouts: 400, rng: new Rng(3) });
    const v = (ev.evaluate([o]) as Expansion<Action>[])[0]!.value;
    expect(v).toBeGreaterThan(-0.65); // mean over random replies: about -1/2
    expect(v).toBeLessThan(-0.35);
  });

  it('keeps values a convex combination: within the range, for any weight and position', () => {
    fc.assert(
      fc.property(fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: -1, max: 1, noNaN: true }), fc.array(fc.nat(8), { maxLength: 8 }), fc.nat(), (w, v, moves, seed) => {
        let s = ticTacToe.initialState();
        for (const m of moves) {
          const legal = ticTacToe.legalActions(s);
          if (legal.length === 0 || ticTacToe.isTerminal(s)) break;
          const next = ticTacToe.apply(s, legal[m % legal.length]!);
          if (ticTacToe.isTerminal(next)) break;
          s = next;
        }
        const out = playoutMixEvaluator(ticTacToe, fixed(v), { weight: w, rng: new Rng(seed) }).evaluate([s]) as Expansion<Action>[];
        const value = out[0]!.value;
        expect(value).toBeGreaterThanOrEqual(-1 - 1e-12);
        expect(value).toBeLessThanOrEqual(1 + 1e-12);
        // One playout returns -1, 0 or 1, so the value is one of three points on the segment.
        const z = (value - (1 - w) * v) / (w || 1);
        if (w > 1e-6) expect([-1, 0, 1].some((r) => Math.abs(z - r) < 1e-6)).toBe(true);
      }),
    );
  });

  it('rejects a weight outside [0, 1], a bad playout count, and finished games', () => {
    for (const weight of [-0.1, 1.5, NaN]) {
      expect(() => playoutMixEvaluator(ticTacToe, fixed(0), { weight, rng: new Rng(1) })).toThrow(EngineError);
    }
    expect(() => playoutMixEvaluator(ticTacToe, fixed(0), { weight: 0.5, playouts: 0, rng: new Rng(1) })).toThrow(/positive integer/);
    const finished = ticTacToe.fromNotation('14253'); // X has the top row
    expect(ticTacToe.isTerminal(finished)).toBe(true);
    expect(() => playoutMixEvaluator(ticTacToe, fixed(0), { weight: 0.5, rng: new Rng(1) }).evaluate([finished])).toThrow(/finished game/);
  });

  it('plays the game’s tactical playouts by default, random ones on request or where the game has none', () => {
    // X to move can win at once in column 4 (three in the bottom row); a random playout rarely takes it.
    const s = connectFour.fromNotation('152536');
    const c4 = (policy?: PlayoutPolicy): number => {
      const ev = playoutMixEvaluator(connectFour, c4Fixed, { weight: 1, playouts: 200, rng: new Rng(4), ...(policy ? { policy } : {}) });
      return (ev.evaluate([s]) as Expansion<Action>[])[0]!.value;
    };
    expect(c4()).toBe(1);
    expect(c4('tactical')).toBe(1);
    expect(c4('random')).toBeLessThan(0.6);
    // Tic-tac-toe has no tactical playout: both policies are the random one, draw for draw.
    const o = ticTacToe.fromNotation('1234658');
    const ttt = (policy: PlayoutPolicy): number => (playoutMixEvaluator(ticTacToe, fixed(0), { weight: 1, playouts: 50, rng: new Rng(9), policy }).evaluate([o]) as Expansion<Action>[])[0]!.value;
    expect(ttt('tactical')).toBe(ttt('random'));
  });
});
