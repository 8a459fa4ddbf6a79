import { EngineError, IllegalActionError, ParseError } from '../../core/index.js';
import type { Rng } from '../../core/index.js';
import type { Action, Game, GameInfo, Player, Symmetry } from '../game.js';
import { GameOverError } from '../errors.js';
import { permutationSymmetry } from '../symmetry.js';

/*
 * Board layout: the classic bitboard (Pons, Tromp), 7 bits per column, bit 7c+h for column c
 * and height h (0 = bottom), the 7th bit of each column a sentinel row that stays empty so the
 * shift test `pos & (pos >> d)` (d = 1 vertical, 7 horizontal, 6 and 8 diagonal) cannot wrap
 * from one column into the next.
 *
 * That board has 49 bits, and JavaScript's bitwise operators work on 32-bit integers. The
 * choices were BigInt (exact, but each operation allocates and runs ~50x slower), a double
 * holding the 49-bit integer (exact for + and keys, but no bitwise AND), or two int32 halves.
 * We split at a column boundary: `lo` holds columns 0-3 (bits 0-27), `hi` columns 4-6 (bits
 * 0-20, i.e. board bits 28-48). Then every per-column operation (the `mask + bottom` drop, the
 * full-column test) stays inside one half, values stay small integers (V8 Smis: no heap
 * numbers, no allocation), and only the horizontal and diagonal shifts carry bits from `hi`
 * into `lo`, which is one extra shift-or per direction (see `hasFour`).
 */

const COLS = 7;
const ROWS = 6;
const CELLS = COLS * ROWS;
/** Bit offset of column c inside its half. */
const SHIFT = Int32Array.from({ length: COLS }, (_, c) => 7 * (c & 3));
const BOTTOM = Int32Array.from(SHIFT, (s) => 1 << s);
const TOP = Int32Array.from(SHIFT, (s) => 1 << (s + ROWS - 1));

/** A Connect Four position: plain data (it serializes as JSON), never mutated. */
export interface ConnectFourState {
  /** First player's (X) stones in columns 0-3, bit 7c+h. */
  readonly xLo: number;
  /** First player's stones in columns 4-6, bit 7(c-4)+h. */
  readonly xHi: number;
  /** Second player's (O) stones, columns 0-3. */
  readonly oLo: number;
  /** Second player's stones, columns 4-6. */
  readonly oHi: number;
  /** The moves so far in the standard notation (1-based columns), e.g. '4453'. */
  readonly moves: string;
  /** 0 in play, 1 first player won, 2 second player won, 3 draw (full board). */
  readonly result: 0 | 1 | 2 | 3;
}

const WIN_FIRST: readonly number[] = Object.freeze([1, -1]);
const WIN_SECOND: readonly number[] = Object.freeze([-1, 1]);
const DRAW: readonly number[] = Object.freeze([0, 0]);
const RESULT_RETURNS: readonly (readonly number[])[] = [DRAW, WIN_FIRST, WIN_SECOND, DRAW];

/**
 * Four in a row on one player's board given as halves (lo = columns 0-3, hi = columns 4-6).
 * The 49-bit test `m = p & (p >> d); m & (m >> 2d)` on halves: the low half of `p >> d` takes
 * bits from `hi` at `hi << (28 - d)`; anything shifted past bit 27 is dropped by the AND with a
 * 28-bit value, and the int32 truncation of `<<` only loses bits we drop anyway.
 */
function hasFour(lo: number, hi: number): boolean {
  // Vertical (d = 1) never leaves a column, so never leaves its half.
  let m = lo & (lo >>> 1);
  if ((m & (m >>> 2)) !== 0) return true;
  m = hi & (hi >>> 1);
  if ((m & (m >>> 2)) !== 0) return true;
  // Horizontal (7) and the two diagonals (6, 8).
  let ml = lo & ((lo >>> 7) | (hi << 21));
  let mh = hi & (hi >>> 7);
  if (((ml & ((ml >>> 14) | (mh << 14))) | (mh & (mh >>> 14))) !== 0) return true;
  ml = lo & ((lo >>> 6) | (hi << 22));
  mh = hi & (hi >>> 6);
  if (((ml & ((ml >>> 12) | (mh << 16))) | (mh & (mh >>> 12))) !== 0) return true;
  ml = lo & ((lo >>> 8) | (hi << 20));
  mh = hi & (hi >>> 8);
  return ((ml & ((ml >>> 16) | (mh << 12))) | (mh & (mh >>> 16))) !== 0;
}

/** LEGAL[open] = ascending columns whose bit is set in the 7-bit `open`; shared, frozen. */
const LEGAL: readonly (readonly Action[])[] = Array.from({ length: 1 << COLS }, (_, open) =>
  Object.freeze(Array.from({ length: COLS }, (_, c) => c).filter((c) => (open >> c) & 1)),
);

function openColumns(mLo: number, mHi: number): number {
  let open = 0;
  for (let c = 0; c < COLS; c++) if (((c < 4 ? mLo : mHi) & TOP[c]!) === 0) open |= 1 << c;
  return open;
}

function make(xLo: number, xHi: number, oLo: number, oHi: number, moves: string, result: 0 | 1 | 2 | 3): ConnectFourState {
  return { xLo, xHi, oLo, oHi, moves, result };
}

const INITIAL = Object.freeze(make(0, 0, 0, 0, '', 0));

function resultText(result: number): string {
  return result === 1 ? 'X (first player) won' : result === 2 ? 'O (second player) won' : 'it is a draw';
}

/** Scratch list of open columns for the playouts: module-level so the hot loop never allocates. */
const OPEN = new Int32Array(COLS);
/** Scratch list of indices into OPEN for tactical playouts. */
const SAFE = new Int32Array(COLS);

function playout(s: ConnectFourState, rng: Rng): readonly number[] {
  return runPlayout(s, rng, false, null);
}

/**
 * Playout with the classic "decisive and anti-decisive moves" policy (Teytaud & Teytaud 2010):
 * the mover completes a four when it can, else blocks the opponent's playable four, else plays
 * a random column, avoiding (when it can) one whose stone lets the opponent win on top of it.
 * Random playouts miss exactly these one-move tactics, which decide most Connect Four games.
 */
function tacticalPlayout(s: ConnectFourState, rng: Rng): readonly number[] {
  return runPlayout(s, rng, true, null);
}

/** The columns a tactical playout plays, and its returns: for tests of the policy. */
export function tracedTacticalPlayout(s: ConnectFourState, rng: Rng): { readonly moves: number[]; readonly returns: readonly number[] } {
  const moves: number[] = [];
  const returns = runPlayout(s, rng, true, moves);
  return { moves, returns };
}

/** Random (or, with `tactical`, tactical) playout to the end; `trace` collects the columns played. */
function runPlayout(s: ConnectFourState, rng: Rng, tactical: boolean, trace: number[] | null): readonly number[] {
  if (s.result !== 0) return RESULT_RETURNS[s.result]!;
  let n = s.moves.length;
  const firstToMove = (n & 1) === 0;
  let curLo = firstToMove ? s.xLo : s.oLo;
  let curHi = firstToMove ? s.xHi : s.oHi;
  let othLo = firstToMove ? s.oLo : s.xLo;
  let othHi = firstToMove ? s.oHi : s.xHi;
  let mLo = s.xLo | s.oLo;
  let mHi = s.xHi | s.oHi;
  let k = 0;
  for (let c = 0; c < COLS; c++) if (((c < 4 ? mLo : mHi) & TOP[c]!) === 0) OPEN[k++] = c;
  for (;;) {
    let i = -1;
    if (tactical && n >= 5) {
      // The opponent can hold three stones from move 5 on, the mover four from move 7.
      let block = -1;
      let safe = 0;
      for (let j = 0; j < k; j++) {
        const c = OPEN[j]!;
        const low = c < 4;
        const m = low ? mLo : mHi;
        const stone = (m + BOTTOM[c]!) & ~m;
        if (n >= 6 && (low ? hasFour(curLo | stone, curHi) : hasFour(curLo, curHi | stone))) {
          if (trace !== null) trace.push(c);
          return (n & 1) === 0 ? WIN_FIRST : WIN_SECOND;
        }
        if (block < 0 && (low ? hasFour(othLo | stone, othHi) : hasFour(othLo, othHi | stone))) block = j;
        // The cell above the stone, if the stone does not fill the column.
        const above = stone === TOP[c] ? 0 : stone << 1;
        if (above === 0 || !(low ? hasFour(othLo | above, othHi) : hasFour(othLo, othHi | above))) SAFE[safe++] = j;
      }
      if (block >= 0) i = block;
      else if (safe > 0 && safe < k) i = SAFE[rng.int(safe)]!;
    }
    if (i < 0) i = rng.int(k);
    const c = OPEN[i]!;
    if (trace !== null) trace.push(c);
    if (c < 4) {
      const stone = (mLo + BOTTOM[c]!) & ~mLo; // the carry of `+ bottom` lands on the first empty cell
      mLo |= stone;
      curLo |= stone;
      if ((mLo & TOP[c]!) !== 0) OPEN[i] = OPEN[--k]!;
    } else {
      const stone = (mHi + BOTTOM[c]!) & ~mHi;
      mHi |= stone;
      curHi |= stone;
      if ((mHi & TOP[c]!) !== 0) OPEN[i] = OPEN[--k]!;
    }
    n++;
    // n is now odd iff the first player made this move; nobody has four stones before move 7.
    if (n >= 7 && hasFour(curLo, curHi)) return (n & 1) !== 0 ? WIN_FIRST : WIN_SECOND;
    if (k === 0) return DRAW;
    const tLo = curLo;
    const tHi = curHi;
    curLo = othLo;
    curHi = othHi;
    othLo = tLo;
    othHi = tHi;
  }
}

function apply(s: ConnectFourState, a: Action): ConnectFourState {
  if (s.result !== 0) throw new GameOverError(`connect4: cannot play column ${a + 1}: the game is over (${resultText(s.result)})`);
  if (!Number.isInteger(a) || a < 0 || a >= COLS) throw new IllegalActionError(`connect4: action ${a} is not a column 0-6`);
  const low = a < 4;
  const m = low ? s.xLo | s.oLo : s.xHi | s.oHi;
  if ((m & TOP[a]!) !== 0) throw new IllegalActionError(`connect4: column ${a + 1} is full`);
  const stone = (m + BOTTOM[a]!) & ~m;
  const n = s.moves.length;
  const moves = s.moves + String.fromCharCode(49 + a);
  if ((n & 1) === 0) {
    const xLo = low ? s.xLo | stone : s.xLo;
    const xHi = low ? s.xHi : s.xHi | stone;
    return make(xLo, xHi, s.oLo, s.oHi, moves, hasFour(xLo, xHi) ? 1 : n + 1 === CELLS ? 3 : 0);
  }
  const oLo = low ? s.oLo | stone : s.oLo;
  const oHi = low ? s.oHi : s.oHi | stone;
  return make(s.xLo, s.xHi, oLo, oHi, moves, hasFour(oLo, oHi) ? 2 : n + 1 === CELLS ? 3 : 0);
}

/** Whether column c, height h (0 = bottom) holds a stone on the board given as halves. */
function has(lo: number, hi: number, c: number, h: number): boolean {
  return (((c < 4 ? lo : hi) >>> (SHIFT[c]! + h)) & 1) !== 0;
}

/** Observation row r is board row r from the top (as rendered), column c is column c. */
function observationTensor(s: ConnectFourState): Float32Array {
  const out = new Float32Array(3 * CELLS);
  const firstToMove = (s.moves.length & 1) === 0;
  const meLo = firstToMove ? s.xLo : s.oLo;
  const meHi = firstToMove ? s.xHi : s.oHi;
  const youLo = firstToMove ? s.oLo : s.xLo;
  const youHi = firstToMove ? s.oHi : s.xHi;
  for (let r = 0; r < ROWS; r++) {
    const h = ROWS - 1 - r;
    for (let c = 0; c < COLS; c++) {
      const i = r * COLS + c;
      if (has(meLo, meHi, c, h)) out[i] = 1;
      else if (has(youLo, youHi, c, h)) out[CELLS + i] = 1;
      out[2 * CELLS + i] = 1;
    }
  }
  return out;
}

function render(s: ConnectFourState): string {
  const lines: string[] = [];
  for (let h = ROWS - 1; h >= 0; h--) {
    let line = '';
    for (let c = 0; c < COLS; c++) {
      line += (c === 0 ? '' : ' ') + (has(s.xLo, s.xHi, c, h) ? 'X' : has(s.oLo, s.oHi, c, h) ? 'O' : '.');
    }
    lines.push(line);
  }
  lines.push('1 2 3 4 5 6 7');
  lines.push(s.result === 0 ? `${(s.moves.length & 1) === 0 ? 'X' : 'O'} to move` : resultText(s.result));
  return lines.join('\n');
}

function fromNotation(text: string): ConnectFourState {
  const moves = text.trim();
  let s: ConnectFourState = INITIAL;
  for (let i = 0; i < moves.length; i++) {
    const ch = moves[i]!;
    if (ch < '1' || ch > '7') {
      throw new ParseError(
        'MALFORMED_POSITION',
        `connect4 position '${moves}': character '${ch}' at index ${i} is not a column 1-7`,
      );
    }
    try {
      s = apply(s, ch.charCodeAt(0) - 49);
    } catch (e) {
      const where = `connect4 position '${moves}', move ${i + 1} (column ${ch})`;
      if (e instanceof GameOverError) throw new GameOverError(`${where}: the game is already over (${resultText(s.result)})`, { cause: e });
      if (e instanceof IllegalActionError) throw new IllegalActionError(`${where}: column ${ch} is full`, { cause: e });
      throw e;
    }
  }
  return s;
}

function parseAction(text: string): Action {
  const t = text.trim();
  if (t.length === 1 && t >= '1' && t <= '7') return t.charCodeAt(0) - 49;
  throw new ParseError('MALFORMED_ACTION', `connect4: '${text}' is not a column; expected one digit 1-7`);
}

function actionToString(a: Action): string {
  if (!Number.isInteger(a) || a < 0 || a >= COLS) throw new EngineError('BAD_ARGUMENT', `connect4: action ${a} is not a column 0-6`);
  return String.fromCharCode(49 + a);
}

const mirror = permutationSymmetry(
  'mirror',
  3,
  Array.from({ length: CELLS }, (_, i) => i - (i % COLS) + (COLS - 1 - (i % COLS))),
  Array.from({ length: COLS }, (_, c) => COLS - 1 - c),
);
const identity = permutationSymmetry(
  'identity',
  3,
  Array.from({ length: CELLS }, (_, i) => i),
  Array.from({ length: COLS }, (_, c) => c),
);

const info: GameInfo = Object.freeze({
  name: 'connect4',
  displayName: 'Connect Four',
  numPlayers: 2,
  numDistinctActions: COLS,
  observationShape: Object.freeze([3, ROWS, COLS] as const),
  maxGameLength: CELLS,
});

/**
 * Connect Four, 7 columns x 6 rows. Actions are columns 0-6; the notation is the string of
 * 1-based columns played from the empty board ('4453'), as in Pascal Pons's test sets.
 * Observation [3, 6, 7]: the mover's stones, the opponent's stones, a plane of ones (marks the
 * board against a convolution's zero padding); row 0 is the top row.
 */
export const connectFour: Game<ConnectFourState> = Object.freeze({
  info,
  initialState: (): ConnectFourState => INITIAL,
  toMove: (s: ConnectFourState): Player | 'terminal' => (s.result !== 0 ? 'terminal' : s.moves.length & 1),
  legalActions: (s: ConnectFourState): readonly Action[] =>
    s.result !== 0 ? LEGAL[0]! : LEGAL[openColumns(s.xLo | s.oLo, s.xHi | s.oHi)]!,
  apply,
  isTerminal: (s: ConnectFourState): boolean => s.result !== 0,
  returns: (s: ConnectFourState): readonly number[] => RESULT_RETURNS[s.result]!,
  observationTensor,
  // Pons's key: per column, stones + mask lies in [2^h - 1, 2^(h+1) - 2], distinct for every
  // height and stone pattern, below 2^7 (no carry into the next column). Exact below 2^49.
  key: (s: ConnectFourState): number => (s.xLo | s.oLo) + s.xLo + ((s.xHi | s.oHi) + s.xHi) * 0x10000000,
  symmetries: Object.freeze([identity, mirror]) as readonly Symmetry[],
  moveCount: (s: ConnectFourState): number => s.moves.length,
  playout,
  tacticalPlayout,
  actionToString,
  parseAction,
  toNotation: (s: ConnectFourState): string => s.moves,
  fromNotation,
  render,
});
