import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sharedDir } from '../../src/core/index.js';
import { processGroupAlive, replayStandInCommand, type ReplCommand } from '../../src/lean/index.js';

export const leanReplFixtures = (): string => join(sharedDir(), 'fixtures', 'lean-repl');
export const kiminaFixtures = (): string => join(sharedDir(), 'fixtures', 'kimina-lean-server');

export interface TranscriptCase {
  /** e.g. `proof_step` or `Mathlib/exact`. */
  readonly name: string;
  readonly inFile: string;
  readonly outFile: string;
}

/** Every recorded pair (top level and Mathlib/), and the inputs without a recording. */
export function transcriptCases(): { cases: TranscriptCase[]; unrecorded: string[] } {
  const root = leanReplFixtures();
  const cases: TranscriptCase[] = [];
  const unrecorded: string[] = [];
  for (const sub of ['', 'Mathlib']) {
    const dir = join(root, sub);
    for (const f of readdirSync(dir).sort()) {
      if (!f.endsWith('.in')) continue;
      const base = f.slice(0, -3);
      const name = sub === '' ? base : `${sub}/${base}`;
      const outFile = join(dir, `${base}.expected.out`);
      if (existsSync(outFile)) cases.push({ name, inFile: join(dir, f), outFile });
      else unrecorded.push(name);
    }
  }
  return { cases, unrecorded };
}

/** Requests as the REPL reads them: lines up to a blank line, trailing whitespace stripped, joined. */
export function recordedRequests(file: string): unknown[] {
  const out: unknown[] = [];
  let cur: string[] = [];
  const flush = (): void => {
    const joined = cur.join('');
    cur = [];
    if (joined !== '' && !joined.startsWith('#') && !joined.startsWith('--')) out.push(JSON.parse(joined));
  };
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (line.trim() === '') flush();
    else cur.push(line.replace(/\s+$/, ''));
  }
  flush();
  return out;
}

/** Recorded responses, parsed (documents separated by blank lines). */
export function recordedResponses(file: string): unknown[] {
  return readFileSync(file, 'utf8')
    .split(/\n[ \t]*\n/)
    .filter((t) => t.trim() !== '')
    .map((t) => JSON.parse(t) as unknown);
}

/** The stand-in replaying these transcripts one after another, strictly. */
export function strictReplay(...cs: TranscriptCase[]): ReplCommand {
  return replayStandInCommand(cs.flatMap((c) => ['--transcript', c.inFile, c.outFile]));
}

export const fakeReplPath = fileURLToPath(new URL('./stand-ins/fake-repl.mjs', import.meta.url));

export function fakeRepl(...args: string[]): ReplCommand {
  return { command: process.execPath, args: [fakeReplPath, ...args] };
}

/** Is a process, or any member of the group it leads, still running? Zombies count as gone. */
export function pidAlive(pid: number): boolean {
  if (processGroupAlive(pid)) return true;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

export async function waitUntil(cond: () => boolean, what: string, limitMs = 10_000): Promise<void> {
  const t0 = Date.now();
  while (!cond()) {
    if (Date.now() - t0 > limitMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
