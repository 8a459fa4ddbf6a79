import type { Action } from '../game.js';
import type { TicTacToeState } from './tic-tac-toe.js';
import { WIN } from './tic-tac-toe.js';

/*
 * Exact tic-tac-toe by negamax over (mover's stones, opponent's stones), memoized in a table
 * indexed by the two 9-bit masks: 2^18 entries, filled lazily; the whole game is ~5,500
 * positions, so the first full solve takes about a millisecond.
 */

const FULL = 0x1ff;
/** Value + 2 for the mover (1 loss, 2 draw, 3 win); 0 = not yet solved. */
const memo = new Uint8Array(1 << 18);

/** Value for the player to move with stones `me`, the opponent having `you` (who just moved). */
function negamax(me: number, you: number): number {
  if (WIN[you]) return -1;
  const empty = ~(me | you) & FULL;
  if (empty === 0) return 0;
  const k = me | (you << 9);
  const cached = memo[k]!;
  if (cached !== 0) return cached - 2;
  let best = -1;
  for (let rest = empty; rest !== 0 && best < 1; rest &= rest - 1) {
    const v = 0 - negamax(you, me | (rest & -rest));
    if (v > best) best = v;
  }
  memo[k] = best + 2;
  return best;
}

export interface TicTacToeSolution {
  /** Game value for the player to move with perfect play: 1 win, 0 draw, -1 loss. At a finished game, the result for the player whose turn it would be. */
  readonly value: number;
  /** Every legal action with its value for the mover (ascending actions). */
  readonly actionValues: readonly { readonly action: Action; readonly value: number }[];
  /** The actions that keep `value` (every perfect move); empty at a finished game. */
  readonly best: readonly Action[];
}

/** Solves a tic-tac-toe position exactly. */
export function solveTicTacToe(s: TicTacToeState): TicTacToeSolution {
  const firstToMove = (s.moves.length & 1) === 0;
  const me = firstToMove ? s.x : s.o;
  const you = firstToMove ? s.o : s.x;
  if (s.result !== 0) return { value: WIN[you] ? -1 : 0, actionValues: [], best: [] };
  const actionValues: { action: Action; value: number }[] = [];
  let value = -1;
  for (let a = 0; a < 9; a++) {
    const bit = 1 << a;
    if (((me | you) & bit) !== 0) continue;
    const v = 0 - negamax(you, me | bit);
    actionValues.push({ action: a, value: v });
    if (v > value) value = v;
  }
  return { value, actionValues, best: actionValues.filter((x) => x.value === value).map((x) => x.action) };
}

/** Every perfect move (the `perfect` player picks one of these at random). */
export function ticTacToePerfectActions(s: TicTacToeState): readonly Action[] {
  return solveTicTacToe(s).best;
}
