/**
 * The `arbor` command end to end: spawns `node bin/arbor.js` (dist/ is built by `npm test`
 * before vitest runs; run `npm run build` first when running this file alone).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { packageRoot } from '../../src/core/index.js';

const root = packageRoot();
const bin = join(root, 'bin', 'arbor.js');

function arbor(args: readonly string[], input?: string): { code: number; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [bin, ...args], { cwd: root, input: input ?? '', encoding: 'utf8', timeout: 120_000 });
  if (r.error) throw r.error;
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

// Each test spawns several node processes; on a loaded machine that takes a while.
describe('arbor (built CLI)', { timeout: 180_000 }, () => {
  it('is built', () => {
    expect(existsSync(join(root, 'dist', 'cli', 'main.js')), 'run `npm run build` first').toBe(true);
  });

  it('prints help for the program and for each command', () => {
    const top = arbor(['--help']);
    expect(top.code).toBe(0);
    for (const name of ['play', 'match', 'analyse', 'bench']) {
      expect(top.stdout).toContain(name);
      const h = arbor([name, '--help']);
      expect(h.code, name).toBe(0);
      expect(h.stdout, name).toContain(`arbor ${name}`);
      expect(h.stdout, name).toMatch(/Examples:/);
    }
  });

  it('exits 2 with a clear message on command-line mistakes', () => {
    const cases: [string[], RegExp][] = [
      [['frobnicate'], /unknown command 'frobnicate'/],
      [['match', 'connect4', '--a', 'uct:sims=10', '--b', 'random', '--gmaes', '3'], /Unknown option '--gmaes'/],
      [['match', 'connect4', '--a', 'uct:sims=10'], /--b SPEC is required/],
      [['match', 'connect4', '--a', 'uct:sims=ten', '--b', 'random'], /player spec 'uct:sims=ten': sims=ten: sims must be an integer/],
      [['match', 'connect4', '--a', 'uct', '--b', 'random', '--games', '0'], /--games must be an integer between 1 and 1000000; got '0'/],
      [['match', 'chess', '--a', 'uct', '--b', 'random'], /unknown game 'chess'/],
      [['analyse', 'connect4', '--moves', '4453x'], /--moves '4453x'/],
      [['analyse', 'connect4', '--sims', '1.5'], /--sims must be an integer; got '1.5'/],
      [['analyse', 'connect4', '--sims', '-5'], /Option '--sims' argument is ambiguous/],
      [['play', 'connect4', '--first', 'nobody'], /--first must be one of human, bot; got 'nobody'/],
      [['bench', 'nosuch'], /unknown bench suite 'nosuch'/],
    ];
    for (const [args, message] of cases) {
      const r = arbor(args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr, args.join(' ')).toMatch(message);
      expect(r.stdout, args.join(' ')).toBe('');
    }
  });

  it('names a missing az model (exit 1)', () => {
    const r = arbor(['match', 'connect4', '--a', 'az:model=nowhere,sims=10', '--b', 'random', '--games', '1']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/BAD_CHECKPOINT.*nowhere/);
  });

  it('analyse --json finds a Connect Four win in one', () => {
    // X has three in column 5 (plies 0, 2, 4) and is to move: column 5 wins at once (and
    // column 4 must be blocked otherwise, so a search that misses the win does not stumble on it).
    const r = arbor(['analyse', 'connect4', '--moves', '545454', '--sims', '400', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines).toHaveLength(1);
    const out = JSON.parse(lines[0]!) as { move: string; value: number; visits: Record<string, number>; pv: string[] };
    expect(out.move).toBe('5');
    expect(out.value).toBeGreaterThan(0.9);
    expect(out.value).toBeLessThanOrEqual(1);
    expect(Object.keys(out.visits).sort()).toEqual(['1', '2', '3', '4', '5', '6', '7']);
    for (const n of Object.values(out.visits)) expect(Number.isInteger(n) && n >= 0).toBe(true);
    expect(out.pv[0]).toBe('5');
  });

  it('analyse prints a human table', () => {
    const r = arbor(['analyse', 'connect4', '--moves', '545454', '--sims', '200', '--model', 'none']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/move\s+visits\s+share\s+Q\s+prior\s+proven/);
    expect(r.stdout).toMatch(/\n\s+5\s+\d+\s+[\d.]+%\s+\+1\.000\s+0\.143\s+win\n/);
    expect(r.stdout).toMatch(/Value for the side to move: \+1\.000 \(proven win\)/);
    expect(r.stdout).toMatch(/Best move: 5/);
    expect(r.stdout).toMatch(/Principal variation: 5/);
  });

  it('match --json reports a small run', () => {
    const r = arbor(['match', 'tictactoe', '--a', 'perfect', '--b', 'random', '--games', '6', '--seed', '3', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as Record<string, unknown> & {
      wins: number; draws: number; losses: number; score: number;
      byColour: { aFirst: { games: number }; aSecond: { games: number } };
      results: { aFirst: boolean }[];
    };
    expect(out).toMatchObject({ game: 'tictactoe', a: 'perfect', b: 'random', games: 6, seed: 3 });
    expect(out.wins + out.draws + out.losses).toBe(6);
    expect(out.losses).toBe(0); // perfect play never loses
    expect(out.score).toBeCloseTo((out.wins + out.draws / 2) / 6, 12);
    expect(out.byColour.aFirst.games).toBe(3);
    expect(out.byColour.aSecond.games).toBe(3);
    expect(out.results.map((g) => g.aFirst)).toEqual([true, false, true, false, true, false]);
    expect(r.stderr).toBe(''); // no progress bar without a terminal
    // The same seed gives the same games.
    const again = JSON.parse(arbor(['match', 'tictactoe', '--a', 'perfect', '--b', 'random', '--games', '6', '--seed', '3', '--json']).stdout) as typeof out;
    expect(again.results).toEqual(out.results);
  });

  it('match prints W/D/L, Elo and the per-colour table', () => {
    const r = arbor(['match', 'tictactoe', '--a', 'perfect', '--b', 'perfect', '--games', '2', '--seed', '1']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/A plays\s+games\s+A wins\s+draws\s+A losses\s+A score/);
    expect(r.stdout).toMatch(/Elo difference A - B: 0 {3}95% interval \[-\d+, \+\d+\]/);
  });

  it('play takes piped moves, explains bad input, and finishes the game', () => {
    // Trying cells 1..9 in order always finds a free cell: rejected ones are re-asked.
    const r = arbor(['play', 'tictactoe', '--bot', 'perfect', '--seed', '5'], 'x\n10\nmoves\n1\n2\n3\n4\n5\n6\n7\n8\n9\n');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/'x' is not a move: .*Legal moves: 1 2 3 4 5 6 7 8 9/);
    expect(r.stdout).toMatch(/'10' is not a move/);
    expect(r.stdout).toMatch(/Bot plays [1-9]/);
    expect(r.stdout).toMatch(/(Draw\.|Bot \(perfect\) wins\.)\nMoves: [1-9]{5,9}\n$/);
  });

  it('play with the bot first, and a game cut short by the end of input', () => {
    const r = arbor(['play', 'connect4', '--first', 'bot', '--sims', '50', '--seed', '2'], '4\n');
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/Bot plays [1-7]/);
    expect(r.stdout).toContain('1 2 3 4 5 6 7');
    expect(r.stderr).toMatch(/input ended before the game did/);
  });

  it('prove and check run the kernel in a worker whose stack takes proofs nested 1,000 deep', () => {
    // Ten pigeons, nine holes: the proof has about 1,000 nested steps, deeper than the main
    // thread's stack lets the kernel's term walks go (it reported "nesting too deep" there).
    const n = 9;
    const o = (i: number, j: number): string => `o${i}_${j}`;
    const atoms: string[] = [];
    for (let i = 1; i <= n + 1; i++) for (let j = 1; j <= n; j++) atoms.push(o(i, j));
    const hyps = Array.from({ length: n + 1 }, (_, i) => `(${Array.from({ length: n }, (_, j) => o(i + 1, j + 1)).join(' ∨ ')})`);
    const clash: string[] = [];
    for (let j = 1; j <= n; j++) for (let i = 1; i <= n + 1; i++) for (let k = i + 1; k <= n + 1; k++) clash.push(`(${o(i, j)} ∧ ${o(k, j)})`);
    const dir = mkdtempSync(join(tmpdir(), 'arbor-php-'));
    const input = join(dir, 'php.lean');
    const out = join(dir, 'php.proved.lean');
    writeFileSync(input, `theorem php9 (${atoms.join(' ')} : Prop) : ${hyps.join(' → ')} → ${clash.join(' ∨ ')} := by sorry\n`);
    const r = arbor(['prove', input, '--intuitionistic', '--json', '--time', '60', '--out', out]);
    expect(r.code, r.stderr).toBe(0);
    const rep = JSON.parse(r.stdout.trim()) as { status: string; verified: boolean; proof: string };
    expect(rep).toMatchObject({ status: 'proved', verified: true });
    expect(rep.proof.split('\n').length).toBeGreaterThan(900);
    const c = arbor(['check', out, '--intuitionistic', '--json']);
    expect(c.code, c.stderr).toBe(0);
    expect(JSON.parse(c.stdout.trim())).toMatchObject({ name: 'php9', status: 'verified', axioms: [] });
    expect(readFileSync(out, 'utf8')).not.toContain('sorry');
  });

  it('bench lists its suites', () => {
    const r = arbor(['bench', '--list']);
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n')).toEqual(expect.arrayContaining(['search', 'strength']));
    // `npm run bench` runs the same command after the build (it once ran a module that only exports main).
    const script = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts.bench!;
    const cmd = script.replace(/^npm run build && /, '');
    expect(cmd).not.toBe(script);
    const viaNpm = spawnSync(`${cmd} --list`, { cwd: root, shell: true, encoding: 'utf8', timeout: 60_000 });
    expect(viaNpm.stdout.split('\n')).toEqual(expect.arrayContaining(['search', 'strength']));
  });
});
