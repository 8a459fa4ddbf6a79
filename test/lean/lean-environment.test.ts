// LeanEnvironment (src/proof) driven against recorded Lean answers: strict replays check that it
// sends exactly the requests Lean's own tests sent, and that it reads the answers (including the
// "goals: [] is not a proof" trap) into the right results; table stand-ins cover verify's paths.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { LeanEnvironment, theoremText, type ProofState, type TacticResult } from '../../src/proof/index.js';
import { replayStandInCommand } from '../../src/lean/index.js';
import { pidAlive, strictReplay, transcriptCases } from './helpers.js';

const { cases } = transcriptCases();
const byName = (name: string) => {
  const c = cases.find((x) => x.name === name);
  if (c === undefined) throw new Error(`no transcript ${name}`);
  return c;
};

const spawned: number[] = [];
const tmp = mkdtempSync(join(tmpdir(), 'arbor-lean-env-'));
afterAll(() => {
  rmSync(tmp, { recursive: true, force: true });
  for (const pid of spawned) expect(pidAlive(pid), `pid ${pid}`).toBe(false);
});

function replayEnv(name: string, header = ''): LeanEnvironment {
  return new LeanEnvironment({ repl: strictReplay(byName(name)), header, onSpawn: (p) => spawned.push(p), tacticTimeoutMs: 20_000 });
}

function ok(r: TacticResult): ProofState {
  if (r.kind !== 'success') throw new Error(`expected success, got ${JSON.stringify(r)}`);
  return r.state;
}

async function started(env: LeanEnvironment, name: string, header: string): Promise<ProofState> {
  const r = await env.start({ name, header });
  if (r.kind !== 'ok') throw new Error(`start failed: ${JSON.stringify(r)}`);
  return r.state;
}

describe('LeanEnvironment on recorded transcripts (strict replay)', () => {
  it('proof_step: start, branch from one state, complete; scripts and goals tracked', async () => {
    const env = replayEnv('proof_step');
    try {
      const s0 = await started(env, 'f', 'def f : Nat');
      expect(s0.goals).toEqual([{ hyps: [], target: 'Nat' }]);
      expect(s0.script).toEqual([]);
      const s1 = ok(await env.tryTactic(s0, 'apply Int.natAbs'));
      expect(s1.goals).toEqual([{ hyps: [], target: 'Int' }]);
      // Backtracking: the next tactic runs on s0 again, not on s1.
      const s2 = ok(await env.tryTactic(s0, 'have t : Nat := 42'));
      expect(s2.goals).toEqual([{ hyps: [{ name: 't', type: 'Nat' }], target: 'Nat' }]);
      expect(s2.key).toBe('t : Nat\n⊢ Nat');
      const s3 = ok(await env.tryTactic(s2, 'exact t'));
      expect(s3.goals).toEqual([]);
      expect(s3.script).toEqual(['have t : Nat := 42', 'exact t']);
      expect(new Set([s0.id, s1.id, s2.id, s3.id]).size).toBe(4);
    } finally {
      await env.close();
    }
  });

  it('readme: a proof completed in two steps', async () => {
    const env = replayEnv('readme');
    try {
      const s0 = await started(env, 'f', 'def f (x : Unit) : Nat');
      expect(s0.goals).toEqual([{ hyps: [{ name: 'x', type: 'Unit' }], target: 'Nat' }]);
      const s1 = ok(await env.tryTactic(s0, 'apply Int.natAbs'));
      expect(ok(await env.tryTactic(s1, 'exact -37')).goals).toEqual([]);
    } finally {
      await env.close();
    }
  });

  it('unknown_tactic: a tactic that does not parse is a parseError result', async () => {
    const env = replayEnv('unknown_tactic');
    try {
      const s0 = await started(env, 'f', 'def f : Nat');
      const r = await env.tryTactic(s0, 'exat 42');
      expect(r).toEqual({ kind: 'parseError', message: '1:1: unknown tactic' });
    } finally {
      await env.close();
    }
  });

  it('invalid_tactic: an error message on a new proof state is a failure, not progress', async () => {
    const env = replayEnv('invalid_tactic');
    try {
      const s0 = await started(env, 'my_theorem', 'theorem my_theorem (x : Nat) : x = x');
      const r = await env.tryTactic(s0, 'exact my_fake_premise');
      expect(r.kind).toBe('failure');
      if (r.kind === 'failure') expect(r.messages.map((m) => m.text)).toContain('Unknown identifier `my_fake_premise`');
    } finally {
      await env.close();
    }
  });

  it('Mathlib/20240209: goals [] with "Incomplete: contains sorry" is NOT a finished proof (the trap)', async () => {
    const env = replayEnv('Mathlib/20240209');
    try {
      const s0 = await started(env, 'example', 'example : False');
      const r = await env.tryTactic(s0, 'simpa using show False by done');
      expect(r.kind).toBe('failure');
    } finally {
      await env.close();
    }
  });

  it('Mathlib/exact: the header is run once and every job starts from its env', async () => {
    const env = replayEnv('Mathlib/exact', 'import Mathlib');
    try {
      const a = await started(env, 'test', 'theorem test : 0 < 1');
      const done = ok(await env.tryTactic(a, 'exact?'));
      expect(done.goals).toEqual([]);
      const b = await started(env, 'test', 'theorem test : 3 = 7');
      const r = await env.tryTactic(b, 'exact?');
      expect(r.kind).toBe('failure');
      if (r.kind === 'failure') expect(r.messages[0]?.text).toMatch(/could not close the goal/);
    } finally {
      await env.close();
    }
  });

  it('self_proof_check: verify rejects a proof with an error and says why', async () => {
    const env = replayEnv('self_proof_check');
    try {
      const v = await env.verify({ name: 'ex', header: 'theorem ex : False' }, ['exact?']);
      expect(v.kind).toBe('rejected');
      if (v.kind === 'rejected') expect(v.reason).toMatch(/1 error: 1:25: error: `exact\?` could not close the goal/);
    } finally {
      await env.close();
    }
  });
});

// Lean-shaped answers for a verify scenario (wording as in the recordings; `#print axioms` output as Lean prints it).
const THM = { name: 't', header: 'theorem t (p : Prop) (hp : p) : p' };
const env0 = (n: number) => `{"env": ${n}}\n\n`;
const info = (data: string, env: number) =>
  `{"messages":\n [{"severity": "info",\n   "pos": {"line": 1, "column": 0},\n   "endPos": {"line": 1, "column": 6},\n   "data": ${JSON.stringify(data)}}],\n "env": ${env}}\n\n`;
const sorryStart = `{"sorries":\n [{"proofState": 0,\n   "pos": {"line": 1, "column": 39},\n   "goal": "p : Prop\\nhp : p\\n⊢ p",\n   "endPos": {"line": 1, "column": 44}}],\n "messages":\n [{"severity": "warning",\n   "pos": {"line": 1, "column": 8},\n   "endPos": {"line": 1, "column": 9},\n   "data": "declaration uses \`sorry\`"}],\n "env": 1}\n\n`;
const completed = `{"proofStatus": "Completed", "proofState": 1, "goals": []}\n\n`;

function table(name: string, entries: { request: unknown; response?: string; hang?: boolean }[]): LeanEnvironment {
  const file = join(tmp, `${name}.json`);
  writeFileSync(file, JSON.stringify(entries));
  return new LeanEnvironment({ repl: replayStandInCommand(['--table', file]), onSpawn: (p) => spawned.push(p), tacticTimeoutMs: 20_000, verifyTimeoutMs: 20_000 });
}

function scenario(axioms: string, tacticAnswer = completed) {
  return [
    { request: { cmd: 'theorem t (p : Prop) (hp : p) : p := by exact hp' }, response: env0(0) },
    { request: { cmd: '#print axioms t', env: 0 }, response: info(axioms, 2) },
    { request: { cmd: 'theorem t (p : Prop) (hp : p) : p := by sorry' }, response: sorryStart },
    { request: { tactic: 'exact hp', proofState: 0 }, response: tacticAnswer },
  ];
}

describe('LeanEnvironment.verify', () => {
  it('builds the text with every script line indented under `by`, and names an example', () => {
    expect(theoremText(THM, ['intro h', 'cases h with\n| inl a => exact a\n| inr b => exact b']).text).toBe(
      'theorem t (p : Prop) (hp : p) : p := by\n  intro h\n  cases h with\n  | inl a => exact a\n  | inr b => exact b',
    );
    expect(theoremText({ name: '', header: 'example : True' }, ['trivial'])).toEqual({ text: 'theorem arbor_verify_example : True := by trivial', name: 'arbor_verify_example' });
  });

  it('verifies: compiles clean, allowed axioms, tactic replay Completed', async () => {
    const env = table('good', scenario("'t' depends on axioms: [propext, Classical.choice,\n Quot.sound]"));
    try {
      expect(await env.verify(THM, ['exact hp'])).toEqual({ kind: 'verified', axioms: ['propext', 'Classical.choice', 'Quot.sound'] });
    } finally {
      await env.close();
    }
  });

  it('rejects forbidden axioms (sorryAx, native_decide) and names them', async () => {
    const env = table('axioms', scenario("'t' depends on axioms: [propext, sorryAx, Lean.ofReduceBool]"));
    try {
      const v = await env.verify(THM, ['exact hp']);
      expect(v.kind).toBe('rejected');
      if (v.kind === 'rejected') expect(v.reason).toMatch(/not allowed: sorryAx, Lean\.ofReduceBool/);
      // The same answer is fine when the caller allows those axioms explicitly.
      expect((await env.verify(THM, ['exact hp'], { allowedAxioms: ['propext', 'sorryAx', 'Lean.ofReduceBool'] })).kind).toBe('verified');
    } finally {
      await env.close();
    }
  });

  it('rejects when tactic replay ends with goals [] but not Completed', async () => {
    const trap = `{"proofStatus": "Incomplete: contains metavariable(s)", "proofState": 1, "goals": []}\n\n`;
    const env = table('trap', scenario("'t' does not depend on any axioms", trap));
    try {
      const v = await env.verify(THM, ['exact hp']);
      expect(v.kind).toBe('rejected');
      if (v.kind === 'rejected') expect(v.reason).toMatch(/tactic-mode replay: step 1 .* not complete \(proofStatus: Incomplete: contains metavariable/);
    } finally {
      await env.close();
    }
  });

  it('a statement that does not elaborate is a start error with its position; a verify that times out is rejected', async () => {
    const err = `{"messages":\n [{"severity": "error",\n   "pos": {"line": 1, "column": 14},\n   "endPos": {"line": 1, "column": 17},\n   "data": "Unknown identifier \`foo\`"}],\n "env": 0}\n\n`;
    const file = join(tmp, 'start-error.json');
    writeFileSync(
      file,
      JSON.stringify([
        { request: { cmd: 'theorem t : foo := by sorry' }, response: err },
        { request: { cmd: 'theorem u : True := by trivial' }, hang: true },
      ]),
    );
    const env = new LeanEnvironment({ repl: replayStandInCommand(['--table', file]), onSpawn: (p) => spawned.push(p), verifyTimeoutMs: 1500 });
    try {
      expect(await env.start({ name: 't', header: 'theorem t : foo' })).toEqual({
        kind: 'error',
        message: 'the statement of t does not elaborate: Unknown identifier `foo`',
        line: 1,
        column: 14,
      });
      const v = await env.verify({ name: 'u', header: 'theorem u : True' }, ['trivial']);
      expect(v).toMatchObject({ kind: 'rejected', reason: expect.stringMatching(/^verification timed out: .*within 1500 ms/) });
    } finally {
      await env.close();
    }
  });

  it('rebuilds a state on a fresh process after its process died; timeouts are results', async () => {
    const entries = [...scenario("'t' does not depend on any axioms"), { request: { tactic: 'sleep', proofState: 0 }, hang: true }];
    const env = table('rebuild', entries);
    try {
      const s0 = await started(env, 't', THM.header);
      const [pid] = env.pool.livePids();
      process.kill(pid!, 'SIGKILL');
      const s1 = ok(await env.tryTactic(s0, 'exact hp'));
      expect(s1.goals).toEqual([]);
      expect(env.pool.stats().spawned).toBe(2);
      const stEnv = new LeanEnvironment({ repl: replayStandInCommand(['--table', join(tmp, 'rebuild.json')]), onSpawn: (p) => spawned.push(p), tacticTimeoutMs: 3000 });
      try {
        const t0 = await started(stEnv, 't', THM.header);
        expect(await stEnv.tryTactic(t0, 'sleep')).toEqual({ kind: 'timeout', afterMs: 3000 });
        // The killed process is replaced, the state rebuilt, and work goes on.
        expect(ok(await stEnv.tryTactic(t0, 'exact hp')).goals).toEqual([]);
      } finally {
        await stEnv.close();
      }
    } finally {
      await env.close();
    }
  });
});
