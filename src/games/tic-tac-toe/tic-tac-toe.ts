import { EngineError, IllegalActionError, ParseError } from '../../core/index.js';
import type { Rng } from '../../core/index.js';
import type { Action, Game, GameInfo, Player, Symmetry } from '../game.js';
import { GameOverError } from '../errors.js';
import { permutationSymmetry } from '../symmetry.js';

/*
 * Each side's stones are a 9-bit mask, bit i = cell i (row-major, 0 = top left). Tables indexed
 * by a mask (WIN, LEGAL) replace all loops over lines and cells.
 */

const CELLS = 9;
const FULL = (1 << CELLS) - 1;
/** The eight lines: rows, columns, diagonals. */
export const TIC_TAC_TOE_LINES: readonly number[] = Object.freeze([0x007, 0x038, 0x1c0, 0x049, 0x092, 0x124, 0x111, 0x054]);

/** WIN[mask] = 1 iff the stones in `mask` contain a line. */
export const WIN = Uint8Array.from({ length: 1 << CELLS }, (_, m) => (TIC_TAC_TOE_LINES.some((l) => (m & l) === l) ? 1 : 0));

/** LEGAL[empty] = ascending cells set in `empty`; shared, frozen. */
const LEGAL: readonly (readonly Action[])[] = Array.from({ length: 1 << CELLS }, (_, empty) =>
  Object.freeze(Array.from({ length: CELLS }, (_, i) => i).filter((i) => (empty >> i) & 1)),
);

/** A tic-tac-toe position: plain data, never mutated. */
export interface TicTacToeState {
  /** First player's (X) stones, bit i = cell i. */
  readonly x: number;
  /** Second player's (O) stones. */
  readonly o: number;
  /** The cells played so far, 1-based, e.g. '5139'. */
  readonly moves: string;
  /** 0 in play, 1 first player won, 2 second player won, 3 draw. */
  readonly result: 0 | 1 | 2 | 3;
}

const WIN_FIRST: readonly number[] = Object.freeze([1, -1]);
const WIN_SECOND: readonly number[] = Object.freeze([-1, 1]);
const DRAW: readonly number[] = Object.freeze([0, 0]);
const RESULT_RETURNS: readonly (readonly number[])[] = [DRAW, WIN_FIRST, WIN_SECOND, DRAW];

const INITIAL: TicTacToeState = Object.freeze({ x: 0, o: 0, moves: '', result: 0 });

function resultText(result: number): string {
  return result === 1 ? 'X (first player) won' : result === 2 ? 'O (second player) won' : 'it is a draw';
}

function apply(s: TicTacToeState, a: Action): TicTacToeState {
  if (s.result !== 0) throw new GameOverError(`tictactoe: cannot play cell ${a + 1}: the game is over (${resultText(s.result)})`);
  if (!Number.isInteger(a) || a < 0 || a >= CELLS) throw new IllegalActionError(`tictactoe: action ${a} is not a cell 0-8`);
  const bit = 1 << a;
  if (((s.x | s.o) & bit) !== 0) throw new IllegalActionError(`tictactoe: cell ${a + 1} is taken`);
  const moves = s.moves + String.fromCharCode(49 + a);
  const full = moves.length === CELLS;
  if ((s.moves.length & 1) === 0) {
    const x = s.x | bit;
    return { x, o: s.o, moves, result: WIN[x] ? 1 : full ? 3 : 0 };
  }
  const o = s.o | bit;
  return { x: s.x, o, moves, result: WIN[o] ? 2 : full ? 3 : 0 };
}

/** Scratch list of empty cells for `playout` (no allocation in the loop). */
const EMPTY = new Int32Array(CELLS);

function playout(s: TicTacToeState, rng: Rng): readonly number[] {
  if (s.result !== 0) return RESULT_RETURNS[s.result]!;
  let n = s.moves.length;
  let cur = (n & 1) === 0 ? s.x : s.o;
  let oth = (n & 1) === 0 ? s.o : s.x;
  let k = 0;
  const empty = ~(s.x | s.o) & FULL;
  for (let i = 0; i < CELLS; i++) if ((empty >> i) & 1) EMPTY[k++] = i;
  for (;;) {
    const j = rng.int(k);
    cur |= 1 << EMPTY[j]!;
    EMPTY[j] = EMPTY[--k]!;
    n++;
    if (WIN[cur]) return (n & 1) !== 0 ? WIN_FIRST : WIN_SECOND;
    if (k === 0) return DRAW;
    const t = cur;
    cur = oth;
    oth = t;
  }
}

/** Observation row r, column c is cell 3r + c. */
function observationTensor(s: TicTacToeState): Float32Array {
  const out = new Float32Array(3 * CELLS);
  const firstToMove = (s.moves.length & 1) === 0;
  const me = firstToMove ? s.x : s.o;
  const you = firstToMove ? s.o : s.x;
  for (let i = 0; i < CELLS; i++) {
    if ((me >> i) & 1) out[i] = 1;
    else if ((you >> i) & 1) out[CELLS + i] = 1;
    out[2 * CELLS + i] = 1;
  }
  return out;
}

/** Empty cells show their number, so a person can read off the move to type. */
function render(s: TicTacToeState): string {
  const lines: string[] = [];
  for (let r = 0; r < 3; r++) {
    const cells: string[] = [];
    for (let c = 0; c < 3; c++) {
      const i = 3 * r + c;
      cells.push((s.x >> i) & 1 ? 'X' : (s.o >> i) & 1 ? 'O' : String(i + 1));
    }
    lines.push(cells.join(' '));
  }
  lines.push(s.result === 0 ? `${(s.moves.length & 1) === 0 ? 'X' : 'O'} to move` : resultText(s.result));
  return lines.join('\n');
}

function fromNotation(text: string): TicTacToeState {
  const moves = text.trim();
  let s = INITIAL;
  for (let i = 0; i < moves.length; i++) {
    const ch = moves[i]!;
    if (ch < '1' || ch > '9') {
      throw new ParseError('MALFORMED_POSITION', `tictactoe position '${moves}': character '${ch}' at index ${i} is not a cell 1-9`);
    }
    try {
      s = apply(s, ch.charCodeAt(0) - 49);
    } catch (e) {
      const where = `tictactoe position '${moves}', move ${i + 1} (cell ${ch})`;
      if (e instanceof GameOverError) throw new GameOverError(`${where}: the game is already over (${resultText(s.result)})`, { cause: e });
      if (e instanceof IllegalActionError) throw new IllegalActionError(`${where}: cell ${ch} is taken`, { cause: e });
      throw e;
    }
  }
  return s;
}

function parseAction(text: string): Action {
  const t = text.trim();
  if (t.length === 1 && t >= '1' && t <= '9') return t.charCodeAt(0) - 49;
  throw new ParseError('MALFORMED_ACTION', `tictactoe: '${text}' is not a cell; expected one digit 1-9 (1 = top left, row by row)`);
}

function actionToString(a: Action): string {
  if (!Number.isInteger(a) || a < 0 || a >= CELLS) throw new EngineError('BAD_ARGUMENT', `tictactoe: action ${a} is not a cell 0-8`);
  return String.fromCharCode(49 + a);
}

/** The dihedral group of the square on (row, col) in 0..2. */
const DIHEDRAL: readonly (readonly [string, (r: number, c: number) => readonly [number, number]])[] = [
  ['identity', (r, c) => [r, c]],
  ['rotate90', (r, c) => [c, 2 - r]],
  ['rotate180', (r, c) => [2 - r, 2 - c]],
  ['rotate270', (r, c) => [2 - c, r]],
  ['flipLeftRight', (r, c) => [r, 2 - c]],
  ['flipUpDown', (r, c) => [2 - r, c]],
  ['transpose', (r, c) => [c, r]],
  ['antiTranspose', (r, c) => [2 - c, 2 - r]],
];

const symmetries: readonly Symmetry[] = Object.freeze(
  DIHEDRAL.map(([name, f]) => {
    const image = Array.from({ length: CELLS }, (_, i) => {
      const [r, c] = f(Math.floor(i / 3), i % 3);
      return 3 * r + c;
    });
    // Actions are cells, so the policy moves exactly like each observation plane.
    return permutationSymmetry(name, 3, image, image);
  }),
);

const info: GameInfo = Object.freeze({
  name: 'tictactoe',
  displayName: 'Tic-tac-toe',
  numPlayers: 2,
  numDistinctActions: CELLS,
  observationShape: Object.freeze([3, 3, 3] as const),
  maxGameLength: CELLS,
});

/**
 * Tic-tac-toe. Actions are cells 0-8 row-major from the top left; the notation is the string of
 * 1-based cells played ('5139'). Observation [3, 3, 3]: the mover's stones, the opponent's, ones.
 * Symmetries: the 8 of the square (the rotations by 90 and 270 degrees are each other's inverse;
 * the other six are involutions).
 */
export const ticTacToe: Game<TicTacToeState> = Object.freeze({
  info,
  initialState: (): TicTacToeState => INITIAL,
  toMove: (s: TicTacToeState): Player | 'terminal' => (s.result !== 0 ? 'terminal' : s.moves.length & 1),
  legalActions: (s: TicTacToeState): readonly Action[] => LEGAL[s.result !== 0 ? 0 : ~(s.x | s.o) & FULL]!,
  apply,
  isTerminal: (s: TicTacToeState): boolean => s.result !== 0,
  returns: (s: TicTacToeState): readonly number[] => RESULT_RETURNS[s.result]!,
  observationTensor,
  key: (s: TicTacToeState): number => s.x | (s.o << CELLS),
  symmetries,
  moveCount: (s: TicTacToeState): number => s.moves.length,
  playout,
  actionToString,
  parseAction,
  toNotation: (s: TicTacToeState): string => s.moves,
  fromNotation,
  render,
});
