import { existsSync, readFileSync, promises as fs } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '../core/index.js';
import { renderSvg, type Series } from './plot.js';

export interface MatchSummary {
  readonly score: number;
  readonly wins: number;
  readonly draws: number;
  readonly losses: number;
  readonly games: number;
}

export interface MetricsLine {
  readonly time: string;
  readonly elapsedSec: number;
  readonly generation: number;
  readonly games: number;
  readonly samples: number;
  readonly trainSteps: number;
  readonly selfPlay: { games: number; firstPlayerWins: number; ms: number; gamesPerHour: number };
  readonly trainMs: number;
  readonly losses: { total: number; policy: number; value: number; l2: number } | null;
  readonly best: string;
  readonly eval: {
    gating?: MatchSummary;
    scored?: { positions: number; optimal: number; resultKeeping: number };
    [uct: `uct${number}`]: MatchSummary;
  };
}

/** One JSON object per line, appended; a torn last line (killed mid-write) is skipped on read. */
export async function appendMetrics(dir: string, line: MetricsLine): Promise<void> {
  await fs.appendFile(join(dir, 'metrics.jsonl'), JSON.stringify(line) + '\n');
}

export function readMetrics(dir: string): MetricsLine[] {
  const file = join(dir, 'metrics.jsonl');
  if (!existsSync(file)) return [];
  const out: MetricsLine[] = [];
  for (const l of readFileSync(file, 'utf8').split('\n')) {
    if (l.trim() === '') continue;
    try {
      out.push(JSON.parse(l) as MetricsLine);
    } catch {
      // torn line from a kill mid-append
    }
  }
  return out;
}

export async function writePlot(dir: string, lines: readonly MetricsLine[], title: string): Promise<void> {
  const hours = (l: MetricsLine): number => l.elapsedSec / 3600;
  const strength: Series[] = [];
  const scored = lines.filter((l) => l.eval.scored);
  if (scored.length) {
    strength.push({ name: 'optimal moves', points: scored.map((l) => [hours(l), l.eval.scored!.optimal]) });
    strength.push({ name: 'result-keeping', points: scored.map((l) => [hours(l), l.eval.scored!.resultKeeping]) });
  }
  const uctKeys = [...new Set(lines.flatMap((l) => Object.keys(l.eval).filter((k) => k.startsWith('uct'))))];
  for (const k of uctKeys) {
    const pts = lines.filter((l) => (l.eval as Record<string, MatchSummary>)[k]).map((l) => [hours(l), (l.eval as Record<string, MatchSummary>)[k]!.score] as const);
    strength.push({ name: `score vs ${k.replace('uct', 'uct:sims=')}`, points: pts });
  }
  const withLoss = lines.filter((l) => l.losses);
  const losses: Series[] = [
    { name: 'policy loss', points: withLoss.map((l) => [hours(l), l.losses!.policy]) },
    { name: 'value loss', points: withLoss.map((l) => [hours(l), l.losses!.value]) },
  ];
  const svg = renderSvg(
    [
      { title: 'Strength', xLabel: 'training time (hours)', series: strength },
      { title: 'Losses', xLabel: 'training time (hours)', series: losses },
    ],
    title,
  );
  await writeFileAtomic(join(dir, 'training.svg'), svg);
}
