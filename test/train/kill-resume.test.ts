import { describe, it, expect } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ReplayBuffer } from '../../src/train/replay-buffer.js';
import { loadCheckpoint, initBackend } from '../../src/policy/index.js';

const BIN = join(import.meta.dirname, '..', '..', 'bin', 'arbor.js');

// A deliberately tiny run: the test is about crash safety, not strength.
const tinyConfig = {
  net: { kind: 'mlp', hidden: [16] },
  selfPlay: { gamesPerGeneration: 12, simulations: 12, gamesInFlight: 4, workers: 1 },
  train: { stepsPerGeneration: 5, batchSize: 32, minSamples: 32 },
  eval: { everyGenerations: 1, ladderGames: 2, uctLadder: [20], gatingGames: 2, simulations: 8 },
};

function train(runDir: string, configFile: string, generations: number): ChildProcess {
  return spawn(process.execPath, [BIN, 'train', 'tictactoe', '--run', runDir, '--config', configFile, '--generations', String(generations)], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
}

function readState(runDir: string): { generation: number; games: number; best: string; latest: string } {
  return JSON.parse(readFileSync(join(runDir, 'state.json'), 'utf8'));
}

async function waitFor(cond: () => boolean, ms: number): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('timed out waiting for the training run');
    await new Promise((r) => setTimeout(r, 25));
  }
}

function chunks(runDir: string): number {
  const d = join(runDir, 'replay');
  return existsSync(d) ? readdirSync(d).filter((n) => n.endsWith('.bin')).length : 0;
}

async function assertIntact(runDir: string, o: { allowEmpty?: boolean } = {}): Promise<void> {
  const state = readState(runDir);
  await initBackend({ log: null });
  for (const ck of [state.best, state.latest]) {
    const { net } = await loadCheckpoint(join(runDir, ck), { expect: { game: 'tictactoe' } });
    net.dispose();
  }
  const rb = await ReplayBuffer.open(join(runDir, 'replay'), { observationSize: 27, numActions: 9, windowSamples: 1e9 });
  if (!o.allowEmpty) expect(rb.size).toBeGreaterThan(0);
}

describe('training runs survive kill -9', () => {
  it('a run killed at arbitrary moments resumes with checkpoints and replay intact', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'arbor-kill-'));
    const runDir = join(dir, 'run');
    const configFile = join(dir, 'cfg.json');
    writeFileSync(configFile, JSON.stringify(tinyConfig));
    let lastGames = 0;
    // Kill during self-play (chunks appearing), and at staggered delays after a generation ends.
    for (const [i, delayMs] of [0, 150, 400, 900].entries()) {
      const child = train(runDir, configFile, 1000);
      const before = chunks(runDir);
      await waitFor(() => existsSync(join(runDir, 'state.json')) && chunks(runDir) > before + i, 120_000);
      await new Promise((r) => setTimeout(r, delayMs));
      child.kill('SIGKILL');
      await new Promise((r) => child.once('exit', r));
      await assertIntact(runDir);
      const s = readState(runDir);
      expect(s.games).toBeGreaterThanOrEqual(lastGames);
      lastGames = s.games;
    }
    // Resume to one generation past the recorded one and finish cleanly.
    const target = readState(runDir).generation + 1;
    const child = train(runDir, configFile, target);
    let stderr = '';
    child.stderr!.on('data', (d) => (stderr += String(d)));
    const code = await new Promise<number | null>((r) => child.once('exit', r));
    expect(code, stderr).toBe(0);
    expect(stderr).toMatch(/resumed at generation/);
    const end = readState(runDir);
    expect(end.generation).toBe(target);
    expect(end.games).toBeGreaterThan(lastGames);
    await assertIntact(runDir);
    const metrics = readFileSync(join(runDir, 'metrics.jsonl'), 'utf8').trim().split('\n');
    expect(metrics.length).toBeGreaterThanOrEqual(1);
    expect(existsSync(join(runDir, 'training.svg'))).toBe(true);
  }, 300_000);

  it('refuses a second trainer on the same run directory and stops promptly on SIGINT', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'arbor-lock-'));
    const runDir = join(dir, 'run');
    const configFile = join(dir, 'cfg.json');
    writeFileSync(configFile, JSON.stringify(tinyConfig));
    const first = train(runDir, configFile, 1000);
    await waitFor(() => existsSync(join(runDir, 'state.json')), 120_000);
    const second = train(runDir, configFile, 1000);
    let err = '';
    second.stderr!.on('data', (d) => (err += String(d)));
    const code2 = await new Promise<number | null>((r) => second.once('exit', r));
    expect(code2).not.toBe(0);
    expect(err).toMatch(/in use by another arbor train \(pid \d+\)/);
    let firstErr = '';
    first.stderr!.on('data', (d) => (firstErr += String(d)));
    first.kill('SIGINT');
    const [code1, signal1] = await new Promise<[number | null, string | null]>((r) => first.once('exit', (c, sig) => r([c, sig])));
    expect({ code1, signal1 }, firstErr).toEqual({ code1: 0, signal1: null });
    expect(firstErr).toMatch(/stopping: games in flight are dropped/);
    expect(existsSync(join(runDir, 'run.lock'))).toBe(false);
    await assertIntact(runDir, { allowEmpty: true });
  }, 300_000);
});
