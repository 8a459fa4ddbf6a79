import { describe, it, expect, beforeAll } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PolicyNetwork, initBackend, saveCheckpoint } from '../../src/policy/index.js';

const root = join(import.meta.dirname, '..', '..');
const bin = join(root, 'bin', 'arbor.js');
const run = (args: string[]) => spawnSync(process.execPath, [bin, ...args], { cwd: root, encoding: 'utf8', timeout: 120_000 });

// A small untrained tic-tac-toe net: these tests are about wiring, not strength.
let model = '';
beforeAll(async () => {
  await initBackend({ log: null });
  const net = PolicyNetwork.create({ game: 'tictactoe', observationShape: [3, 3, 3], numActions: 9, arch: { kind: 'mlp', hidden: [16] } }, { seed: 3 });
  model = join(mkdtempSync(join(tmpdir(), 'arbor-az-')), 'ck');
  await saveCheckpoint(net, model);
  net.dispose();
});

describe('az players in the CLI', () => {
  it('analyse --model searches with the network and prints the JSON shape', () => {
    const r = run(['analyse', 'tictactoe', '--moves', '1425', '--model', model, '--sims', '200', '--json']);
    expect(r.status, r.stderr).toBe(0);
    const o = JSON.parse(r.stdout) as { move: string; value: number; visits: Record<string, number>; pv: string[] };
    // X completes 1-2-3: the solver finds the win in one whatever the net says.
    expect(o.move).toBe('3');
    expect(Object.values(o.visits).reduce((a, b) => a + b, 0)).toBeGreaterThan(0);
    expect(o.value).toBeGreaterThanOrEqual(-1);
  });

  it('match plays az:model=... against another bot', () => {
    const r = run(['match', 'tictactoe', '--a', `az:model=${model},sims=30`, '--b', 'random', '--games', '2', '--json']);
    expect(r.status, r.stderr).toBe(0);
    const o = JSON.parse(r.stdout) as { games: number };
    expect(o.games).toBe(2);
  });

  it('names the file when the model is missing or for another game', () => {
    const missing = run(['analyse', 'tictactoe', '--model', join(model, 'nope'), '--sims', '10']);
    expect(missing.status).not.toBe(0);
    expect(missing.stderr).toMatch(/BAD_CHECKPOINT.*nope/);
    const wrong = run(['analyse', 'connect4', '--model', model, '--sims', '10']);
    expect(wrong.status).not.toBe(0);
    expect(wrong.stderr).toMatch(/BAD_CHECKPOINT/);
    expect(wrong.stderr).toMatch(/tictactoe/);
  });
});
