import type { Command } from '../command.js';

/**
 * Commands load lazily so that `arbor play` never pays for tfjs or the proof kernel.
 * Each entry: name -> [summary, loader]. Add one line per command.
 */
export const commandRegistry: Record<string, readonly [string, () => Promise<Command>]> = {
  play: ['play against the bot in the terminal', async () => (await import('./play.js')).command],
  match: ['bot against bot: W/D/L, score, Elo difference with a 95% interval', async () => (await import('./match.js')).command],
  analyse: ["the search's view of a position: moves, visits, Q, value, principal variation", async () => (await import('./analyse.js')).command],
  bench: ['benchmarks: search speed (vs raw playouts, vs boardgame.io), playing strength', async () => (await import('./bench.js')).command],
  train: ['AlphaZero self-play training into a resumable run directory', async () => (await import('./train.js')).command],
  serve: ['the bot API (WebSocket, JSON) and a web page to play against the bot', async () => (await import('./serve.js')).command],
  prove: ['fill in the sorry proofs of a .lean file by proof search, kernel-verified', async () => (await import('./prove.js')).command],
  check: ['verify the proofs of a .lean file with the embedded kernel, per theorem', async () => (await import('./check.js')).command],
};
