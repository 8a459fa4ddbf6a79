// Protocol pieces on everything the recordings contain: framing under any chunking, request
// classification and encoding, response validation errors, proofStatus, tactic judgement, goals.
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  encodeRequest,
  judgeAxioms,
  judgeTacticResponse,
  LeanProtocolError,
  parseAxioms,
  parseGoal,
  parseProofStatus,
  parseRequest,
  parseResponse,
  requestToWire,
  ResponseFramer,
  type ReplResponse,
} from '../../src/lean/index.js';
import { recordedRequests, recordedResponses, transcriptCases } from './helpers.js';

const { cases } = transcriptCases();
const outputs = cases.map((c) => readFileSync(c.outFile));

/** Every recorded (request, parsed response) pair. */
const pairs = cases.flatMap((c) => {
  const reqs = recordedRequests(c.inFile).map(parseRequest);
  const ress = recordedResponses(c.outFile);
  return reqs.map((req, i) => ({ name: `${c.name}#${i + 1}`, req, res: parseResponse(req.kind, ress[i]) }));
});

describe('framing', () => {
  it('any split of the recorded bytes (even inside a UTF-8 character) gives the same documents', () => {
    fc.assert(
      fc.property(fc.nat(outputs.length - 1), fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 12 }), (k, cuts) => {
        const bytes = outputs[k]!;
        const points = [...new Set(cuts.map((c) => Math.floor(c * bytes.length)))].sort((a, b) => a - b);
        const framer = new ResponseFramer();
        const docs: string[] = [];
        let prev = 0;
        for (const p of [...points, bytes.length]) {
          docs.push(...framer.push(bytes.subarray(prev, p)));
          prev = p;
        }
        expect(docs.map((d) => JSON.parse(d) as unknown)).toEqual(recordedResponses(cases[k]!.outFile));
        expect(framer.remainder.trim()).toBe('');
      }),
      { numRuns: 300 },
    );
  });

  it('tolerates extra blank lines and CRLF, and counts the pending document size', () => {
    const f = new ResponseFramer();
    expect(f.push(Buffer.from('\n\n{"env":\r\n 1}\r\n\r\n\n{"env"'))).toEqual(['{"env":\r\n 1}\r\n']);
    expect(f.pendingBytes).toBe(6);
    expect(f.push(Buffer.from(': 2}\n\n'))).toEqual(['{"env": 2}\n']);
  });
});

describe('requests', () => {
  it('classifies every recorded request and encodes it as one line plus a blank line', () => {
    const kinds = new Set<string>();
    for (const { req } of pairs) {
      kinds.add(req.kind);
      const line = encodeRequest(req);
      expect(line.endsWith('\n\n')).toBe(true);
      expect(line.slice(0, -2)).not.toContain('\n');
      expect(parseRequest(JSON.parse(line))).toEqual(req);
    }
    expect([...kinds].sort()).toEqual(['command', 'file', 'pickleEnv', 'pickleProofState', 'tactic', 'unpickleEnv', 'unpickleProofState']);
  });

  it('rejects malformed requests with a reason', () => {
    expect(() => parseRequest({ cmd: 3 })).toThrow(/invalid command request/);
    expect(() => parseRequest({ tactic: 'rfl' })).toThrow(/proofState/);
    expect(() => parseRequest({ foo: 1 })).toThrow(/unknown REPL request kind with keys \[foo\]/);
    expect(() => parseRequest([1])).toThrow(LeanProtocolError);
    expect(requestToWire({ kind: 'tactic', tactic: 'rfl', proofState: 2 })).toEqual({ tactic: 'rfl', proofState: 2 });
  });
});

describe('responses', () => {
  it('names what is wrong in an invalid answer', () => {
    const bad = (kind: Parameters<typeof parseResponse>[0], v: unknown): string => {
      try {
        parseResponse(kind, v);
      } catch (e) {
        expect(e).toBeInstanceOf(LeanProtocolError);
        return (e as Error).message;
      }
      throw new Error('accepted');
    };
    expect(bad('command', { messages: [] })).toMatch(/environment response to command request: .*env/);
    expect(bad('tactic', { proofState: 1, goals: 'x' })).toMatch(/proof-state response to tactic request: .*goals/);
    expect(bad('command', { env: 0, messages: [{ severity: 'fatal', pos: { line: 1, column: 0 }, data: '' }] })).toMatch(/messages\[0\]\.severity|severity/);
    expect(bad('command', 'hello')).toMatch(/not a JSON object: "hello"/);
    expect(bad('command', { message: 5 })).toMatch(/error response/);
  });

  it('every recorded proofStatus is understood; only "Completed" is completion', () => {
    const seen = new Map<string, string>();
    for (const { res } of pairs) if (res.kind === 'tactic' && res.proofStatus !== undefined) seen.set(res.proofStatus.split(':')[0]!, parseProofStatus(res.proofStatus).kind);
    expect(Object.fromEntries(seen)).toEqual({ Completed: 'completed', Incomplete: 'incomplete', Error: 'error' });
    expect(parseProofStatus('Not verified: more than one initial goal')).toEqual({ kind: 'notVerified', reason: 'more than one initial goal' });
    expect(parseProofStatus(undefined).kind).toBe('unknown');
    expect(parseProofStatus('Something new').kind).toBe('unknown');
  });

  it('tactic judgement: empty goals without "Completed" is never progress; errors and sorries fail', () => {
    let traps = 0;
    for (const { name, res } of pairs) {
      if (res.kind === 'command') continue;
      const j = judgeTacticResponse(res);
      if (res.kind === 'tactic' && res.goals.length === 0 && res.proofStatus !== 'Completed') {
        traps++;
        expect(j.kind, name).toBe('failed');
      }
      if (res.kind === 'tactic' && (res.messages ?? []).some((m) => m.severity === 'error')) expect(j.kind, name).toBe('failed');
      if (j.kind === 'progress' && j.goals.length === 0) expect(res.kind === 'tactic' && res.proofStatus, name).toBe('Completed');
    }
    expect(traps).toBeGreaterThanOrEqual(3); // invalid_tactic, app_type_mismatch2, Mathlib/20240209, ...
    const byName = (n: string) => pairs.find((p) => p.name === n)!.res as ReplResponse & { kind: 'tactic' | 'error' };
    expect(judgeTacticResponse(byName('app_type_mismatch2#5'))).toMatchObject({ kind: 'failed', reason: expect.stringMatching(/kernel type check failed/) });
    expect(judgeTacticResponse(byName('app_type_mismatch2#6'))).toMatchObject({ kind: 'failed', reason: 'the tactic leaves a sorry' });
    expect(judgeTacticResponse(byName('readme#3'))).toMatchObject({ kind: 'progress', completed: true, goals: [] });
    expect(judgeTacticResponse(byName('unknown_tactic#2'))).toEqual({ kind: 'parseError', message: '1:1: unknown tactic' });
    // A REPL from before proofStatus existed: no verdict here (verify decides), never "completed".
    expect(judgeTacticResponse({ kind: 'tactic', proofState: 3, goals: [] })).toMatchObject({ kind: 'progress', completed: undefined });
    expect(judgeTacticResponse({ kind: 'tactic', proofState: 3, goals: [], proofStatus: 'Incomplete: open goals remain' }).kind).toBe('failed');
  });
});

describe('goals', () => {
  it('parses every recorded goal into hypotheses and a target', () => {
    const texts = pairs.flatMap(({ res }) => (res.kind === 'tactic' ? res.goals : res.kind === 'command' ? (res.sorries ?? []).map((s) => s.goal) : []));
    expect(texts.length).toBeGreaterThan(50);
    for (const t of texts) {
      const g = parseGoal(t);
      expect(g.target, t).not.toBe('');
      for (const h of g.hyps) expect(h.name, t).not.toBe('');
    }
    expect(parseGoal('case succ\nn✝ : Nat\n⊢ n✝ + 1 = 0')).toMatchObject({ caseName: 'succ', hyps: [{ name: 'n✝', type: 'Nat' }], target: 'n✝ + 1 = 0' });
    expect(parseGoal('P Q R : Prop\nh1 : P → Q\n⊢ P →\n    R').hyps.map((h) => h.name)).toEqual(['P', 'Q', 'R', 'h1']);
    expect(parseGoal('x : Nat\n⊢ P →\n    R').target).toBe('P →\n    R');
  });
});

describe('axioms', () => {
  it('reads both forms of #print axioms and judges them against the allowed list', () => {
    expect(parseAxioms("'foo' depends on axioms: [propext,\n Classical.choice, Quot.sound]")).toEqual({ name: 'foo', axioms: ['propext', 'Classical.choice', 'Quot.sound'] });
    expect(parseAxioms("'Nat.foo' does not depend on any axioms")).toEqual({ name: 'Nat.foo', axioms: [] });
    expect(parseAxioms('something else')).toBeUndefined();
    const msg = (data: string) => ({ severity: 'info' as const, pos: { line: 1, column: 0 }, data });
    expect(judgeAxioms([msg("'A.foo' depends on axioms: [propext]")], 'foo')).toEqual({ kind: 'ok', axioms: ['propext'] });
    expect(judgeAxioms([msg("'foo' depends on axioms: [sorryAx]")], 'foo')).toMatchObject({ kind: 'rejected', reason: expect.stringMatching(/not allowed: sorryAx/) });
    expect(judgeAxioms([], 'foo')).toMatchObject({ kind: 'rejected', reason: expect.stringMatching(/0 axiom reports/) });
  });
});
