import { describe, it, expect } from 'vitest';
import { resolveConfig, defaultConfig } from '../../src/train/config.js';

describe('training config', () => {
  it('defaults validate for every game', () => {
    for (const g of ['tictactoe', 'connect4']) expect(resolveConfig(g, undefined, 'defaults')).toEqual(defaultConfig(g));
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
});
