/**
 * Match statistics: score, Elo difference and its 95% interval from the score's standard error.
 * The interval is computed on the score (normal approximation over per-game results: win 1,
 * draw 1/2, loss 0) and mapped through the logistic Elo curve, so it is asymmetric in Elo and
 * reaches ±Infinity when the score's interval touches 0 or 1. When every game had the same
 * result the standard error is 0 and that interval would be a point (a 10-0 sweep "proves" an
 * infinite difference); then the Wilson score interval of the score stands in, which gives a
 * 10-0 sweep a finite lower bound (score >= n / (n + z^2)).
 */

export interface Wdl {
  readonly wins: number;
  readonly draws: number;
  readonly losses: number;
}

export interface EloEstimate {
  readonly games: number;
  /** Mean points per game in [0,1]. */
  readonly score: number;
  /** Standard error of the score (0 when every game had the same result). */
  readonly scoreStdErr: number;
  /** 95% interval on the score. */
  readonly scoreLow: number;
  readonly scoreHigh: number;
  /** Elo difference (A minus B); ±Infinity at score 1 or 0, NaN with no games. */
  readonly elo: number;
  /** 95% interval on the Elo difference; bounds may be ±Infinity. */
  readonly low: number;
  readonly high: number;
}

const Z95 = 1.959963984540054;

/** Elo difference that gives an expected score s: 400 log10(s / (1 - s)). */
export function eloFromScore(s: number): number {
  if (Number.isNaN(s)) return NaN;
  if (s <= 0) return -Infinity;
  if (s >= 1) return Infinity;
  return 400 * Math.log10(s / (1 - s));
}

/** Expected score for an Elo difference d (inverse of eloFromScore). */
export function scoreFromElo(d: number): number {
  return 1 / (1 + Math.pow(10, -d / 400));
}

export function estimateElo(r: Wdl): EloEstimate {
  const n = r.wins + r.draws + r.losses;
  if (n === 0) return { games: 0, score: NaN, scoreStdErr: NaN, scoreLow: 0, scoreHigh: 1, elo: NaN, low: -Infinity, high: Infinity };
  const score = (r.wins + 0.5 * r.draws) / n;
  // Per-game variance of the points, then the standard error of their mean.
  const variance = (r.wins * (1 - score) ** 2 + r.draws * (0.5 - score) ** 2 + r.losses * score ** 2) / n;
  const se = Math.sqrt(variance / n);
  let lo = Math.max(0, score - Z95 * se);
  let hi = Math.min(1, score + Z95 * se);
  if (se === 0) [lo, hi] = wilson(score, n);
  return { games: n, score, scoreStdErr: se, scoreLow: lo, scoreHigh: hi, elo: eloFromScore(score), low: eloFromScore(lo), high: eloFromScore(hi) };
}

/** Wilson score interval (95%) for a proportion p over n trials. */
export function wilson(p: number, n: number): [number, number] {
  const z2 = Z95 * Z95;
  const centre = (p + z2 / (2 * n)) / (1 + z2 / n);
  const half = (Z95 / (1 + z2 / n)) * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
  // At p = 0 or 1 one bound is exactly 0 or 1; rounding must not turn +inf Elo into 6000.
  return [p <= 0 ? 0 : Math.max(0, centre - half), p >= 1 ? 1 : Math.min(1, centre + half)];
}

/** "+123", "-45", "+inf", "-inf", "n/a". */
export function formatElo(d: number): string {
  if (Number.isNaN(d)) return 'n/a';
  if (d === Infinity) return '+inf';
  if (d === -Infinity) return '-inf';
  const r = Math.round(d);
  return r > 0 ? `+${r}` : r === 0 ? '0' : String(r);
}

/** JSON has no Infinity: unbounded values become null (the field's position says which side). */
export function finiteOrNull(x: number): number | null {
  return Number.isFinite(x) ? x : null;
}
