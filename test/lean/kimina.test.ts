// Real Lean verdicts (Kimina Lean Server, 102 whole-file checks with Mathlib): the schema reads
// every recorded answer, the compile judgement passes exactly the proofs Lean passed, and
// any answer with an error, a sorry, or the sorry warning (old or new wording) is rejected.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { commandResponseSchema, judgeCompilation, splitLeanHeader, type ReplMessage } from '../../src/lean/index.js';
import { kiminaFixtures } from './helpers.js';

interface KiminaCase {
  readonly name: string;
  readonly source: string;
  readonly error: string | null;
  readonly response: Record<string, unknown> | null;
}

const cases: KiminaCase[] = readdirSync(join(kiminaFixtures(), 'output'))
  .filter((f) => f.endsWith('.json'))
  .sort()
  .map((f) => {
    const name = f.slice(0, -5);
    const body = JSON.parse(readFileSync(join(kiminaFixtures(), 'output', f), 'utf8')) as { results: { error: string | null; response: Record<string, unknown> | null }[] };
    expect(body.results.length).toBe(1);
    const r = body.results[0]!;
    return { name, source: readFileSync(join(kiminaFixtures(), 'input', `${name}.lean`), 'utf8'), error: r.error, response: r.response };
  });

// The server's answers may lack `env` (it discarded environments) and add `time`.
const kiminaResponse = commandResponseSchema.partial({ env: true });

function parsed(c: KiminaCase) {
  const { time: _time, ...rest } = c.response!;
  return kiminaResponse.parse(rest);
}

const passing = cases.filter((c) => c.response !== null);

describe('Kimina Lean Server verdicts', () => {
  it('has 102 cases: 98 answered, 4 timed out', () => {
    expect(cases.length).toBe(102);
    expect(passing.length).toBe(98);
    expect(cases.filter((c) => c.error === 'Lean process timed out').map((c) => c.name)).toEqual([
      'goedel-lean_workbook_10036',
      'goedel-lean_workbook_10090',
      'goedel-lean_workbook_10303',
      'goedel-lean_workbook_1036',
    ]);
  });

  it('every answered proof parses and is judged a complete proof, as Lean judged it', () => {
    let withMessages = 0;
    for (const c of passing) {
      const res = parsed(c);
      if ((res.messages ?? []).length > 0) withMessages++;
      expect(judgeCompilation(res), c.name).toEqual({ kind: 'ok' });
    }
    expect(withMessages).toBe(43);
  });

  it('the header split matches the server: body line + offset is the file line (checked on "tactic does nothing")', () => {
    let checked = 0;
    for (const c of passing) {
      const split = splitLeanHeader(c.source);
      if (c.name.startsWith('goedel-')) {
        expect(split.header).toBe('import Mathlib\nimport Aesop');
        expect(split.lineOffset).toBe(3);
      }
      const lines = c.source.split('\n');
      for (const m of parsed(c).messages ?? []) {
        const tactic = /^'(\w+)[^']*' tactic does nothing/.exec(m.data)?.[1];
        if (tactic === undefined) continue;
        const line = lines[m.pos.line + split.lineOffset - 1]!;
        expect(line.slice(m.pos.column), `${c.name}:${m.pos.line}`).toMatch(new RegExp(`^${tactic}`));
        checked++;
      }
    }
    expect(checked).toBe(59);
  });

  it('any error, sorry, or sorry warning turns a passing answer into a rejection that says why', () => {
    const at = { line: 3, column: 2 };
    const mutations = {
      error: (r: ReturnType<typeof parsed>) => ({ ...r, messages: [...(r.messages ?? []), { severity: 'error' as const, pos: at, endPos: at, data: 'unsolved goals' }] }),
      sorry: (r: ReturnType<typeof parsed>) => ({ ...r, sorries: [{ goal: '⊢ False', proofState: 0, pos: at, endPos: at }] }),
      oldWarning: (r: ReturnType<typeof parsed>) => ({ ...r, messages: [...(r.messages ?? []), warning("declaration uses 'sorry'")] }),
      newWarning: (r: ReturnType<typeof parsed>) => ({ ...r, messages: [warning('declaration uses `sorry`'), ...(r.messages ?? [])] }),
    };
    const reasons = { error: /1 error: 3:2: error: unsolved goals/, sorry: /contains sorry/, oldWarning: /uses sorry/, newWarning: /uses sorry/ };
    fc.assert(
      fc.property(fc.constantFrom(...passing), fc.constantFrom(...(Object.keys(mutations) as (keyof typeof mutations)[])), (c, kind) => {
        const j = judgeCompilation(mutations[kind](parsed(c)));
        expect(j.kind).toBe('rejected');
        if (j.kind === 'rejected') expect(j.reason).toMatch(reasons[kind]);
      }),
      { numRuns: 200 },
    );
  });
});

function warning(data: string): ReplMessage {
  return { severity: 'warning', pos: { line: 1, column: 8 }, endPos: { line: 1, column: 12 }, data };
}
