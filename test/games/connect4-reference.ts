/**
 * A deliberately naive Connect Four: a 6x7 array of cells, and a win test that scans every cell
 * in every direction. Slow and obvious, so the fast bitboard rules can be checked against it.
 */
export const ROWS = 6;
export const COLS = 7;

/** board[h][c]: 0 empty, 1 first player, 2 second player; h = 0 is the bottom row. */
export type RefBoard = number[][];

export function emptyBoard(): RefBoard {
  return Array.from({ length: ROWS }, () => new Array<number>(COLS).fill(0));
}

/** The player (1 or 2) with four in a row anywhere on the board, or 0. */
export function refWinner(board: RefBoard): number {
  const dirs = [
    [0, 1],
    [1, 0],
    [1, 1],
    [1, -1],
  ] as const;
  for (let h = 0; h < ROWS; h++) {
    for (let c = 0; c < COLS; c++) {
      const p = board[h]![c]!;
      if (p === 0) continue;
      for (const [dh, dc] of dirs) {
        let k = 1;
        while (k < 4) {
          const hh = h + dh * k;
          const cc = c + dc * k;
          if (hh < 0 || hh >= ROWS || cc < 0 || cc >= COLS || board[hh]![cc] !== p) break;
          k++;
        }
        if (k === 4) return p;
      }
    }
  }
  return 0;
}

export interface RefGame {
  board: RefBoard;
  /** 0 in play, 1 or 2 won, 3 draw: the same coding as ConnectFourState.result. */
  result: number;
  /** Move (1-based) at which the game ended, or 0. */
  endedAt: number;
}

/** Replays 1-based column digits naively; stops checking nothing: moves after the end are an error. */
export function refPlay(moves: string): RefGame {
  const board = emptyBoard();
  let result = 0;
  let endedAt = 0;
  for (let i = 0; i < moves.length; i++) {
    if (result !== 0) throw new Error(`reference: move ${i + 1} after the end`);
    const c = Number(moves[i]) - 1;
    const h = board.findIndex((row) => row[c] === 0);
    if (h < 0) throw new Error(`reference: column ${c + 1} full at move ${i + 1}`);
    board[h]![c] = (i % 2) + 1;
    const w = refWinner(board);
    if (w !== 0) result = w;
    else if (i + 1 === ROWS * COLS) result = 3;
    if (result !== 0) endedAt = i + 1;
  }
  return { board, result, endedAt };
}

/** The board as the fast game renders it (top row first), without the footer lines. */
export function refRender(board: RefBoard): string {
  const lines: string[] = [];
  for (let h = ROWS - 1; h >= 0; h--) lines.push(board[h]!.map((p) => '.XO'[p]).join(' '));
  return lines.join('\n');
}
