import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { eloFromScore, estimateElo, finiteOrNull, formatElo, scoreFromElo } from '../../src/cli/elo.js';

describe('Elo math', () => {
  it('maps known scores to known differences', () => {
    expect(eloFromScore(0.5)).toBe(0);
    expect(eloFromScore(0.75)).toBeCloseTo(190.85, 2); // 400 log10(3)
    expect(eloFromScore(10 / 11)).toBeCloseTo(400, 6); // 10:1 odds
    expect(eloFromScore(1)).toBe(Infinity);
    expect(eloFromScore(0)).toBe(-Infinity);
  });

  it('inverts scoreFromElo', () => {
    fc.assert(
      fc.property(fc.double({ min: -800, max: 800, noNaN: true }), (d) => {
        expect(eloFromScore(scoreFromElo(d))).toBeCloseTo(d, 4);
      }),
    );
  });

  it('is antisymmetric in the players and monotone in the score', () => {
    fc.assert(
      fc.property(fc.nat(50), fc.nat(50), fc.nat(50), (w, d, l) => {
        fc.pre(w + d + l > 0);
        const a = estimateElo({ wins: w, draws: d, losses: l });
        const b = estimateElo({ wins: l, draws: d, losses: w });
        expect(a.score + b.score).toBeCloseTo(1, 12);
        if (Number.isFinite(a.elo)) expect(a.elo).toBeCloseTo(-b.elo, 9);
        expect(a.low).toBeLessThanOrEqual(a.elo);
        expect(a.high).toBeGreaterThanOrEqual(a.elo);
        if (Number.isFinite(a.low)) expect(a.low).toBeCloseTo(-b.high, 9);
        const better = estimateElo({ wins: w + 1, draws: d, losses: l });
        if (a.score < 1) expect(better.score).toBeGreaterThan(a.score);
        else expect(better.score).toBe(1);
      }),
    );
  });

  it('computes the standard error from per-game results', () => {
    // 6 wins, 2 draws, 2 losses: score 0.7; per-game variance (6*.09 + 2*.04 + 2*.49)/10 = 0.16
    const e = estimateElo({ wins: 6, draws: 2, losses: 2 });
    expect(e.score).toBeCloseTo(0.7, 12);
    expect(e.scoreStdErr).toBeCloseTo(Math.sqrt(0.16 / 10), 12);
    expect(e.low).toBeCloseTo(eloFromScore(0.7 - 1.959963984540054 * Math.sqrt(0.016)), 9);
    expect(e.high).toBeCloseTo(eloFromScore(0.7 + 1.959963984540054 * Math.sqrt(0.016)), 9);
  });

  it('handles all-wins, all-draws, tiny and empty matches', () => {
    const sweep = estimateElo({ wins: 10, draws: 0, losses: 0 });
    expect(sweep.elo).toBe(Infinity);
    expect(sweep.high).toBe(Infinity);
    // No variance: the Wilson interval gives a finite lower bound, score >= n / (n + z^2).
    expect(sweep.low).toBeCloseTo(eloFromScore(10 / (10 + 1.959963984540054 ** 2)), 9);
    expect(sweep.low).toBeGreaterThan(100);
    const lost = estimateElo({ wins: 0, draws: 0, losses: 10 });
    expect(lost.low).toBe(-Infinity);
    expect(lost.high).toBeCloseTo(-sweep.low, 9);
    const mixed = estimateElo({ wins: 9, draws: 0, losses: 1 });
    expect(Number.isFinite(mixed.low)).toBe(true);
    expect(mixed.high).toBe(Infinity); // 0.9 + 1.96*0.095 > 1: clamped to 1
    const draws = estimateElo({ wins: 0, draws: 4, losses: 0 });
    expect(draws).toMatchObject({ score: 0.5, elo: 0 });
    expect(draws.low).toBeLessThan(-100); // four draws say little
    expect(draws.high).toBeCloseTo(-draws.low, 9);
    const none = estimateElo({ wins: 0, draws: 0, losses: 0 });
    expect(none.games).toBe(0);
    expect(Number.isNaN(none.elo)).toBe(true);
  });

  it('formats infinities for people and for JSON', () => {
    expect(formatElo(Infinity)).toBe('+inf');
    expect(formatElo(-Infinity)).toBe('-inf');
    expect(formatElo(190.85)).toBe('+191');
    expect(formatElo(-12.4)).toBe('-12');
    expect(formatElo(0)).toBe('0');
    expect(formatElo(NaN)).toBe('n/a');
    expect(finiteOrNull(Infinity)).toBeNull();
    expect(finiteOrNull(3)).toBe(3);
  });
});
