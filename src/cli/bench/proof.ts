/**
 * Proof search: proved rate per topic of ../shared/problems at a fixed expansion budget, for MCTS
 * and for the best-first baseline over the same generator; and the ILTP propositional library
 * (../shared/bench/iltp) with --intuitionistic (its 139 intuitionistically valid problems) and
 * classically (its 273 valid problems), 60 s each. Every proof counted was re-verified by the
 * kernel from scratch. Also: expansions and ms per proof, tactics applied per second.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { KernelEnvironment, parseLeanFile, proveTheorems, type ProofReport, type SearchKind } from '../../proof/index.js';
import type { BenchContext, BenchSection, BenchSuite } from './types.js';

interface Problem {
  readonly name: string;
  readonly header: string;
  readonly status: string;
}

function load(path: string): Problem[] {
  return parseLeanFile(readFileSync(path, 'utf8')).flatMap((it) => (it.kind === 'theorem' ? [{ name: it.name, header: it.header, status: it.status ?? 'theorem' }] : []));
}

/** Every k-th problem, for --quick. */
function sample<T>(xs: readonly T[], n: number): T[] {
  if (xs.length <= n) return [...xs];
  const step = xs.length / n;
  return Array.from({ length: n }, (_, i) => xs[Math.floor(i * step)]!);
}

function median(xs: readonly number[]): number {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

const round = (x: number, d = 1): number | string => (Number.isFinite(x) ? Math.round(x * 10 ** d) / 10 ** d : '-');

interface RunStats {
  proved: number;
  total: number;
  wrong: number;
  reports: ProofReport[];
  tactics: number;
  ms: number;
  /** Names of the problems not proved (with their status: failed, unsupported, error). */
  failed: { name: string; status: string }[];
  /** Proved, but search and verification together took longer than the time limit. */
  late: { name: string; ms: number }[];
}

async function run(
  problems: readonly Problem[],
  o: { search: SearchKind; budget: number; timeMs: number; intuitionistic: boolean; log: (l: string) => void; label: string; propSolver?: boolean },
): Promise<RunStats> {
  const st: RunStats = { proved: 0, total: 0, wrong: 0, reports: [], tactics: 0, ms: 0, failed: [], late: [] };
  // In a kernel worker thread: long proofs nest deeper than the main thread's stack allows.
  const reports = await proveTheorems(problems, () => new KernelEnvironment({ intuitionistic: o.intuitionistic }), {
    search: o.search,
    budget: o.budget,
    timeMs: o.timeMs,
    intuitionistic: o.intuitionistic,
    workerThreads: true,
    ...(o.propSolver === false ? { generator: { propSolver: false } } : {}),
  });
  for (const [i, p] of problems.entries()) {
    const r = reports[i]!;
    st.total++;
    st.tactics += r.tactics;
    st.ms += r.ms;
    if (r.status === 'proved' && r.verified) {
      st.proved++;
      st.reports.push(r);
      if (r.ms > o.timeMs) st.late.push({ name: p.name, ms: r.ms });
      // A proof of something false (or classical-only, intuitionistically) would be a soundness bug.
      if (/unprovable/.test(p.status) || (o.intuitionistic && /classical-only/.test(p.status))) st.wrong++;
    } else st.failed.push({ name: p.name, status: r.status });
  }
  o.log(`  ${o.label} ${o.search}${o.propSolver === false ? ' (no solver)' : ''}: ${st.proved}/${st.total}`);
  return st;
}

function row(topic: string, search: string, s: RunStats, extra: Record<string, string | number> = {}): Record<string, string | number> {
  return {
    topic,
    search,
    proved: `${s.proved}/${s.total}`,
    // The time limit bounds the search; verification comes after it, so a proof can finish late.
    'in time': `${s.proved - s.late.length}/${s.total}`,
    rate: `${round((100 * s.proved) / Math.max(1, s.total))}%`,
    'expansions/proof (mean)': round(s.reports.reduce((a, r) => a + r.expansions, 0) / Math.max(1, s.reports.length)),
    'ms/proof (median)': round(median(s.reports.map((r) => r.ms)), 0),
    'tactics/s': round((1000 * s.tactics) / Math.max(1, s.ms), 0),
    unsound: s.wrong,
    ...extra,
  };
}

/** `SYJ202 ×13 (.008-.020), ...`: ILTP failures grouped by problem family (`iltp_SYJ202_1_008`). */
function byFamily(failed: readonly { name: string; status: string }[]): string {
  if (failed.length === 0) return 'none';
  const fam = new Map<string, string[]>();
  for (const f of failed) {
    const m = /^iltp_([A-Z]+\d+)_\d+(?:_(\d+))?$/.exec(f.name);
    const key = m?.[1] ?? f.name;
    fam.set(key, [...(fam.get(key) ?? []), `${m?.[2] ?? ''}${f.status === 'failed' ? '' : ` ${f.status}`}`]);
  }
  return [...fam].map(([k, v]) => `${k} ×${v.length}${v.some((x) => x !== '') ? ` (${v.join(', ')})` : ''}`).join('; ');
}

export const proofSuite: BenchSuite = {
  name: 'proof',
  async run(ctx: BenchContext): Promise<readonly BenchSection[]> {
    const dir = join(ctx.sharedDir, 'problems');
    const budget = ctx.quick ? 200 : 2000;
    const timeMs = ctx.quick ? 10_000 : 60_000;
    const perTopic = ctx.quick ? 4 : Infinity;
    const topics: { topic: string; files: string[]; intuitionistic: boolean }[] = [
      { topic: 'prop-intuitionistic (--intuitionistic)', files: ['prop-intuitionistic.lean'], intuitionistic: true },
      { topic: 'prop-classical', files: ['prop-classical.lean'], intuitionistic: false },
      { topic: 'fol', files: ['fol-intuitionistic.lean', 'fol-classical.lean'], intuitionistic: false },
      { topic: 'nat-arith', files: ['nat-arith.lean'], intuitionistic: false },
      { topic: 'non-theorems (must be 0)', files: ['non-theorems.lean'], intuitionistic: false },
    ];
    const rows: Record<string, string | number>[] = [];
    for (const t of topics) {
      const problems = sample(t.files.flatMap((f) => load(join(dir, f))), perTopic);
      // With the propositional solver macro (the default), and without it: the search proper.
      for (const propSolver of [true, false]) {
        for (const search of ['mcts', 'best-first'] as const) {
          const s = await run(problems, { search, budget, timeMs, intuitionistic: t.intuitionistic, log: ctx.log, label: t.topic, propSolver });
          rows.push(row(t.topic, `${search}${propSolver ? '' : ' (no solver)'}`, s));
        }
      }
    }
    const sections: BenchSection[] = [
      {
        title: `shared problems: proved rate per topic, ${budget} expansions and ${timeMs / 1000} s per theorem${ctx.quick ? ` (sample of ${perTopic} per topic)` : ''}`,
        rows,
        notes: ['every proof counted was re-verified from scratch by the kernel; "unsound" counts proofs of unprovable (or, intuitionistically, classical-only) statements'],
      },
    ];

    const iltp = load(join(ctx.sharedDir, 'bench', 'iltp', 'iltp-prop.lean'));
    const idx = JSON.parse(readFileSync(join(ctx.sharedDir, 'bench', 'iltp', 'index.json'), 'utf8')) as { name: string; status: string }[];
    const status = new Map(idx.map((r) => [r.name, r.status]));
    const withStatus = iltp.map((p) => ({ ...p, status: status.get(p.name) ?? p.status }));
    const iltpTime = ctx.quick ? 10_000 : 60_000;
    const n = ctx.quick ? 12 : Infinity;
    const intu = sample(
      withStatus.filter((p) => p.status === 'theorem'),
      n,
    );
    const classical = sample(
      withStatus.filter((p) => p.status === 'theorem' || p.status === 'classical-only'),
      n,
    );
    const iRows: Record<string, string | number>[] = [];
    const si = await run(intu, { search: 'mcts', budget: budget, timeMs: iltpTime, intuitionistic: true, log: ctx.log, label: 'ILTP prop --intuitionistic' });
    iRows.push(row('ILTP prop, intuitionistically valid (--intuitionistic)', 'mcts', si));
    const sc = await run(classical, { search: 'mcts', budget: budget, timeMs: iltpTime, intuitionistic: false, log: ctx.log, label: 'ILTP prop classical' });
    iRows.push(row('ILTP prop, classically valid', 'mcts', sc));
    sections.push({
      title: `ILTP propositional: ${iltpTime / 1000} s per problem${ctx.quick ? ` (sample of ${n})` : ''}`,
      rows: iRows,
      notes: [
        'targets: 90% of 139 with --intuitionistic, 90% of 273 classically (PITP: 86.9% of 274 in 600 s)',
        `not proved with --intuitionistic: ${byFamily(si.failed)}`,
        `not proved classically: ${byFamily(sc.failed)}`,
        `proved but over ${iltpTime / 1000} s with verification: ${[...si.late.map((x) => `${x.name} ${Math.round(x.ms / 1000)} s (--intuitionistic)`), ...sc.late.map((x) => `${x.name} ${Math.round(x.ms / 1000)} s`)].join(', ') || 'none'}`,
      ],
    });
    return sections;
  },
};
