import type { Command } from '../command.js';

/**
 * Commands load lazily so that `arbor play` never pays for tfjs or the proof kernel.
 * Each entry: name -> [summary, loader]. Add one line per command.
 */
export const commandRegistry: Record<string, readonly [string, () => Promise<Command>]> = {
};
