import { describe, it, expect } from 'vitest';
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const BIN = join(import.meta.dirname, '..', '..', 'bin', 'arbor.js');

// Two actor threads whose games interleave by timing; the run must not depend on it.
const config = {
  net: { kind: 'mlp', hidden: [16] },
  selfPlay: { gamesPerGeneration: 16, simulations: 12, gamesInFlight: 4, workers: 2, playoutMix: 0.5 },
  train: { stepsPerGeneration: 5, batchSize: 32, minSamples: 32 },
  eval: { everyGenerations: 100, ladderGames: 0, gatingGames: 0 },
};

async function run(dir: string, overrides: object = config): Promise<string> {
  const runDir = join(dir, 'run');
  const cfg = join(dir, 'cfg.json');
  writeFileSync(cfg, JSON.stringify(overrides));
  const child = spawn(process.execPath, [BIN, 'train', 'tictactoe', '--run', runDir, '--config', cfg, '--generations', '2'], { stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  child.stderr.on('data', (d) => (log += String(d)));
  const code = await new Promise<number | null>((r) => child.once('exit', r));
  expect(code, log).toBe(0);
  // The replay buffer's bytes in file order, then the final weights.
  const h = createHash('sha256');
  const replay = join(runDir, 'replay');
  for (const f of readdirSync(replay).filter((n) => n.endsWith('.bin')).sort()) h.update(readFileSync(join(replay, f)));
  const state = JSON.parse(readFileSync(join(runDir, 'state.json'), 'utf8')) as { latest: string };
  const ck = join(runDir, state.latest);
  for (const f of readdirSync(ck).filter((n) => n.endsWith('.bin')).sort()) h.update(readFileSync(join(ck, f)));
  return h.digest('hex');
}

describe('training runs are reproducible', () => {
  it('the same config gives the same replay buffer and weights, however the actor threads interleave', async () => {
    const a = await run(mkdtempSync(join(tmpdir(), 'arbor-det-')));
    const b = await run(mkdtempSync(join(tmpdir(), 'arbor-det-')));
    expect(a).toBe(b);
    // The actors do mix playouts into their leaf values: without them the games differ.
    const c = await run(mkdtempSync(join(tmpdir(), 'arbor-det-')), { ...config, selfPlay: { ...config.selfPlay, playoutMix: 0 } });
    expect(c).not.toBe(a);
  }, 300_000);
});
