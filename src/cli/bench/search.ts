/**
 * Search speed on Connect Four with the rollout evaluator, against two references:
 * - the same number of random playouts done directly with the rules, from the same position
 *   (the ceiling: what is left is the tree's overhead);
 * - boardgame.io's MCTSBot (plain UCT with random playouts, the best-known JavaScript peer) on
 *   the same rules (our Connect Four inside a boardgame.io Game), same iteration count, playouts
 *   to the end of the game.
 */
import { Rng } from '../../core/index.js';
import { createUctSearch, loadGame } from '../engine.js';
import type { Action, Game } from '../engine.js';
import type { BenchContext, BenchSection, BenchSuite } from './types.js';

/** Positions the speed is measured from (Connect Four notation). */
const POSITIONS: readonly { name: string; moves: string }[] = [
  { name: 'start', moves: '' },
  { name: 'middle (ply 12)', moves: '133451337455' },
];

/**
 * CPU time of this process in ms. The benchmark machines are shared, so wall time measures the
 * neighbours as much as the code; rates are per CPU-second of this (single-threaded) process.
 */
export function cpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** Playouts per second straight from the rules: the rollout evaluator's ceiling. */
function rawPlayoutsPerSecond<S>(game: Game<S>, state: S, count: number, seed: number): number {
  const rng = new Rng(seed);
  let sink = 0; // keeps the loop observable so it cannot be optimised away
  const t0 = cpuMs();
  for (let i = 0; i < count; i++) sink += game.playout(state, rng)[0]!;
  const ms = cpuMs() - t0;
  if (sink === Number.MAX_SAFE_INTEGER) console.error(sink);
  return count / (ms / 1000);
}

/** Simulations per CPU-second of fresh searches of `sims` each, repeated `times` (small searches are too short to time alone). */
async function searchPerSecond<S>(game: Game<S>, state: S, sims: number, seed: number, times = 1): Promise<number> {
  let done = 0;
  let ms = 0;
  for (let i = 0; i < times; i++) {
    const search = createUctSearch(game, { seed: seed + i });
    const t0 = cpuMs();
    const r = await search.search(state, { simulations: sims });
    ms += cpuMs() - t0;
    done += r.simulations;
  }
  return done / (ms / 1000);
}

// --- boardgame.io -------------------------------------------------------------------------

/** The few parts of boardgame.io's ai and internal entry points used here. */
export interface BgioAi {
  MCTSBot: new (o: {
    game: unknown;
    enumerate: (G: unknown, ctx: unknown, playerID: string) => unknown[];
    iterations: number;
    playoutDepth: number;
    seed?: string | number;
  }) => { play(state: unknown, playerID: string): Promise<{ action: unknown }> };
}
export interface BgioInternal {
  InitializeGame(o: { game: unknown; numPlayers: number }): unknown;
}

export async function loadBoardgameIo(): Promise<{ ai: BgioAi; internal: BgioInternal } | null> {
  // A devDependency: imported by a computed name so that a production install (and the type
  // checker) never needs it; missing means 'skipped'.
  const base = 'boardgame.io/dist/cjs/';
  try {
    // CommonJS modules: the named exports may sit on `default` only.
    const ai = (await import(`${base}ai.js`)) as Partial<BgioAi> & { default?: BgioAi };
    const internal = (await import(`${base}internal.js`)) as Partial<BgioInternal> & { default?: BgioInternal };
    const aiMod = ai.MCTSBot ? (ai as BgioAi) : ai.default;
    const internalMod = internal.InitializeGame ? (internal as BgioInternal) : internal.default;
    return aiMod && internalMod ? { ai: aiMod, internal: internalMod } : null;
  } catch {
    return null;
  }
}

/** Our Connect Four rules as a boardgame.io Game: G holds our state; the game ends with its result. */
export function boardgameIoConnectFour<S>(game: Game<S>, start: S): { game: unknown; enumerate: (G: unknown) => unknown[] } {
  type G = { s: S };
  return {
    game: {
      name: 'connect4',
      setup: (): G => ({ s: start }),
      moves: {
        drop: (arg: { G: G } | G, maybeCol?: number, colArg?: number) => {
          // boardgame.io 0.50 passes ({G, ctx, ...}, ...args).
          const G = 'G' in arg ? (arg as { G: G }).G : (arg as G);
          const col = 'G' in arg ? (maybeCol as number) : (colArg as number);
          return { s: game.apply(G.s, col as Action) };
        },
      },
      turn: { minMoves: 1, maxMoves: 1 },
      endIf: (arg: { G: G }) => {
        const s = arg.G.s;
        if (!game.isTerminal(s)) return undefined;
        const r = game.returns(s);
        return r[0]! > 0 ? { winner: '0' } : r[1]! > 0 ? { winner: '1' } : { draw: true };
      },
    },
    enumerate: (G: unknown) => game.legalActions((G as G).s).map((a) => ({ move: 'drop', args: [a] })),
  };
}

async function boardgameIoPerSecond<S>(bgio: { ai: BgioAi; internal: BgioInternal }, game: Game<S>, start: S, iterations: number, seed: number): Promise<number> {
  const def = boardgameIoConnectFour(game, start);
  const state = bgio.internal.InitializeGame({ game: def.game, numPlayers: 2 }) as { ctx: { currentPlayer: string } };
  const bot = new bgio.ai.MCTSBot({ game: def.game, enumerate: def.enumerate, iterations, playoutDepth: 42, seed });
  const t0 = cpuMs();
  const { action } = await bot.play(state, state.ctx.currentPlayer);
  const ms = cpuMs() - t0;
  if (!action) throw new Error('boardgame.io MCTSBot returned no action');
  return iterations / (ms / 1000);
}

// --- the suite ----------------------------------------------------------------------------

export const searchSpeedSuite: BenchSuite = {
  name: 'search',
  async run(ctx: BenchContext): Promise<readonly BenchSection[]> {
    const game = loadGame('connect4');
    const sims = ctx.quick ? 20_000 : 200_000;
    const reps = ctx.quick ? 1 : 3;
    const bgioIters = ctx.quick ? 500 : 3_000;
    const bgioReps = ctx.quick ? 1 : 2;

    // Warm the JIT on both paths before timing anything.
    await searchPerSecond(game, game.initialState(), 1_000, 99, 10);
    await searchPerSecond(game, game.initialState(), 10_000, 99, 2);
    rawPlayoutsPerSecond(game, game.initialState(), 20_000, 99);

    // Throughput depends on the tree's size (cache misses, garbage), so several search sizes are
    // measured, each repeated to the same total of simulations.
    const sizes = ctx.quick ? [1_000, 20_000] : [1_000, 10_000, 200_000];
    const speedRows: Record<string, string | number>[] = [];
    for (const p of POSITIONS) {
      const state = game.fromNotation(p.moves);
      const rawRates: number[] = [];
      for (let r = 0; r < reps; r++) rawRates.push(rawPlayoutsPerSecond(game, state, sims, 1 + r));
      const raw = median(rawRates);
      for (const size of sizes) {
        const times = Math.max(1, Math.round(sims / size));
        const searchRates: number[] = [];
        for (let r = 0; r < reps; r++) {
          ctx.log(`  search speed, ${p.name}: ${times} x ${size} simulations (run ${r + 1}/${reps})`);
          searchRates.push(await searchPerSecond(game, state, size, 1 + r * times, times));
        }
        const rate = median(searchRates);
        speedRows.push({
          position: p.name,
          'sims per search': size,
          searches: times,
          'search sims/s': Math.round(rate),
          'raw playouts/s': Math.round(raw),
          'search / raw': `${(rate / raw).toFixed(2)}x`,
        });
      }
    }

    const bgio = await loadBoardgameIo();
    const peerRows: Record<string, string | number>[] = [];
    const peerNotes: string[] = [];
    if (bgio === null) {
      peerRows.push({ engine: 'boardgame.io MCTSBot', result: 'skipped (not installed)' });
    } else {
      const state = game.initialState();
      const ours: number[] = [];
      const theirs: number[] = [];
      await boardgameIoPerSecond(bgio, game, state, Math.min(200, bgioIters), 7); // warm-up
      for (let r = 0; r < bgioReps; r++) {
        ctx.log(`  boardgame.io MCTSBot: ${bgioIters} iterations (run ${r + 1}/${bgioReps})`);
        theirs.push(await boardgameIoPerSecond(bgio, game, state, bgioIters, 11 + r));
        ours.push(await searchPerSecond(game, state, bgioIters, 11 + r, Math.max(1, Math.round(100_000 / bgioIters))));
      }
      const o = median(ours);
      const t = median(theirs);
      peerRows.push(
        { engine: 'arbor uct (rollouts)', iterations: bgioIters, 'sims/s': Math.round(o), ratio: `${(o / t).toFixed(1)}x` },
        { engine: 'boardgame.io 0.50 MCTSBot', iterations: bgioIters, 'sims/s': Math.round(t), ratio: '1.0x' },
      );
      peerNotes.push(
        'Same rules (arbor Connect Four wrapped as a boardgame.io Game), same start position, same iteration count per search,',
        'MCTSBot playoutDepth 42 (to the end of the game); fresh tree per search; arbor repeats its search to fill ~100k sims;',
        'rates per CPU-second of this process, median of runs.',
      );
    }
    return [
      {
        title: 'Connect Four search speed: UCT with random rollouts vs raw playouts from the same position',
        rows: speedRows,
        notes: [
          `median of ${reps} run(s); one thread; rates per CPU-second of this process (the machine may be shared)`,
          `each row: fresh searches of the given size from the position, ${sims.toLocaleString('en-US')} simulations in all per run;`,
          'raw playouts = the same number of game.playout calls from the same position (the rollout ceiling)',
        ],
      },
      { title: 'Connect Four search speed vs boardgame.io MCTSBot (start position)', rows: peerRows, notes: peerNotes },
    ];
  },
};
