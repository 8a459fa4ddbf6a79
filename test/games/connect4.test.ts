import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EngineError, Rng, sharedDir } from '../../src/core/index.js';
import { connectFour as g, GameOverError } from '../../src/games/index.js';
import type { ConnectFourState } from '../../src/games/index.js';
import { gameLaws } from '../conformance/game-laws.js';
import { COLS, ROWS, emptyBoard, refPlay, refRender, refWinner } from './connect4-reference.js';

const board = (s: ConnectFourState): string => g.render(s).split('\n').slice(0, ROWS).join('\n');

function thrown(f: () => unknown): EngineError {
  try {
    f();
  } catch (e) {
    if (e instanceof EngineError) return e;
    throw e;
  }
  throw new Error('expected an EngineError');
}

describe('connect4: game laws', () => {
  for (const [name, law] of Object.entries(gameLaws(g, { numRuns: 120 }))) it(name, law);
});

describe('connect4: hand positions', () => {
  // [name, moves, winner (1 = X, 2 = O)]; the last move wins, none before it.
  const wins: readonly (readonly [string, string, 1 | 2])[] = [
    ['vertical, column 1', '1212121', 1],
    ['vertical, column 7 (high half)', '7676767', 1],
    ['vertical by O, on top of other stones', '41212121', 2],
    ['horizontal, columns 1-4', '1122334', 1],
    ['horizontal, columns 2-5 (across the halves)', '2233445', 1],
    ['horizontal, columns 4-7 (across the halves)', '4455667', 1],
    ['horizontal by O, columns 4-7', '14152627', 2],
    ['diagonal /, columns 1-4', '12234334744', 1],
    ['diagonal \\, columns 4-7 (mirror image)', '76654554344', 1],
    ['diagonal /, columns 3-6 (across the halves)', '34456556166', 1],
    ['diagonal \\ by O, on a checkerboard', '1234567123456712345671', 2],
  ];
  for (const [name, moves, winner] of wins) {
    it(`detects a win: ${name}`, () => {
      // The reference confirms the hand-written game really is what its name says.
      const ref = refPlay(moves);
      expect(ref.result).toBe(winner);
      expect(ref.endedAt).toBe(moves.length);
      const before = g.fromNotation(moves.slice(0, -1));
      expect(g.isTerminal(before)).toBe(false);
      const s = g.fromNotation(moves);
      expect(g.isTerminal(s)).toBe(true);
      expect(g.toMove(s)).toBe('terminal');
      expect(g.returns(s)).toEqual(winner === 1 ? [1, -1] : [-1, 1]);
      expect(g.legalActions(s)).toEqual([]);
      expect(board(s)).toBe(refRender(ref.board));
      // The mirror image of a win is a win, at the same move.
      const mirrored = [...moves].map((ch) => String(8 - Number(ch))).join('');
      expect(g.returns(g.fromNotation(mirrored))).toEqual(g.returns(s));
    });
  }

  it('a full board without four in a row is a draw', () => {
    const moves = '417116674756655213772531444152433756262323';
    expect(moves).toHaveLength(42);
    expect(refPlay(moves).result).toBe(3);
    const before = g.fromNotation(moves.slice(0, 41));
    expect(g.isTerminal(before)).toBe(false);
    expect(g.legalActions(before)).toEqual([2]);
    const s = g.fromNotation(moves);
    expect(g.isTerminal(s)).toBe(true);
    expect(g.returns(s)).toEqual([0, 0]);
    expect(g.render(s).split('\n').at(-1)).toBe('it is a draw');
  });

  it('renders the board with X first, O second, columns numbered', () => {
    expect(g.render(g.fromNotation('4453'))).toBe(
      ['. . . . . . .', '. . . . . . .', '. . . . . . .', '. . . . . . .', '. . . O . . .', '. . O X X . .', '1 2 3 4 5 6 7', 'X to move'].join('\n'),
    );
  });

  it('observation: mover plane, opponent plane, ones; row 0 is the top', () => {
    const s = g.fromNotation('445'); // O to move: X at (col 4, h0), (col 5, h0); O at (col 4, h1)
    const obs = g.observationTensor(s);
    const at = (plane: number, row: number, col: number): number => obs[plane * 42 + row * 7 + col]!;
    expect(at(0, 4, 3)).toBe(1); // O (the mover) at column 4, second row from the bottom
    expect(at(1, 5, 3)).toBe(1);
    expect(at(1, 5, 4)).toBe(1);
    expect(obs.subarray(0, 42).reduce((a, b) => a + b, 0)).toBe(1);
    expect(obs.subarray(42, 84).reduce((a, b) => a + b, 0)).toBe(2);
    expect(obs.subarray(84).every((x) => x === 1)).toBe(true);
  });

  it('transpositions share a key; different boards do not', () => {
    expect(g.key(g.fromNotation('4453'))).toBe(g.key(g.fromNotation('5344')));
    expect(g.key(g.fromNotation('4453'))).not.toBe(g.key(g.fromNotation('4435')));
    expect(g.key(g.initialState())).not.toBe(g.key(g.fromNotation('1')));
    // The largest possible key is still an exact integer.
    expect(Number.isSafeInteger(g.key(g.fromNotation('417116674756655213772531444152433756262323')))).toBe(true);
  });

  it('a full column is not legal, and the others stay legal', () => {
    const s = g.fromNotation('444444');
    expect(g.legalActions(s)).toEqual([0, 1, 2, 4, 5, 6]);
  });
});

describe('connect4: the bench positions (Pascal Pons) parse', () => {
  const dir = join(sharedDir(), 'bench', 'connect4');

  it('every Test_L*_R* line is a legal unfinished game with the right side to move', () => {
    for (const file of ['Test_L1_R1', 'Test_L1_R2', 'Test_L1_R3', 'Test_L2_R1', 'Test_L2_R2', 'Test_L3_R1']) {
      const lines = readFileSync(join(dir, file), 'utf8').trim().split('\n');
      expect(lines).toHaveLength(1000);
      for (const line of lines) {
        const [moves, score] = line.split(' ');
        const s = g.fromNotation(moves!);
        expect(g.isTerminal(s)).toBe(false);
        expect(g.toNotation(s)).toBe(moves);
        expect(g.toMove(s)).toBe(moves!.length % 2);
        expect(Number.isInteger(Number(score))).toBe(true);
      }
    }
  });

  it('scored-moves: legal columns are the scored ones, and a column wins at once iff its score says so', () => {
    const lines = readFileSync(join(dir, 'scored-moves.jsonl'), 'utf8').trim().split('\n');
    expect(lines).toHaveLength(500);
    let immediateWins = 0;
    for (const line of lines) {
      const row = JSON.parse(line) as { moves: string; ply: number; scores: Record<string, number> };
      const s = g.fromNotation(row.moves);
      expect(g.moveCount(s)).toBe(row.ply);
      expect(g.legalActions(s).map((a) => g.actionToString(a))).toEqual(Object.keys(row.scores).sort());
      const winScore = Math.floor((43 - row.ply) / 2);
      for (const a of g.legalActions(s)) {
        const t = g.apply(s, a);
        const winsNow = g.isTerminal(t) && g.returns(t)[row.ply % 2] === 1;
        // A score of (43 - ply) div 2 means winning with this very stone.
        expect(winsNow).toBe(row.scores[g.actionToString(a)] === winScore);
        if (winsNow) immediateWins++;
      }
    }
    expect(immediateWins).toBeGreaterThan(0);
  });
});

describe('connect4: agrees with the brute-force reference', () => {
  it('on random games, move by move', () => {
    fc.assert(
      fc.property(fc.array(fc.nat({ max: 6 }), { maxLength: 60 }), (picks) => {
        let s = g.initialState();
        for (const p of picks) {
          if (g.isTerminal(s)) break;
          const legal = g.legalActions(s);
          s = g.apply(s, legal[p % legal.length]!);
          const ref = refPlay(g.toNotation(s));
          expect(s.result).toBe(ref.result);
          expect(board(s)).toBe(refRender(ref.board));
          // Legal columns are exactly those whose top cell is empty.
          const refLegal = ref.result !== 0 ? [] : [...Array(COLS).keys()].filter((c) => ref.board[ROWS - 1]![c] === 0);
          expect([...g.legalActions(s)]).toEqual(refLegal);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('on dense random boards (any colours), for every next move', () => {
    // States are plain data, so arbitrary boards can be built directly in the documented layout:
    // bit 7c+h in lo for columns 0-3, bit 7(c-4)+h in hi for columns 4-6.
    const rng = new Rng(2024);
    let checked = 0;
    let wins = 0;
    for (let trial = 0; trial < 3000; trial++) {
      const ref = emptyBoard();
      let stones = 0;
      for (let c = 0; c < COLS; c++) {
        const height = rng.int(ROWS + 1);
        for (let h = 0; h < height; h++) ref[h]![c] = 1 + rng.int(2);
        stones += height;
      }
      if (refWinner(ref) !== 0) continue;
      const bits = { xLo: 0, xHi: 0, oLo: 0, oHi: 0 };
      for (let c = 0; c < COLS; c++) {
        for (let h = 0; h < ROWS; h++) {
          const p = ref[h]![c]!;
          if (p === 0) continue;
          const bit = 2 ** (7 * (c & 3) + h);
          if (p === 1) bits[c < 4 ? 'xLo' : 'xHi'] += bit;
          else bits[c < 4 ? 'oLo' : 'oHi'] += bit;
        }
      }
      // Only the stone count's parity (who moves) matters to the rules, not the move list.
      const s: ConnectFourState = { ...bits, moves: '1'.repeat(stones), result: 0 };
      expect(board(s)).toBe(refRender(ref));
      const mover = (stones % 2) + 1;
      for (const a of g.legalActions(s)) {
        const t = g.apply(s, a);
        const next = ref.map((row) => [...row]);
        next[next.findIndex((row) => row[a] === 0)]![a] = mover;
        const w = refWinner(next);
        expect(t.result === 1 || t.result === 2 ? t.result : 0).toBe(w);
        if (w === 0) expect(t.result).toBe(stones + 1 === 42 ? 3 : 0);
        if (w !== 0) wins++;
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(5000);
    expect(wins).toBeGreaterThan(500);
  });
});

describe('connect4: bad input raises typed errors with stable codes', () => {
  it('malformed positions name the character and its index', () => {
    const e = thrown(() => g.fromNotation('44x3'));
    expect(e.code).toBe('MALFORMED_POSITION');
    expect(e.message).toContain("'x' at index 2");
    expect(thrown(() => g.fromNotation('4483')).message).toContain("'8' at index 2");
    expect(thrown(() => g.fromNotation('0')).code).toBe('MALFORMED_POSITION');
    expect(thrown(() => g.fromNotation('4 4')).code).toBe('MALFORMED_POSITION');
  });

  it('a move into a full column is ILLEGAL_ACTION naming the move', () => {
    const e = thrown(() => g.fromNotation('4444444'));
    expect(e.code).toBe('ILLEGAL_ACTION');
    expect(e.message).toContain('move 7');
    expect(e.message).toContain('column 4 is full');
    expect(thrown(() => g.apply(g.fromNotation('444444'), 3)).code).toBe('ILLEGAL_ACTION');
    expect(thrown(() => g.apply(g.initialState(), 7)).code).toBe('ILLEGAL_ACTION');
    expect(thrown(() => g.apply(g.initialState(), 1.5)).code).toBe('ILLEGAL_ACTION');
  });

  it('a move after the end is GAME_OVER, an IllegalActionError', () => {
    const e = thrown(() => g.fromNotation('12121213'));
    expect(e.code).toBe('GAME_OVER');
    expect(e).toBeInstanceOf(GameOverError);
    expect(e.message).toContain('move 8');
    expect(e.message).toContain('X (first player) won');
    expect(thrown(() => g.apply(g.fromNotation('1212121'), 2)).code).toBe('GAME_OVER');
  });

  it('malformed actions', () => {
    expect(g.parseAction(' 4 ')).toBe(3);
    for (const bad of ['', '0', '8', '44', 'a', '-1', '4.']) {
      const e = thrown(() => g.parseAction(bad));
      expect(e.code).toBe('MALFORMED_ACTION');
      expect(e.message).toContain(`'${bad}'`);
    }
  });
});
