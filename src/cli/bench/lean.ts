/**
 * The Lean bridge's own overhead: requests/s through the REPL pool against the replay stand-in
 * (src/lean/testing/replay-repl.mjs answering every request recorded in
 * ../shared/fixtures/lean-repl with Lean's recorded bytes), so the client is measured, not Lean:
 * framing, JSON parse, zod validation, scheduling, process I/O. Rates at 1 and N workers; client
 * CPU per request is this process's CPU time only (the stand-ins run in their own processes).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { LeanPool, ReplProcess, parseRequest, replayStandInCommand, splitReplInput, type ReplRequest } from '../../lean/index.js';
import type { BenchContext, BenchSection, BenchSuite } from './types.js';

function cpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

/** Every request of the top-level recorded transcripts (the ones the stand-in can answer). */
function recordedRequests(dir: string): ReplRequest[] {
  const out: ReplRequest[] = [];
  for (const f of readdirSync(dir).sort()) {
    if (!f.endsWith('.in')) continue;
    try {
      readFileSync(join(dir, f.replace(/\.in$/, '.expected.out')));
    } catch {
      continue; // no recording: the stand-in cannot answer it
    }
    for (const text of splitReplInput(readFileSync(join(dir, f), 'utf8'))) out.push(parseRequest(JSON.parse(text)));
  }
  return out;
}

/** Requests run before timing: JIT and zod warm up (the first few hundred cost several times more). */
const WARMUP = 300;

interface Row {
  readonly [k: string]: string | number;
}

async function throughPool(standIn: ReturnType<typeof replayStandInCommand>, workers: number, requests: readonly ReplRequest[], total: number): Promise<Row> {
  const pool = new LeanPool({ ...standIn, workers, maxQueue: 4 * workers, onQueueFull: 'wait' });
  try {
    await pool.warmup();
    for (let i = 0; i < WARMUP; i++) await pool.request(requests[i % requests.length]!);
    // Keep every worker fed: a window of 2 requests per worker in flight.
    let next = 0;
    let answered = 0;
    const w0 = performance.now();
    const c0 = cpuMs();
    const lane = async (): Promise<void> => {
      while (next < total) {
        const req = requests[next++ % requests.length]!;
        await pool.request(req);
        answered++;
      }
    };
    await Promise.all(Array.from({ length: 2 * workers }, lane));
    const wallS = (performance.now() - w0) / 1000;
    const cpu = cpuMs() - c0;
    return {
      path: 'pool',
      workers,
      requests: answered,
      'requests/s': Math.round(answered / wallS),
      'client CPU µs/request': Math.round((cpu * 1000) / answered),
    };
  } finally {
    await pool.close();
  }
}

async function direct(standIn: ReturnType<typeof replayStandInCommand>, requests: readonly ReplRequest[], total: number): Promise<Row> {
  const proc = await ReplProcess.start(standIn);
  try {
    for (let i = 0; i < WARMUP; i++) await proc.request(requests[i % requests.length]!);
    const w0 = performance.now();
    const c0 = cpuMs();
    for (let i = 0; i < total; i++) await proc.request(requests[i % requests.length]!);
    const wallS = (performance.now() - w0) / 1000;
    return {
      path: 'ReplProcess (no pool)',
      workers: 1,
      requests: total,
      'requests/s': Math.round(total / wallS),
      'client CPU µs/request': Math.round(((cpuMs() - c0) * 1000) / total),
    };
  } finally {
    await proc.close();
  }
}

export const leanBridgeSuite: BenchSuite = {
  name: 'lean',
  async run(ctx: BenchContext): Promise<readonly BenchSection[]> {
    const dir = join(ctx.sharedDir, 'fixtures', 'lean-repl');
    const requests = recordedRequests(dir);
    const standIn = replayStandInCommand(['--dir', dir]);
    const total = ctx.quick ? 2000 : 20_000;
    const n = Math.max(2, Math.min(4, cpus().length));
    const rows: Row[] = [];
    ctx.log(`lean: ${requests.length} recorded requests, ${total} per run`);
    rows.push(await direct(standIn, requests, total));
    ctx.log(`lean: direct ${JSON.stringify(rows.at(-1))}`);
    for (const workers of [1, n]) {
      rows.push(await throughPool(standIn, workers, requests, total));
      ctx.log(`lean: pool ${JSON.stringify(rows.at(-1))}`);
    }
    return [
      {
        title: 'Lean bridge overhead: recorded REPL answers replayed by a stand-in',
        rows,
        notes: [
          `Workload: the ${requests.length} requests of the recorded lean-repl transcripts, cycled; each answer is Lean's recorded text, framed, JSON-parsed and zod-validated.`,
          'requests/s is wall time (the stand-ins are separate processes, so it also measures them and the machine load); client CPU is this process only.',
          `The stand-in is src/lean/testing/replay-repl.mjs (resolved from the source checkout); ${cpus().length} CPUs here.`,
        ],
      },
    ];
  },
};
