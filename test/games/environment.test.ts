import { Mcts } from '../../src/mcts/index.js';
import { describe, expect, it } from 'vitest';
import { EngineError, Rng } from '../../src/core/index.js';
import { connectFour, gameEnvironment, getGame, listGames, rolloutEvaluator, ticTacToe } from '../../src/games/index.js';
import type { Game } from '../../src/games/index.js';

describe('gameEnvironment', () => {
  const env = gameEnvironment(connectFour);

  it('is a two-player environment whose nodes say who moves or how it ended', () => {
    expect(env.numPlayers).toBe(2);
    expect(env.node(connectFour.initialState())).toEqual({ kind: 'decision', player: 0 });
    expect(env.node(connectFour.fromNotation('4'))).toEqual({ kind: 'decision', player: 1 });
    expect(env.node(connectFour.fromNotation('1212121'))).toEqual({ kind: 'terminal', returns: [1, -1] });
    expect(env.node(connectFour.fromNotation('41212121'))).toEqual({ kind: 'terminal', returns: [-1, 1] });
  });

  it('steps synchronously; an illegal action is a dead edge, not a crash', () => {
    const step = env.step(connectFour.fromNotation('44'), 2);
    expect(step).toMatchObject({ kind: 'ok' });
    if (!('state' in step)) throw new Error('expected ok');
    expect(connectFour.toNotation(step.state)).toBe('443');
    const full = env.step(connectFour.fromNotation('444444'), 3);
    expect(full).toMatchObject({ kind: 'dead' });
    expect('reason' in full && full.reason).toContain('column 4 is full');
    expect(env.step(connectFour.fromNotation('1212121'), 0)).toMatchObject({ kind: 'dead' });
  });

  it('lets errors that are bugs propagate', () => {
    const broken: Game<unknown> = {
      ...(ticTacToe as Game<unknown>),
      apply: () => {
        throw new TypeError('boom');
      },
    };
    expect(() => gameEnvironment(broken).step(ticTacToe.initialState(), 0)).toThrow('boom');
  });

  it('keys transpositions alike', () => {
    expect(env.key!(connectFour.fromNotation('4453'))).toBe(env.key!(connectFour.fromNotation('5344')));
  });
});

describe('rolloutEvaluator', () => {
  it('gives uniform priors over the legal actions and one playout value from the mover’s view', () => {
    const s = connectFour.fromNotation('4444443'); // O to move, column 4 full
    const [e] = rolloutEvaluator(connectFour, new Rng(5)).evaluate([s]) as readonly { actions: readonly number[]; priors: Float32Array; value: number }[];
    expect(e!.actions).toEqual([0, 1, 2, 4, 5, 6]);
    expect([...e!.priors]).toEqual(new Array(6).fill(Math.fround(1 / 6)));
    // The same seed gives the same playout; the value is the entry of the player to move (O).
    expect(e!.value).toBe(connectFour.playout(s, new Rng(5))[1]);
  });

  it('values a forced ending exactly: a winning last cell is +1, a drawing one 0', () => {
    const ev = rolloutEvaluator(ticTacToe, new Rng(1));
    const [win, draw] = ev.evaluate([ticTacToe.fromNotation('12345687'), ticTacToe.fromNotation('12345769')]) as readonly { value: number; actions: readonly number[] }[];
    expect(win!.actions).toEqual([8]);
    expect(win!.value).toBe(1);
    expect(draw!.value).toBe(0);
  });

  it('evaluates batches in order with uniform priors that a search leaves untouched', async () => {
    const ev = rolloutEvaluator(ticTacToe, new Rng(2));
    const states = ['', '5', '51', '519'].map((m) => ticTacToe.fromNotation(m));
    const out = ev.evaluate(states) as readonly { actions: readonly number[]; priors: Float32Array }[];
    expect(out.map((e) => e.actions.length)).toEqual([9, 8, 7, 6]);
    for (const e of out) expect(e.priors.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 6);
    // Priors are shared per action count (the search never writes them, even with root noise).
    const mcts = new Mcts({ env: gameEnvironment(ticTacToe), evaluator: ev, dirichlet: { alpha: 0.3, epsilon: 0.25 }, seed: 1 });
    await mcts.search(ticTacToe.initialState(), { simulations: 200 });
    const again = ev.evaluate([states[0]!]) as readonly { priors: Float32Array }[];
    expect(Array.from(again[0]!.priors)).toEqual(new Array(9).fill(Math.fround(1 / 9)));
  });

  it('refuses a finished game with BAD_ARGUMENT', () => {
    const ev = rolloutEvaluator(ticTacToe, new Rng(3));
    expect(() => ev.evaluate([ticTacToe.fromNotation('14253')])).toThrow(EngineError);
  });
});

describe('game registry', () => {
  it('finds games by name and alias, in any case', () => {
    expect(getGame('connect4')).toBe(connectFour);
    for (const n of ['connect-four', 'C4', ' Connect_Four ']) expect(getGame(n)).toBe(connectFour);
    for (const n of ['tictactoe', 'ttt', 'Tic-Tac-Toe']) expect(getGame(n)).toBe(ticTacToe);
  });

  it('lists the games with their aliases', () => {
    expect(listGames().map((e) => e.name)).toEqual(['tictactoe', 'connect4']);
    expect(listGames().find((e) => e.name === 'connect4')!.aliases).toContain('c4');
    for (const e of listGames()) expect(e.game.info.name).toBe(e.name);
  });

  it('names the known games when the name is unknown', () => {
    let caught: unknown;
    try {
      getGame('chess');
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(EngineError);
    expect((caught as EngineError).code).toBe('UNKNOWN_GAME');
    expect((caught as EngineError).message).toMatch(/'chess'.*connect4.*tictactoe|'chess'.*tictactoe.*connect4/);
  });
});
