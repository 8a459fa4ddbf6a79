import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it, expect } from 'vitest';
import { resolveConfig, defaultConfig, configAt, describePhase } from '../../src/train/config.js';

describe('training config', () => {
  it('defaults validate for every game', () => {
    for (const g of ['tictactoe', 'connect4']) expect(resolveConfig(g, undefined, 'defaults')).toEqual(defaultConfig(g));
  });
  it('the Connect Four defaults are the config of the run that produced the shipped model', () => {
    // models/connect4/README.md reproduces the model with the defaults alone.
    const path = join(import.meta.dirname, '..', '..', 'models', 'connect4', 'run', 'config.json');
    expect(resolveConfig('connect4', JSON.parse(readFileSync(path, 'utf8')), path)).toEqual(defaultConfig('connect4'));
  });
  it('merges partial overrides deeply', () => {
    const c = resolveConfig('connect4', { selfPlay: { simulations: 400 } }, 'cfg.json');
    expect(c.selfPlay.simulations).toBe(400);
    expect(c.selfPlay.cPuct).toBe(defaultConfig('connect4').selfPlay.cPuct);
  });
  it('names each bad field and the file', () => {
    expect(() => resolveConfig('connect4', { selfPlay: { simulations: -3 }, train: { batchSize: 'big' } }, 'my.json')).toThrow(
      /my\.json.*selfPlay\.simulations.*train\.batchSize/,
    );
    expect(() => resolveConfig('connect4', { bogus: 1 }, 'my.json')).toThrow(/bogus/);
    expect(() => resolveConfig('connect4', { game: 'tictactoe' }, 'my.json')).toThrow(/not 'connect4'/);
  });
  it('applies phases from their generation on, later phases winning', () => {
    const c = resolveConfig(
      'tictactoe',
      {
        phases: [
          { fromGeneration: 10, train: { learningRate: 0.0001 } },
          { fromGeneration: 5, selfPlay: { simulations: 50, valueQWeight: 0.5 }, train: { learningRate: 0.001 } },
        ],
      },
      'cfg.json',
    );
    expect(configAt(c, 4).selfPlay.simulations).toBe(96);
    expect(configAt(c, 4).train.learningRate).toBe(0.003);
    expect(configAt(c, 5).selfPlay).toMatchObject({ simulations: 50, valueQWeight: 0.5, cPuct: 1.5 });
    expect(configAt(c, 7).train.learningRate).toBe(0.001);
    expect(configAt(c, 10).train.learningRate).toBe(0.0001);
    expect(configAt(c, 10).selfPlay.simulations).toBe(50);
  });
  it('rejects phase fields that cannot change mid-run, naming them', () => {
    expect(() => resolveConfig('connect4', { phases: [{ fromGeneration: 3, train: { windowSamples: 10 } }] }, 'p.json')).toThrow(/p\.json.*phases\.0\.train.*windowSamples/);
    expect(() => resolveConfig('connect4', { phases: [{ fromGeneration: 0 }] }, 'p.json')).toThrow(/phases\.0\.fromGeneration/);
  });
  it('playout cap randomization needs fastSimulations wherever fullSearchProbability < 1', () => {
    expect(() => resolveConfig('connect4', { selfPlay: { fullSearchProbability: 0.25 } }, 'c.json')).toThrow(/c\.json.*selfPlay\.fastSimulations.*generation 1/);
    expect(() => resolveConfig('connect4', { phases: [{ fromGeneration: 4, selfPlay: { fullSearchProbability: 0.5 } }] }, 'c.json')).toThrow(/generation 4/);
    const c = resolveConfig('connect4', { phases: [{ fromGeneration: 4, selfPlay: { fullSearchProbability: 0.25, fastSimulations: 100, simulations: 600 } }] }, 'c.json');
    expect(configAt(c, 4).selfPlay).toMatchObject({ fullSearchProbability: 0.25, fastSimulations: 100, simulations: 600 });
    expect(configAt(c, 3).selfPlay.fullSearchProbability).toBe(1);
    // A later phase that does not mention it keeps it (no default filled into the phase).
    const d = resolveConfig('connect4', { phases: [{ fromGeneration: 4, selfPlay: { fullSearchProbability: 0.25, fastSimulations: 100 } }, { fromGeneration: 8, selfPlay: { simulations: 300 } }] }, 'c.json');
    expect(configAt(d, 9).selfPlay).toMatchObject({ fullSearchProbability: 0.25, simulations: 300 });
  });

  it('playoutPolicy is tactical or random, tactical by default, and kept by later phases that do not name it', () => {
    expect(resolveConfig('connect4', {}, 'c.json').selfPlay.playoutPolicy).toBe('tactical');
    expect(() => resolveConfig('connect4', { selfPlay: { playoutPolicy: 'smart' } }, 'c.json')).toThrow(/c\.json.*selfPlay\.playoutPolicy/);
    const c = resolveConfig('connect4', { phases: [{ fromGeneration: 4, selfPlay: { playoutPolicy: 'random' } }, { fromGeneration: 8, selfPlay: { simulations: 300 } }] }, 'c.json');
    expect(configAt(c, 3).selfPlay.playoutPolicy).toBe('tactical');
    expect(configAt(c, 9).selfPlay).toMatchObject({ playoutPolicy: 'random', simulations: 300 });
  });

  it('describes a phase for the training log', () => {
    const c = resolveConfig('connect4', { phases: [{ fromGeneration: 4, selfPlay: { playoutPolicy: 'random' }, train: { learningRate: 0.0001 } }, { fromGeneration: 5 }] }, 'c.json');
    expect(describePhase(c.phases[0]!)).toBe('selfPlay.playoutPolicy=random, train.learningRate=0.0001');
    expect(describePhase(c.phases[1]!)).toBe('(no overrides)');
  });

  it('playoutMix is a share in [0, 1], off by default, and kept by later phases that do not name it', () => {
    expect(resolveConfig('connect4', {}, 'c.json').selfPlay.playoutMix).toBe(0);
    expect(() => resolveConfig('connect4', { selfPlay: { playoutMix: 1.5 } }, 'c.json')).toThrow(/c\.json.*selfPlay\.playoutMix/);
    const c = resolveConfig('connect4', { phases: [{ fromGeneration: 4, selfPlay: { playoutMix: 0.5 } }, { fromGeneration: 8, selfPlay: { simulations: 300 } }] }, 'c.json');
    expect(configAt(c, 3).selfPlay.playoutMix).toBe(0);
    expect(configAt(c, 9).selfPlay).toMatchObject({ playoutMix: 0.5, simulations: 300 });
  });
});
