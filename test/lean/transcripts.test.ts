// The real client (framing, zod parsing, tagged unions) against what Lean really prints: every
// recorded transcript of ../shared/fixtures/lean-repl, replayed byte for byte by the stand-in,
// which also checks that every request the client sends equals the recorded one.
// One stand-in process replays all cases in sequence (spawning one per case costs seconds of CPU);
// if a case kills it (a mismatch ends the stand-in), the next case starts a fresh one.
import { afterAll, describe, expect, it } from 'vitest';
import { parseRequest, ReplProcess, responseToWire, type ReplResponse } from '../../src/lean/index.js';
import { recordedRequests, recordedResponses, strictReplay, transcriptCases } from './helpers.js';

const { cases, unrecorded } = transcriptCases();

describe('recorded transcripts replayed through ReplProcess', () => {
  it('finds every recorded case (55 top-level + 16 Mathlib) and knows the unreplayable ones', () => {
    expect(cases.length).toBe(71);
    // No recorded output exists for these (upstream skips them too), so they cannot be replayed.
    expect(unrecorded).toEqual(['pickle_scoped_notation', 'pickle_scoped_notation_2', 'Mathlib/H20231214']);
  });

  let proc: ReplProcess | undefined;
  let nextCase = -1;
  afterAll(async () => {
    await proc?.close();
    expect(proc?.alive ?? false).toBe(false);
  });

  it.each(cases.map((c, k) => [c.name, k] as const))('%s', async (_name, k) => {
    const c = cases[k]!;
    const requests = recordedRequests(c.inFile);
    const expected = recordedResponses(c.outFile);
    expect(requests.length).toBe(expected.length);
    if (proc === undefined || !proc.alive || nextCase !== k) {
      proc?.kill();
      proc = await ReplProcess.start({ ...strictReplay(...cases.slice(k)), requestTimeoutMs: 20_000 });
    }
    nextCase = k + 1;
    {
      for (let i = 0; i < requests.length; i++) {
        const req = parseRequest(requests[i]);
        const res: ReplResponse = await proc.request(req);
        const want = expected[i] as Record<string, unknown>;
        // The tag agrees with the shape Lean printed...
        const wantKind = 'message' in want && !('env' in want) && !('proofState' in want) ? 'error' : 'proofState' in want && 'goals' in want ? 'tactic' : 'command';
        expect(res.kind, `response #${i + 1}`).toBe(wantKind);
        // ...and nothing was lost or invented on the way.
        expect(responseToWire(res), `response #${i + 1}`).toEqual(want);
      }
    }
  });
});
