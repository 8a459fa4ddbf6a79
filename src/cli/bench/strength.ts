/**
 * Playing strength of plain UCT (random rollouts) on Connect Four, against exact solver scores:
 * - scored-moves.jsonl (every legal move scored): how often the chosen move is optimal, and how
 *   often it keeps the game-theoretic result, overall and per bucket (early/middle/late);
 * - Test_L*_R* (Pascal Pons's sets, one score per position): how often the sign of the root value
 *   matches the sign of the exact score.
 * These are the baselines that network-guided search must beat.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { EngineError } from '../../core/index.js';
import { createUctSearch, loadGame } from '../engine.js';
import type { Game } from '../engine.js';
import { wilson } from '../elo.js';
import { percent } from '../format.js';
import { progressBar } from '../progress.js';
import type { BenchContext, BenchSection, BenchSuite } from './types.js';

interface ScoredPosition {
  readonly moves: string;
  readonly bucket: 'early' | 'middle' | 'late';
  readonly legal: number;
  readonly optimal: readonly number[];
  readonly wdlOptimal: readonly number[];
}

const BUCKETS = ['early', 'middle', 'late'] as const;
const TEST_SETS = ['Test_L3_R1', 'Test_L2_R1', 'Test_L2_R2', 'Test_L1_R1', 'Test_L1_R2', 'Test_L1_R3'] as const;

function readLines(path: string): string[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new EngineError('IO_ERROR', `cannot read benchmark data ${path} (set ARBOR_SHARED to the shared folder)`, { cause: e });
  }
  return text.split('\n').filter((l) => l.trim() !== '');
}

export function loadScoredMoves(path: string): ScoredPosition[] {
  return readLines(path).map((line, i) => {
    const where = `${path}:${i + 1}`;
    let o: Record<string, unknown>;
    try {
      o = JSON.parse(line) as Record<string, unknown>;
    } catch (e) {
      throw new EngineError('PARSE_ERROR', `${where}: not JSON`, { cause: e });
    }
    const { moves, bucket, optimal, wdl_optimal: wdl, scores } = o;
    const intList = (x: unknown) => Array.isArray(x) && x.every((v) => Number.isInteger(v));
    if (typeof moves !== 'string' || !BUCKETS.includes(bucket as never) || !intList(optimal) || !intList(wdl) || typeof scores !== 'object' || scores === null) {
      throw new EngineError('PARSE_ERROR', `${where}: expected {moves, bucket, scores, optimal, wdl_optimal}`);
    }
    return { moves, bucket: bucket as ScoredPosition['bucket'], legal: Object.keys(scores).length, optimal: optimal as number[], wdlOptimal: wdl as number[] };
  });
}

/** Every k-th item so a sample spreads over the file's order (plies, buckets). */
function spread<T>(xs: readonly T[], n: number): T[] {
  if (n >= xs.length) return [...xs];
  return Array.from({ length: n }, (_, i) => xs[Math.floor((i * xs.length) / n)]!);
}

/** "62.0% [57.7, 66.1]": a rate with its 95% Wilson interval (sensible at 0% and 100% too). */
function rate(k: number, n: number): string {
  if (n === 0) return 'n/a';
  const [lo, hi] = wilson(k / n, n);
  return `${percent(k / n)} [${(100 * lo).toFixed(1)}, ${(100 * hi).toFixed(1)}]`;
}

async function bestColumn<S>(game: Game<S>, state: S, sims: number, seed: number): Promise<{ column: number; value: number }> {
  const search = createUctSearch(game, { seed });
  const r = await search.search(state, { simulations: sims });
  const value = r.proven === 'win' ? 1 : r.proven === 'loss' ? -1 : r.proven === 'draw' ? 0 : r.value;
  return { column: Number(game.actionToString(r.action)), value };
}

async function movesSection(ctx: BenchContext, game: Game<unknown>, simsList: readonly number[]): Promise<BenchSection> {
  const all = loadScoredMoves(join(ctx.sharedDir, 'bench', 'connect4', 'scored-moves.jsonl'));
  const perBucket = ctx.quick ? 20 : Infinity;
  const sample = BUCKETS.flatMap((b) => spread(all.filter((p) => p.bucket === b), perBucket));
  const rows: Record<string, string | number>[] = [];
  // The exact expectation of a uniformly random legal move, on the same sample.
  for (const b of [...BUCKETS, 'all'] as const) {
    const ps = sample.filter((p) => b === 'all' || p.bucket === b);
    const opt = ps.reduce((s, p) => s + p.optimal.length / p.legal, 0);
    const keep = ps.reduce((s, p) => s + p.wdlOptimal.length / p.legal, 0);
    rows.push({ player: 'random (expected)', bucket: b, positions: ps.length, optimal: percent(opt / ps.length), 'result-keeping': percent(keep / ps.length) });
  }
  for (const sims of simsList) {
    const hits = new Map<string, { n: number; opt: number; keep: number }>();
    const bar = progressBar({ total: sample.length, label: `uct ${sims} sims`, enabled: true });
    let ms = 0;
    for (let i = 0; i < sample.length; i++) {
      const p = sample[i]!;
      const t0 = performance.now();
      const { column } = await bestColumn(game, game.fromNotation(p.moves), sims, 1000 + i);
      ms += performance.now() - t0;
      for (const key of [p.bucket, 'all']) {
        const h = hits.get(key) ?? { n: 0, opt: 0, keep: 0 };
        h.n++;
        if (p.optimal.includes(column)) h.opt++;
        if (p.wdlOptimal.includes(column)) h.keep++;
        hits.set(key, h);
      }
      bar.update(i + 1);
    }
    bar.stop();
    for (const b of [...BUCKETS, 'all']) {
      const h = hits.get(b) ?? { n: 0, opt: 0, keep: 0 };
      rows.push({ player: `uct:sims=${sims}`, bucket: b, positions: h.n, optimal: rate(h.opt, h.n), 'result-keeping': rate(h.keep, h.n) });
    }
    ctx.log(`  uct ${sims} sims: ${sample.length} positions in ${(ms / 1000).toFixed(1)} s`);
  }
  return {
    title: 'Connect Four move quality vs the solver (scored-moves.jsonl): share of optimal and of result-keeping moves',
    rows,
    notes: [
      ctx.quick
        ? `QUICK: a sample of ${perBucket} positions per bucket, spread over plies (${sample.length} of ${all.length}); run without --quick for all`
        : `all ${all.length} positions (early ply 4-12, middle 13-24, late 25-36)`,
      'one fresh search per position (no tree reuse), seed fixed per position; [low, high] is a 95% Wilson interval',
    ],
  };
}

interface ValueRun {
  readonly sims: number;
  /** Positions per Test set (each file has 1000). */
  readonly perFile: number;
}

async function valueSection(ctx: BenchContext, game: Game<unknown>, runs: readonly ValueRun[]): Promise<BenchSection> {
  const rows: Record<string, string | number>[] = [];
  const files = TEST_SETS.map((file) => {
    const path = join(ctx.sharedDir, 'bench', 'connect4', file);
    return { file, path, lines: readLines(path) };
  });
  for (const run of runs) {
    let totalPositions = 0;
    let totalDecisive = 0;
    let totalRight = 0;
    for (const { file, path, lines } of files) {
      const sample = spread(lines, run.perFile);
      let decisive = 0;
      let right = 0;
      let draws = 0;
      let drawsNearZero = 0;
      const bar = progressBar({ total: sample.length, label: `${file} ${run.sims} sims`, enabled: true });
      for (let i = 0; i < sample.length; i++) {
        const [moves, scoreText] = sample[i]!.split(' ');
        const score = Number(scoreText);
        if (moves === undefined || !Number.isInteger(score)) throw new EngineError('PARSE_ERROR', `${path}: bad line '${sample[i]}'`);
        const { value } = await bestColumn(game, game.fromNotation(moves), run.sims, 2000 + i);
        if (score === 0) {
          draws++;
          if (Math.abs(value) < 0.2) drawsNearZero++;
        } else {
          decisive++;
          if (Math.sign(value) === Math.sign(score)) right++;
        }
        bar.update(i + 1);
      }
      bar.stop();
      totalPositions += sample.length;
      totalDecisive += decisive;
      totalRight += right;
      rows.push({
        set: file,
        sims: run.sims,
        positions: sample.length,
        decisive,
        'sign accuracy': rate(right, decisive),
        draws,
        'draws with |v| < 0.2': draws === 0 ? 'n/a' : percent(drawsNearZero / draws),
      });
    }
    rows.push({ set: 'all', sims: run.sims, positions: totalPositions, decisive: totalDecisive, 'sign accuracy': rate(totalRight, totalDecisive), draws: '', 'draws with |v| < 0.2': '' });
    ctx.log(`  value sign, ${run.sims} sims: ${totalPositions} positions`);
  }
  return {
    title: 'Connect Four value sign vs exact scores (Pons Test_L*_R* sets), uct',
    rows,
    notes: [
      `positions per set of 1000, spread evenly through each file: ${runs.map((r) => `${r.perFile} at ${r.sims} sims`).join(', ')}${ctx.quick ? ' (QUICK sample)' : ''}`,
      'sign accuracy: sign of the root value (exact when the solver proved it) = sign of the exact score, over won/lost positions',
      "draws: share of drawn positions whose value is within 0.2 of 0 (rollout values rarely sit at exactly 0)",
    ],
  };
}

export const strengthSuite: BenchSuite = {
  name: 'strength',
  async run(ctx) {
    const game = loadGame('connect4');
    const valueRuns = ctx.quick
      ? [
          { sims: 1_000, perFile: 25 },
          { sims: 10_000, perFile: 10 },
        ]
      : [
          { sims: 1_000, perFile: 1000 },
          { sims: 10_000, perFile: 100 },
        ];
    return [await movesSection(ctx, game, [1_000, 10_000]), await valueSection(ctx, game, valueRuns)];
  },
};
