import { describe, it, expect } from 'vitest';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getGame, solveTicTacToe, type TicTacToeState } from '../../src/games/index.js';
import { loadInferenceEngine, initBackend } from '../../src/policy/index.js';
import { azAgent } from '../../src/train/index.js';

const BIN = join(import.meta.dirname, '..', '..', 'bin', 'arbor.js');

/**
 * The training loop's end-to-end check that CI can afford: a default tic-tac-toe run learns
 * perfect play. "Perfect" is checked exhaustively: the trained agent, playing either side, faces
 * every possible reply at every turn, and must never lose.
 */
describe('tic-tac-toe training', () => {
  it('reaches perfect play within a few CPU-minutes', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'arbor-ttt-'));
    const runDir = join(dir, 'run');
    const cfg = join(dir, 'cfg.json');
    writeFileSync(cfg, JSON.stringify({ eval: { ladderGames: 0 } }));
    const child = spawn(process.execPath, [BIN, 'train', 'tictactoe', '--run', runDir, '--generations', '20', '--config', cfg], { stdio: ['ignore', 'ignore', 'pipe'] });
    let log = '';
    child.stderr.on('data', (d) => (log += String(d)));
    const code = await new Promise<number | null>((r) => child.once('exit', r));
    expect(code, log).toBe(0);

    const state = JSON.parse(readFileSync(join(runDir, 'state.json'), 'utf8')) as { best: string };
    await initBackend({ log: null });
    const { engine } = await loadInferenceEngine(join(runDir, state.best));
    const game = getGame('tictactoe') as unknown as import('../../src/games/index.js').Game<TicTacToeState>;
    let decisions = 0;
    const mistakes: string[] = [];
    const explore = async (s: TicTacToeState, me: number): Promise<void> => {
      if (game.isTerminal(s)) return;
      if (game.toMove(s) === me) {
        decisions++;
        const before = solveTicTacToe(s).value;
        const { action } = await azAgent(game, engine, { simulations: 800, seed: 1, batchSize: 1 }).chooseAction(s);
        const next = game.apply(s, action);
        const after = game.isTerminal(next) ? game.returns(next)[me]! : -solveTicTacToe(next).value;
        // A lost position is never reached from a drawn or won one (wins may be converted slowly).
        if (after < 0 && before >= 0) mistakes.push(`${game.toNotation(s) || '(start)'}: played ${game.actionToString(action)} (${before} -> ${after})`);
        await explore(next, me);
      } else {
        for (const a of game.legalActions(s)) await explore(game.apply(s, a), me);
      }
    };
    await explore(game.initialState(), 0);
    await explore(game.initialState(), 1);
    await engine.dispose();
    expect(decisions).toBeGreaterThan(500);
    expect(mistakes).toEqual([]);
  }, 600_000);
});
