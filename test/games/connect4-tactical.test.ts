import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Rng, sharedDir } from '../../src/core/index.js';
import { connectFour as g } from '../../src/games/index.js';
import type { ConnectFourState } from '../../src/games/index.js';
import { tracedTacticalPlayout } from '../../src/games/connect-four/connect-four.js';
import { COLS, ROWS, refPlay, refWinner } from './connect4-reference.js';

/** Whether `player` (1 or 2) would have four after dropping a stone in column c of the naive board. */
function winsAt(moves: string, c: number, player: number): boolean {
  const board = refPlay(moves).board.map((row) => [...row]);
  let h = 0;
  while (h < ROWS && board[h]![c] !== 0) h++;
  if (h === ROWS) return false;
  board[h]![c] = player;
  return refWinner(board) === player;
}

/** The columns the policy may play in `s`, from the naive rules: wins, else blocks, else safe moves. */
function allowed(s: ConnectFourState): readonly number[] {
  const legal = [...g.legalActions(s)];
  const me = (s.moves.length & 1) === 0 ? 1 : 2;
  const you = 3 - me;
  const wins = legal.filter((c) => winsAt(s.moves, c, me));
  if (wins.length > 0) return wins;
  const blocks = legal.filter((c) => winsAt(s.moves, c, you));
  if (blocks.length > 0) return blocks;
  // Safe: after my stone in c, the opponent cannot win with the next stone in c.
  const safe = legal.filter((c) => !winsAt(s.moves + String(c + 1), c, you));
  return safe.length > 0 ? safe : legal;
}

describe('connect4: tactical playouts', () => {
  it('take wins, block threats and avoid giving wins, per the naive rules, and end with the true result', () => {
    fc.assert(
      fc.property(fc.array(fc.nat({ max: 6 }), { maxLength: 30 }), fc.nat(), (picks, seed) => {
        let s = g.initialState();
        for (const p of picks) {
          if (g.isTerminal(s)) break;
          const legal = g.legalActions(s);
          s = g.apply(s, legal[p % legal.length]!);
        }
        const start = s;
        const { moves, returns } = tracedTacticalPlayout(start, new Rng(seed));
        if (g.isTerminal(s)) {
          expect(moves).toEqual([]);
          expect([...returns]).toEqual([...g.returns(s)]);
          return;
        }
        for (const c of moves) {
          expect(g.isTerminal(s)).toBe(false);
          expect(allowed(s)).toContain(c);
          s = g.apply(s, c);
        }
        expect(g.isTerminal(s)).toBe(true);
        expect([...returns]).toEqual([...g.returns(s)]);
        expect(tracedTacticalPlayout(start, new Rng(seed)).moves).toEqual(moves); // same seed, same playout
      }),
      { numRuns: 120 },
    );
  });

  it('agrees with the traced run, and still plays every column from the empty board', () => {
    const s = g.fromNotation('4453');
    for (let seed = 0; seed < 50; seed++) expect([...g.tacticalPlayout!(s, new Rng(seed))]).toEqual([...tracedTacticalPlayout(s, new Rng(seed)).returns]);
    const first = new Set<number>();
    for (let seed = 0; seed < 300; seed++) first.add(tracedTacticalPlayout(g.initialState(), new Rng(seed)).moves[0]!);
    expect([...first].sort()).toEqual([...Array(COLS).keys()]);
  });

  it('predicts exact results better than random playouts (Pons test positions)', () => {
    // Each line: moves and the exact score for the mover (positive = win, 0 = draw).
    const lines = readFileSync(join(sharedDir(), 'bench', 'connect4', 'Test_L2_R1'), 'utf8').trim().split('\n').slice(0, 200);
    const agree = { random: 0, tactical: 0 };
    const rng = new Rng(11);
    let decided = 0;
    for (const line of lines) {
      const [moves, score] = line.split(' ');
      const exact = Math.sign(Number(score));
      if (exact === 0) continue;
      decided++;
      const s = g.fromNotation(moves!);
      const mover = g.toMove(s) as number;
      for (const kind of ['random', 'tactical'] as const) {
        let sum = 0;
        for (let k = 0; k < 40; k++) sum += (kind === 'random' ? g.playout(s, rng) : g.tacticalPlayout!(s, rng))[mover]!;
        if (Math.sign(sum) === exact) agree[kind]++;
      }
    }
    expect(decided).toBeGreaterThan(100);
    expect(agree.tactical).toBeGreaterThan(agree.random + decided * 0.05);
  });
});
