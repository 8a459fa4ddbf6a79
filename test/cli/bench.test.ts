/** The benchmark suites' parts that decide whether their numbers mean anything (no timing here). */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EngineError, sharedDir } from '../../src/core/index.js';
import { getGame } from '../../src/games/index.js';
import { boardgameIoConnectFour, loadBoardgameIo } from '../../src/cli/bench/search.js';
import { loadScoredMoves } from '../../src/cli/bench/strength.js';

describe('strength suite data', () => {
  it('reads every scored position with its bucket', () => {
    const all = loadScoredMoves(join(sharedDir(), 'bench', 'connect4', 'scored-moves.jsonl'));
    expect(all).toHaveLength(500);
    expect(all.filter((p) => p.bucket === 'early')).toHaveLength(150);
    expect(all.filter((p) => p.bucket === 'middle')).toHaveLength(200);
    expect(all.filter((p) => p.bucket === 'late')).toHaveLength(150);
    const c4 = getGame('connect4');
    for (const p of all) {
      expect(p.legal).toBe(c4.legalActions(c4.fromNotation(p.moves)).length);
      for (const col of p.optimal) expect(p.wdlOptimal).toContain(col);
    }
  });

  it('names the file and line of a malformed record', () => {
    const dir = mkdtempSync(join(tmpdir(), 'arbor-bench-'));
    const path = join(dir, 'bad.jsonl');
    writeFileSync(path, '{"moves":"44","bucket":"early","scores":{"1":0},"optimal":[1],"wdl_optimal":[1]}\n{"moves":"44"}\n');
    try {
      loadScoredMoves(path);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(EngineError);
      expect((e as EngineError).code).toBe('PARSE_ERROR');
      expect((e as EngineError).message).toContain(`${path}:2`);
    }
  });
});

describe('boardgame.io peer', () => {
  it('plays our Connect Four rules to the real end of the game', async () => {
    const bgio = await loadBoardgameIo();
    expect(bgio, 'boardgame.io is a devDependency and should be installed here').not.toBeNull();
    const c4 = getGame('connect4');
    const def = boardgameIoConnectFour(c4, c4.fromNotation('545454'));
    const specifier = 'boardgame.io/dist/cjs/internal.js'; // untyped CommonJS entry
    const internal = (await import(specifier)) as {
      CreateGameReducer?: (o: { game: unknown }) => (s: unknown, a: unknown) => unknown;
      default?: { CreateGameReducer: (o: { game: unknown }) => (s: unknown, a: unknown) => unknown };
    };
    const reducer = (internal.CreateGameReducer ?? internal.default!.CreateGameReducer)({ game: def.game });
    type S = { ctx: { currentPlayer: string; gameover?: unknown } };
    let state = bgio!.internal.InitializeGame({ game: def.game, numPlayers: 2 }) as S;
    expect(state.ctx.gameover).toBeUndefined();
    // Column 5 (action 4) completes four in a column for the first player.
    state = reducer(state, { type: 'MAKE_MOVE', payload: { type: 'drop', args: [4], playerID: state.ctx.currentPlayer } }) as S;
    expect(state.ctx.gameover).toEqual({ winner: '0' });
    // And its MCTSBot, on these rules, finds that win.
    const start = bgio!.internal.InitializeGame({ game: def.game, numPlayers: 2 }) as S;
    const bot = new bgio!.ai.MCTSBot({ game: def.game, enumerate: def.enumerate, iterations: 300, playoutDepth: 42, seed: 1 });
    const { action } = (await bot.play(start, start.ctx.currentPlayer)) as { action: { payload: { type: string; args: number[] } } };
    expect(action.payload).toMatchObject({ type: 'drop', args: [4] });
  });
});
