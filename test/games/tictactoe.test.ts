import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EngineError, Rng } from '../../src/core/index.js';
import { GameOverError, solveTicTacToe, ticTacToe as g, ticTacToePerfectActions } from '../../src/games/index.js';
import type { TicTacToeState } from '../../src/games/index.js';
import { gameLaws } from '../conformance/game-laws.js';

function thrown(f: () => unknown): EngineError {
  try {
    f();
  } catch (e) {
    if (e instanceof EngineError) return e;
    throw e;
  }
  throw new Error('expected an EngineError');
}

/** Plain minimax over the public rules (memoized by key), no bit tricks: the solver's reference. */
const minimaxMemo = new Map<number | string, number>();
function minimax(s: TicTacToeState): number {
  if (g.isTerminal(s)) return g.returns(s)[s.moves.length % 2]! + 0;
  const cached = minimaxMemo.get(g.key(s));
  if (cached !== undefined) return cached;
  let best = -Infinity;
  for (const a of g.legalActions(s)) best = Math.max(best, 0 - minimax(g.apply(s, a)));
  minimaxMemo.set(g.key(s), best);
  return best;
}

describe('tictactoe: game laws', () => {
  for (const [name, law] of Object.entries(gameLaws(g, { numRuns: 200 }))) it(name, law);
});

describe('tictactoe: hand positions', () => {
  const wins: readonly (readonly [string, string, 1 | 2])[] = [
    ['top row', '14253', 1],
    ['middle row', '41526', 1],
    ['bottom row by O', '174859', 2],
    ['left column', '12437', 1],
    ['right column by O', '132659', 2],
    ['main diagonal', '12549', 1],
    ['anti-diagonal', '31527', 1],
    ['win on the last cell', '124356879', 1],
  ];
  for (const [name, moves, winner] of wins) {
    it(`detects a win: ${name}`, () => {
      expect(g.isTerminal(g.fromNotation(moves.slice(0, -1)))).toBe(false);
      const s = g.fromNotation(moves);
      expect(g.toMove(s)).toBe('terminal');
      expect(g.returns(s)).toEqual(winner === 1 ? [1, -1] : [-1, 1]);
      expect(g.legalActions(s)).toEqual([]);
    });
  }

  it('a full board without a line is a draw', () => {
    const s = g.fromNotation('123587469');
    expect(g.returns(s)).toEqual([0, 0]);
    expect(g.render(s)).toBe(['X O X', 'X O O', 'O X X', 'it is a draw'].join('\n'));
  });

  it('renders empty cells as the number to type', () => {
    expect(g.render(g.fromNotation('5'))).toBe(['1 2 3', '4 X 6', '7 8 9', 'O to move'].join('\n'));
  });

  it('the dihedral symmetries move cells as named', () => {
    const byName = Object.fromEntries(g.symmetries.map((s) => [s.name, s]));
    expect(g.symmetries).toHaveLength(8);
    expect(byName['rotate90']!.mapAction(0)).toBe(2); // top left -> top right (clockwise)
    expect(byName['flipLeftRight']!.mapAction(3)).toBe(5);
    expect(byName['transpose']!.mapAction(1)).toBe(3);
    for (const s of g.symmetries) expect(s.mapAction(4)).toBe(4);
  });

  it('reaches exactly 5,478 distinct positions (the known count)', () => {
    const seen = new Set<number | string>();
    const walk = (s: TicTacToeState): void => {
      const k = g.key(s);
      if (seen.has(k)) return;
      seen.add(k);
      for (const a of g.legalActions(s)) walk(g.apply(s, a));
    };
    walk(g.initialState());
    expect(seen.size).toBe(5478);
  });
});

describe('tictactoe: exact solver', () => {
  it('the empty board is a draw, and every first move keeps it', () => {
    const sol = solveTicTacToe(g.initialState());
    expect(sol.value).toBe(0);
    expect(sol.best).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8]);
  });

  it('knows the classic replies', () => {
    expect(ticTacToePerfectActions(g.fromNotation('1'))).toEqual([4]); // corner: take the centre
    expect(ticTacToePerfectActions(g.fromNotation('5'))).toEqual([0, 2, 6, 8]); // centre: take a corner
    const block = solveTicTacToe(g.fromNotation('152')); // X threatens 1-2-3: O must take 3
    expect(block.best).toEqual([2]);
    expect(block.value).toBe(0);
    expect(solveTicTacToe(g.fromNotation('15')).value).toBe(0);
    expect(solveTicTacToe(g.fromNotation('12')).value).toBe(1); // X wins after O's edge reply
  });

  it('agrees with plain minimax on random positions, move by move', () => {
    fc.assert(
      fc.property(fc.array(fc.nat({ max: 8 }), { maxLength: 9 }), (picks) => {
        let s = g.initialState();
        for (const p of picks) {
          if (g.isTerminal(s)) break;
          const legal = g.legalActions(s);
          s = g.apply(s, legal[p % legal.length]!);
        }
        const sol = solveTicTacToe(s);
        if (g.isTerminal(s)) {
          expect(sol.best).toEqual([]);
          expect(sol.value).toBe(minimax(s));
          return;
        }
        expect(sol.value).toBe(minimax(s));
        expect(sol.actionValues.map((x) => x.action)).toEqual([...g.legalActions(s)]);
        for (const { action, value } of sol.actionValues) expect(value).toBe(0 - minimax(g.apply(s, action)));
      }),
      { numRuns: 150 },
    );
  });

  it('perfect play never loses to random play, and draws itself', () => {
    const rng = new Rng(11);
    for (let game = 0; game < 200; game++) {
      let s = g.initialState();
      const perfectSide = game % 2;
      while (!g.isTerminal(s)) {
        const options = g.toMove(s) === perfectSide ? ticTacToePerfectActions(s) : g.legalActions(s);
        s = g.apply(s, options[rng.int(options.length)]!);
      }
      expect(g.returns(s)[perfectSide]).toBeGreaterThanOrEqual(0);
    }
    let s = g.initialState();
    while (!g.isTerminal(s)) {
      const best = ticTacToePerfectActions(s);
      s = g.apply(s, best[rng.int(best.length)]!);
    }
    expect(g.returns(s)).toEqual([0, 0]);
  });
});

describe('tictactoe: bad input raises typed errors with stable codes', () => {
  it('malformed positions and actions', () => {
    const e = thrown(() => g.fromNotation('51a'));
    expect(e.code).toBe('MALFORMED_POSITION');
    expect(e.message).toContain("'a' at index 2");
    expect(thrown(() => g.fromNotation('50')).code).toBe('MALFORMED_POSITION');
    for (const bad of ['', '0', '10', 'x']) expect(thrown(() => g.parseAction(bad)).code).toBe('MALFORMED_ACTION');
    expect(g.parseAction('9')).toBe(8);
  });

  it('a taken cell is ILLEGAL_ACTION naming the move; play after the end is GAME_OVER', () => {
    const e = thrown(() => g.fromNotation('515'));
    expect(e.code).toBe('ILLEGAL_ACTION');
    expect(e.message).toContain('move 3');
    expect(e.message).toContain('cell 5 is taken');
    const over = thrown(() => g.fromNotation('142536'));
    expect(over.code).toBe('GAME_OVER');
    expect(over).toBeInstanceOf(GameOverError);
    expect(over.message).toContain('move 6');
    expect(thrown(() => g.apply(g.fromNotation('14253'), 8)).code).toBe('GAME_OVER');
    expect(thrown(() => g.apply(g.initialState(), 9)).code).toBe('ILLEGAL_ACTION');
  });
});
