import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { packageRoot } from '../../src/core/index.js';
import { startServer } from '../../src/server/index.js';
import type { ArborServer } from '../../src/server/index.js';

const CHROMIUM = '/usr/bin/chromium';
const hasChromium = existsSync(CHROMIUM);
if (!hasChromium) console.warn(`SKIPPED browser test: ${CHROMIUM} is missing (apt-get install chromium)`);

const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

let server: ArborServer;
beforeAll(async () => {
  server = await startServer({ host: '127.0.0.1', port: 0, seed: 11 });
});
afterAll(async () => {
  await server?.close();
});

describe('server: the web page in a real browser', () => {
  it.skipIf(!hasChromium)(`plays a full game of tic-tac-toe against the bot and shows the result (skipped without ${CHROMIUM})`, async () => {
    const userDataDir = mkdtempSync(join(tmpdir(), 'arbor-chromium-'));
    const context = await chromium.launchPersistentContext(userDataDir, { executablePath: CHROMIUM, headless: true, args: ARGS, viewport: { width: 1000, height: 760 } });
    const errors: string[] = [];
    try {
      const page = context.pages()[0] ?? (await context.newPage());
      page.on('pageerror', (e) => errors.push(e.message));
      page.on('console', (m) => {
        if (m.type() === 'error') errors.push(m.text());
      });
      await page.goto(`${server.url}/`);
      await page.getByRole('combobox', { name: 'Game' }).selectOption('tictactoe');
      await page.getByRole('combobox', { name: 'Bot strength' }).selectOption('uct:sims=400');
      await page.getByRole('button', { name: 'Start a new game' }).click();
      await page.waitForFunction(() => document.getElementById('status')?.textContent?.startsWith('Your move'));

      // First move by keyboard (key 5 = centre), the rest by clicking.
      await page.keyboard.press('5');
      for (let turn = 0; turn < 6; turn++) {
        await page.waitForFunction(
          () => !document.getElementById('result')!.hidden || document.querySelectorAll('.board.tictactoe button.cell:not([disabled])').length > 0,
        );
        if (await page.locator('#result').isVisible()) break;
        // The bot's analysis is drawn on the board after each of its moves.
        expect(await page.locator('.board .badge').count()).toBeGreaterThan(0);
        await page.locator('.board.tictactoe button.cell:not([disabled])').first().click();
      }
      await page.waitForFunction(() => !document.getElementById('result')!.hidden);
      const result = (await page.locator('#result').textContent()) ?? '';
      expect(result).toMatch(/^(You win!|The bot wins\.|Draw\.)$/);
      const outcome = await page.locator('#result').getAttribute('data-outcome');
      expect(['win', 'loss', 'draw']).toContain(outcome);
      const meter = Number(await page.getByRole('meter', { name: 'Your winning chance' }).getAttribute('aria-valuenow'));
      expect(meter).toBe(outcome === 'win' ? 100 : outcome === 'loss' ? 0 : 50);
      await page.waitForTimeout(400); // the value bar's transition
      const outDir = join(packageRoot(), 'test-output');
      mkdirSync(outDir, { recursive: true });
      await page.screenshot({ path: join(outDir, 'server-page-tictactoe.png'), fullPage: true });

      // Connect Four: one move each, so the column analysis shows; a screenshot for review.
      await page.getByRole('combobox', { name: 'Game' }).selectOption('connect4');
      await page.getByRole('combobox', { name: 'Bot strength' }).selectOption('uct:sims=400');
      await page.getByRole('button', { name: 'Start a new game' }).click();
      await page.waitForFunction(() => document.getElementById('status')?.textContent?.startsWith('Your move'));
      await page.getByRole('button', { name: /^Drop a disc in column 4/ }).click();
      await page.waitForFunction(() => document.querySelectorAll('.board.connect4 .colhead .badge').length > 0);
      expect(await page.locator('.board.connect4 .cell.red').count()).toBe(1);
      expect(await page.locator('.board.connect4 .cell.yellow').count()).toBe(1);
      await page.waitForTimeout(400);
      await page.screenshot({ path: join(outDir, 'server-page-connect4.png'), fullPage: true });
      expect(errors).toEqual([]);
    } finally {
      await context.close();
      rmSync(userDataDir, { recursive: true, force: true });
    }
  });
});
