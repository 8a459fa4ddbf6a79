import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { EngineError, Rng, sharedDir } from '../core/index.js';
import type { Action, Game } from '../games/index.js';
import type { Agent } from './agents.js';

/** One solver-scored position of shared/bench/connect4/scored-moves.jsonl. */
export interface ScoredPosition {
  readonly moves: string;
  readonly bucket: string;
  /** 1-based columns with the best score. */
  readonly optimal: readonly number[];
  /** 1-based columns that keep the game-theoretic result (win/draw/loss). */
  readonly resultKeeping: readonly number[];
}

export function loadScoredPositions(file = join(sharedDir(), 'bench', 'connect4', 'scored-moves.jsonl')): ScoredPosition[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new EngineError('IO_ERROR', `cannot read the scored Connect Four positions at ${file} (set ARBOR_SHARED to the shared data folder)`, { cause: e });
  }
  return text
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l, i) => {
      const o = JSON.parse(l) as { moves: string; bucket: string; optimal: number[]; wdl_optimal: number[] };
      if (typeof o.moves !== 'string' || !Array.isArray(o.optimal) || !Array.isArray(o.wdl_optimal)) {
        throw new EngineError('IO_ERROR', `${file}:${i + 1}: not a scored position`);
      }
      return { moves: o.moves, bucket: o.bucket, optimal: o.optimal, resultKeeping: o.wdl_optimal };
    });
}

/** An evenly spread, seed-fixed sample (all positions when n >= total). */
export function samplePositions(all: readonly ScoredPosition[], n: number, seed = 12345): ScoredPosition[] {
  if (n >= all.length) return [...all];
  return new Rng(seed).shuffle([...all]).slice(0, n);
}

export interface MoveRates {
  readonly positions: number;
  readonly optimal: number;
  readonly resultKeeping: number;
  readonly byBucket: Record<string, { positions: number; optimal: number; resultKeeping: number }>;
}

/** The rate of optimal and of result-keeping moves the agent picks. Agents are made fresh per position. */
export async function scoreMoves<S>(
  game: Game<S>,
  positions: readonly ScoredPosition[],
  makeAgent: (i: number) => Agent<S>,
  inFlight = 1,
  onProgress?: (done: number) => void,
): Promise<MoveRates> {
  const buckets: Record<string, { positions: number; optimal: number; resultKeeping: number }> = {};
  let opt = 0;
  let keep = 0;
  let next = 0;
  let done = 0;
  const runner = async (): Promise<void> => {
    while (next < positions.length) {
      const i = next++;
      const p = positions[i]!;
      const s = game.fromNotation(p.moves);
      const { action } = await makeAgent(i).chooseAction(s);
      const col = Number(game.actionToString(action as Action));
      const b = (buckets[p.bucket] ??= { positions: 0, optimal: 0, resultKeeping: 0 });
      b.positions++;
      if (p.optimal.includes(col)) {
        opt++;
        b.optimal++;
      }
      if (p.resultKeeping.includes(col)) {
        keep++;
        b.resultKeeping++;
      }
      onProgress?.(++done);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(inFlight, positions.length)) }, runner));
  const n = positions.length;
  const byBucket: MoveRates['byBucket'] = {};
  for (const [k, v] of Object.entries(buckets)) byBucket[k] = { positions: v.positions, optimal: v.optimal / v.positions, resultKeeping: v.resultKeeping / v.positions };
  return { positions: n, optimal: n ? opt / n : NaN, resultKeeping: n ? keep / n : NaN, byBucket };
}
