import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initBackend, PolicyNetwork, saveCheckpoint } from '../../src/policy/index.js';
import { startServer } from '../../src/server/index.js';
import type { Analysis, ArborServer, GameView } from '../../src/server/index.js';
import { TestClient } from './client.js';

/** Network bots: a tiny tic-tac-toe checkpoint made here, served from a models directory. */
let server: ArborServer;
let modelsDir: string;

beforeAll(async () => {
  modelsDir = mkdtempSync(join(tmpdir(), 'arbor-models-'));
  await initBackend({ log: null });
  const net = PolicyNetwork.create({ game: 'tictactoe', observationShape: [3, 3, 3], numActions: 9, arch: { kind: 'mlp', hidden: [16] } }, { seed: 5 });
  await saveCheckpoint(net, join(modelsDir, 'ttt-tiny'));
  server = await startServer({ host: '127.0.0.1', port: 0, seed: 2, modelsDir });
});
afterAll(async () => {
  await server?.close();
  rmSync(modelsDir, { recursive: true, force: true });
});

describe('server: az bots', () => {
  it('plays with a checkpoint from the models directory, through one shared evaluator', async () => {
    const c = await TestClient.connect(server.wsUrl);
    expect((await c.request({ type: 'hello' }))['models']).toEqual([{ name: 'ttt-tiny', game: 'tictactoe' }]);
    const games: GameView[] = [];
    for (let i = 0; i < 2; i++) {
      const r = await c.request({ type: 'create', game: 'tictactoe', bot: 'az:model=ttt-tiny,sims=40', first: 'bot' });
      expect(r.type, JSON.stringify(r)).toBe('game');
      games.push(r['game'] as GameView);
    }
    // Two games think at once; their leaves share batches of one network evaluator.
    const replies = await Promise.all(games.map((g) => c.request({ type: 'bot_move', gameId: g.gameId })));
    for (const r of replies) {
      expect(r.type, JSON.stringify(r)).toBe('bot_move');
      const a = r['analysis'] as Analysis;
      expect(a.simulations).toBe(40);
      expect(a.moves).toHaveLength(9);
      // Priors come from the network, not the uniform 1/9 of rollouts.
      expect(a.moves.some((m) => Math.abs(m.prior - 1 / 9) > 1e-3)).toBe(true);
    }
    const evs = server.health().evaluators.filter((e) => e.name.startsWith('net:'));
    expect(evs).toHaveLength(1);
    expect(evs[0]!.states).toBeGreaterThan(0);
    await c.close();
  });

  it('refuses missing models, models for another game, and paths', async () => {
    const c = await TestClient.connect(server.wsUrl);
    expect((await c.request({ type: 'create', game: 'tictactoe', bot: 'az:model=nope' })).code).toBe('BAD_BOT_SPEC');
    const wrong = await c.request({ type: 'create', game: 'connect4', bot: 'az:model=ttt-tiny' });
    expect(wrong.code).toBe('BAD_BOT_SPEC');
    expect(wrong.message).not.toContain(modelsDir); // no server paths in replies
    expect((await c.request({ type: 'create', game: 'tictactoe', bot: 'az:model=../ttt-tiny' })).code).toBe('BAD_BOT_SPEC');
    expect((await c.request({ type: 'create', game: 'tictactoe', bot: 'az:sims=10' })).code).toBe('BAD_BOT_SPEC');
    await c.close();
  });
});
