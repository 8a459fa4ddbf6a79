/**
 * Laws every `Game` must obey, checked with fast-check (like OpenSpiel's basic_tests.h and
 * fast-check's ArbitraryAssertions). `gameLaws(game)` gives each law as a named function so a
 * test file can report them one by one; `checkGameLaws(game)` runs them all.
 *
 * Positions come from random move sequences: an array of naturals, each picking
 * `legal[p % legal.length]`, so shrinking yields short, readable games.
 */
import fc from 'fast-check';
import { expect } from 'vitest';
import { EngineError, Rng } from '../../src/core/index.js';
import type { Action, Game, Symmetry } from '../../src/games/index.js';

export interface GameLawOptions {
  /** Runs per property (default 200). */
  readonly numRuns?: number;
  /** fast-check seed, for reproducing a failure (fast-check prints it). */
  readonly seed?: number;
}

const product = (xs: readonly number[]): number => xs.reduce((a, b) => a * b, 1);

/** Plays `picks` from the start; returns the actions taken and the states along the way. */
function playPicks<S>(game: Game<S>, picks: readonly number[]): { actions: Action[]; states: S[] } {
  let s = game.initialState();
  const states = [s];
  const actions: Action[] = [];
  for (const p of picks) {
    if (game.isTerminal(s)) break;
    const legal = game.legalActions(s);
    const a = legal[p % legal.length]!;
    s = game.apply(s, a);
    actions.push(a);
    states.push(s);
  }
  return { actions, states };
}

function replay<S>(game: Game<S>, actions: readonly Action[]): S {
  let s = game.initialState();
  for (const a of actions) s = game.apply(s, a);
  return s;
}

function errorCode(f: () => unknown): string | undefined {
  try {
    f();
  } catch (e) {
    return e instanceof EngineError ? e.code : `non-engine error: ${String(e)}`;
  }
  return undefined;
}

const oneHot = (n: number, i: number): Float32Array => {
  const v = new Float32Array(n);
  v[i] = 1;
  return v;
};

/** The action permutation of a symmetry, as an array. */
const actionMap = (sym: Symmetry, n: number): number[] => Array.from({ length: n }, (_, a) => sym.mapAction(a));

export function gameLaws<S>(game: Game<S>, o: GameLawOptions = {}): Record<string, () => void> {
  const params = { numRuns: o.numRuns ?? 200, ...(o.seed === undefined ? {} : { seed: o.seed }) };
  const { numPlayers, numDistinctActions: nA, observationShape, maxGameLength } = game.info;
  const picks = fc.array(fc.nat({ max: 1 << 20 }), { maxLength: maxGameLength + 2 });
  const obsLength = product(observationShape);

  return {
    'random playouts stay legal; legal actions sorted, in range, non-empty until the end'(): void {
      fc.assert(
        fc.property(picks, (ps) => {
          const { states } = playPicks(game, ps);
          states.forEach((s, i) => {
            expect(game.moveCount(s)).toBe(i);
            expect(i).toBeLessThanOrEqual(maxGameLength);
            const legal = game.legalActions(s);
            const who = game.toMove(s);
            if (game.isTerminal(s)) {
              expect(who).toBe('terminal');
              expect(legal).toEqual([]);
              const r = game.returns(s);
              expect(r).toHaveLength(numPlayers);
              for (const x of r) expect([-1, 0, 1]).toContain(x);
              expect(r.reduce((a, b) => a + b, 0)).toBe(0);
              expect(errorCode(() => game.apply(s, 0))).toBe('GAME_OVER');
            } else {
              expect(typeof who === 'number' && who >= 0 && who < numPlayers).toBe(true);
              expect(legal.length).toBeGreaterThan(0);
              for (let j = 0; j < legal.length; j++) {
                expect(Number.isInteger(legal[j]) && legal[j]! >= 0 && legal[j]! < nA).toBe(true);
                if (j > 0) expect(legal[j]!).toBeGreaterThan(legal[j - 1]!);
              }
              expect(game.returns(s).every((x) => x === 0)).toBe(true);
              // Every action outside the legal list is refused with ILLEGAL_ACTION.
              for (let a = 0; a < nA; a++) if (!legal.includes(a)) expect(errorCode(() => game.apply(s, a))).toBe('ILLEGAL_ACTION');
              expect(errorCode(() => game.apply(s, -1))).toBe('ILLEGAL_ACTION');
              expect(errorCode(() => game.apply(s, nA))).toBe('ILLEGAL_ACTION');
            }
            // Players alternate.
            if (who !== 'terminal') expect(who).toBe(i % numPlayers);
          });
          // A random game played to the end does end, within maxGameLength moves.
          const last = states[states.length - 1]!;
          if (ps.length >= maxGameLength) expect(game.isTerminal(last)).toBe(true);
        }),
        params,
      );
    },

    'apply is pure: the state, its key, board, notation and legal moves are unchanged'(): void {
      fc.assert(
        fc.property(picks, fc.nat(), (ps, p) => {
          const { states } = playPicks(game, ps);
          const s = states[states.length - 1]!;
          if (game.isTerminal(s)) return;
          const before = { json: JSON.stringify(s), key: game.key(s), render: game.render(s), notation: game.toNotation(s) };
          const legal = [...game.legalActions(s)];
          const next = game.apply(s, legal[p % legal.length]!);
          expect(next).not.toBe(s);
          expect({ json: JSON.stringify(s), key: game.key(s), render: game.render(s), notation: game.toNotation(s) }).toEqual(before);
          expect(game.legalActions(s)).toEqual(legal);
          game.playout(s, new Rng(p));
          expect(JSON.stringify(s)).toBe(before.json);
          // Earlier states of the game are untouched too.
          for (let i = 0; i < states.length; i++) expect(game.moveCount(states[i]!)).toBe(i);
        }),
        params,
      );
    },

    'key is consistent with equality: same key iff same board, transpositions included'(): void {
      // Keys and boards seen over the whole run must stay in one-to-one correspondence.
      const boardOfKey = new Map<number | string, string>();
      const keyOfBoard = new Map<string, number | string>();
      let transpositions = 0;
      const record = (s: S): void => {
        const k = game.key(s);
        const b = game.render(s);
        expect(typeof k === 'number' ? Number.isFinite(k) : typeof k === 'string').toBe(true);
        const b0 = boardOfKey.get(k);
        if (b0 !== undefined) expect(b).toBe(b0);
        else boardOfKey.set(k, b);
        const k0 = keyOfBoard.get(b);
        if (k0 !== undefined) expect(k).toBe(k0);
        else keyOfBoard.set(b, k);
      };
      fc.assert(
        fc.property(picks, fc.nat(), fc.nat(), (ps, i, j) => {
          const { actions, states } = playPicks(game, ps);
          states.forEach(record);
          // A likely transposition: swap two moves of the same player. If the game replays
          // legally without ending early it often reaches the same board (not always: in
          // Connect Four gravity may stack the stones differently); either way `record` checks it.
          const n = actions.length;
          if (n < 3) return;
          const a = i % n;
          const b = a + numPlayers * (1 + (j % Math.max(1, Math.floor((n - 1 - a) / numPlayers))));
          if (b >= n) return;
          const swapped = [...actions];
          [swapped[a], swapped[b]] = [swapped[b]!, swapped[a]!];
          let t = game.initialState();
          for (let m = 0; m < n; m++) {
            if (game.isTerminal(t) || !game.legalActions(t).includes(swapped[m]!)) return;
            t = game.apply(t, swapped[m]!);
          }
          record(t);
          if (game.render(t) === game.render(states[n]!) && swapped[a] !== swapped[b]) transpositions++;
        }),
        params,
      );
      expect(boardOfKey.size).toBeGreaterThan(10);
      // The run did meet real transpositions (different move orders, one board).
      expect(transpositions).toBeGreaterThan(0);
    },

    'symmetries form a group of permutations (each has its inverse in the set); policy and one-hots map consistently'(): void {
      const syms = game.symmetries;
      expect(syms.length).toBeGreaterThan(0);
      const maps = syms.map((sym) => actionMap(sym, nA));
      const id = Array.from({ length: nA }, (_, a) => a);
      expect(maps).toContainEqual(id);
      const mapKey = (m: readonly number[]): string => m.join(',');
      const known = new Set(maps.map(mapKey));
      expect(known.size).toBe(syms.length);
      maps.forEach((m, i) => {
        expect([...m].sort((x, y) => x - y)).toEqual(id);
        // Closed under composition, hence each inverse is in the set.
        for (const m2 of maps) expect(known.has(mapKey(m.map((a) => m2[a]!)))).toBe(true);
        for (let a = 0; a < nA; a++) expect(syms[i]!.mapPolicy(oneHot(nA, a))).toEqual(oneHot(nA, m[a]!));
      });
      fc.assert(
        fc.property(fc.array(fc.float({ noNaN: true, min: 0, max: 1 }), { minLength: nA, maxLength: nA }), (p) => {
          const policy = Float32Array.from(p);
          syms.forEach((sym, i) => {
            const mapped = sym.mapPolicy(policy);
            for (let a = 0; a < nA; a++) expect(mapped[maps[i]![a]!]).toBe(policy[a]);
            // Involution where the action map is one; otherwise the inverse in the set undoes it.
            const inv = maps.findIndex((m) => maps[i]!.every((b, a) => m[b] === a));
            expect(inv).toBeGreaterThanOrEqual(0);
            expect(syms[inv]!.mapPolicy(mapped)).toEqual(policy);
          });
        }),
        params,
      );
    },

    'symmetries keep legality and map positions, observations and outcomes together'(): void {
      const syms = game.symmetries;
      const maps = syms.map((sym) => actionMap(sym, nA));
      fc.assert(
        fc.property(picks, (ps) => {
          const { actions, states } = playPicks(game, ps);
          const s = states[states.length - 1]!;
          const obs = game.observationTensor(s);
          syms.forEach((sym, i) => {
            // The image of a game is the game of the images.
            const t = replay(game, actions.map((a) => sym.mapAction(a)));
            expect(game.toMove(t)).toBe(game.toMove(s));
            expect(game.returns(t)).toEqual(game.returns(s));
            expect([...game.legalActions(t)]).toEqual(game.legalActions(s).map((a) => maps[i]![a]!).sort((x, y) => x - y));
            const mappedObs = sym.mapObservation(obs);
            expect(mappedObs).toEqual(game.observationTensor(t));
            const inv = syms[maps.findIndex((m) => maps[i]!.every((b, a) => m[b] === a))]!;
            expect(inv.mapObservation(mappedObs)).toEqual(obs);
          });
        }),
        params,
      );
    },

    'observation has the declared shape, finite values, and depends on the position'(): void {
      fc.assert(
        fc.property(picks, (ps) => {
          const { states } = playPicks(game, ps);
          for (const s of states) {
            const obs = game.observationTensor(s);
            expect(obs).toBeInstanceOf(Float32Array);
            expect(obs.length).toBe(obsLength);
            expect(obs.every((x) => Number.isFinite(x))).toBe(true);
          }
          // Successive positions differ, so their observations must too.
          for (let i = 1; i < states.length; i++) {
            const a = game.observationTensor(states[i]!);
            const b = game.observationTensor(states[i - 1]!);
            expect(a.some((x, j) => x !== b[j])).toBe(true);
          }
        }),
        params,
      );
    },

    'notation and action text round-trip'(): void {
      for (let a = 0; a < nA; a++) expect(game.parseAction(game.actionToString(a))).toBe(a);
      fc.assert(
        fc.property(picks, (ps) => {
          const { actions, states } = playPicks(game, ps);
          const s = states[states.length - 1]!;
          const text = game.toNotation(s);
          const back = game.fromNotation(text);
          expect(JSON.stringify(back)).toBe(JSON.stringify(s));
          expect(game.key(back)).toBe(game.key(s));
          expect(game.toNotation(back)).toBe(text);
          expect(game.fromNotation(` ${text} `)).toEqual(back);
          expect(actions.map((a) => game.actionToString(a)).join('')).toBe(text);
        }),
        params,
      );
    },

    'playout returns a valid outcome, is deterministic under a seed, and matches returns at the end'(): void {
      fc.assert(
        fc.property(picks, fc.integer(), (ps, seed) => {
          const { states } = playPicks(game, ps);
          const s = states[states.length - 1]!;
          const r = game.playout(s, new Rng(seed));
          expect(r).toHaveLength(numPlayers);
          for (const x of r) expect([-1, 0, 1]).toContain(x);
          expect(r.reduce((a, b) => a + b, 0)).toBe(0);
          expect([...game.playout(s, new Rng(seed))]).toEqual([...r]);
          if (game.isTerminal(s)) expect([...r]).toEqual([...game.returns(s)]);
        }),
        params,
      );
      // Playouts from one position reach more than one outcome (they are random).
      const rng = new Rng(7);
      const outcomes = new Set<string>();
      for (let i = 0; i < 200; i++) outcomes.add(game.playout(game.initialState(), rng).join(','));
      expect(outcomes.size).toBeGreaterThan(1);
    },
  };
}

/** Runs every law; throws on the first failure (with fast-check's seed and shrunk case). */
export function checkGameLaws<S>(game: Game<S>, o: GameLawOptions = {}): void {
  for (const law of Object.values(gameLaws(game, o))) law();
}
