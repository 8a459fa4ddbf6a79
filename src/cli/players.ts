/**
 * Players for `arbor match` and `arbor play`, built from specs such as `uct:sims=2000,c=1.4`.
 * A small factory registry: one entry per kind. The `az` entry is reserved for the network
 * player; it validates its options and explains what is missing until a network is plugged in.
 */
import { EngineError, Rng } from '../core/index.js';
import type { SearchResult } from '../mcts/index.js';
import { createAzSearch, createUctSearch, perfectActions } from './engine.js';
import type { Action, Game, UctSearch } from './engine.js';
import { PLAYOUT_POLICIES } from '../games/index.js';
import { checkKeys, formatPlayerSpec, parsePlayerSpec, specChoice, specError, specFraction, specInt, specPositive } from './player-spec.js';
import type { PlayerSpec } from './player-spec.js';

export interface MoveChoice {
  readonly action: Action;
  /** The search behind the move, when the player searched. */
  readonly result?: SearchResult<Action>;
}

export interface Player<S> {
  /** The canonical spec text, e.g. `uct:sims=2000`. */
  readonly name: string;
  chooseAction(state: S): Promise<MoveChoice>;
  /** Forget everything about the current game. */
  reset(): void;
  /** Told of every move played (by either side), so a search can keep its subtree. */
  advance?(action: Action): void;
}

export interface PlayerContext {
  /** Seed for the player's random choices: a match with a seed is reproducible. */
  readonly seed: number;
}

export interface PlayerFactory {
  readonly kind: string;
  /** One line for help texts, with the options. */
  readonly usage: string;
  create<S>(game: Game<S>, spec: PlayerSpec, ctx: PlayerContext): Player<S>;
}

const MAX_SIMS = 100_000_000;

/** A player that searches (uct, az): budget from sims/time, tree reuse between moves. */
function searchPlayer<S>(spec: PlayerSpec, search: UctSearch<S>, defaultSims: number): Player<S> {
  const time = specPositive(spec, 'time');
  const sims = specInt(spec, 'sims', 1, MAX_SIMS) ?? (time === undefined ? defaultSims : undefined);
  const budget = { ...(sims === undefined ? {} : { simulations: sims }), ...(time === undefined ? {} : { timeMs: time * 1000 }) };
  return {
    name: formatPlayerSpec(spec),
    async chooseAction(state) {
      const result = await search.search(state, budget);
      return { action: result.action, result };
    },
    reset: () => search.reset(),
    advance: (action) => search.advance(action),
  };
}

const uct: PlayerFactory = {
  kind: 'uct',
  usage: 'uct[:sims=N][,c=X][,time=S]   plain UCT with random rollouts (default sims=1000; time in seconds)',
  create(game, spec, ctx) {
    checkKeys(spec, ['sims', 'c', 'time']);
    const c = specPositive(spec, 'c');
    return searchPlayer(spec, createUctSearch(game, { seed: ctx.seed, ...(c === undefined ? {} : { c }) }), 1000);
  },
};

const random: PlayerFactory = {
  kind: 'random',
  usage: 'random                        a uniformly random legal move',
  create(game, spec, ctx) {
    checkKeys(spec, []);
    let rng = new Rng(ctx.seed);
    return {
      name: 'random',
      chooseAction: (state) => {
        const legal = game.legalActions(state);
        return Promise.resolve({ action: legal[rng.int(legal.length)]! });
      },
      reset: () => {
        rng = rng.fork();
      },
    };
  },
};

const perfect: PlayerFactory = {
  kind: 'perfect',
  usage: 'perfect                       exact play by full solving (tictactoe only); random among the best moves',
  create(game, spec, ctx) {
    checkKeys(spec, []);
    if (game.info.name !== 'tictactoe') {
      throw specError(spec.text, `'perfect' plays only tictactoe (a full solve); for ${game.info.name} use uct`);
    }
    let rng = new Rng(ctx.seed);
    return {
      name: 'perfect',
      chooseAction: (state) => {
        const best = perfectActions(game, state);
        return Promise.resolve({ action: best[rng.int(best.length)]! });
      },
      reset: () => {
        rng = rng.fork();
      },
    };
  },
};

const az: PlayerFactory = {
  kind: 'az',
  usage:
    "az:model=PATH[,sims=N][,c=X][,mix=W][,playouts=tactical|random][,time=S]  network-guided search (PATH: checkpoint or run directory, or 'default'; sims=800, c=2; mix: share of a playout in each leaf value, 0-1, default 0.5; playouts: tactical (take wins, block threats; default) or random moves)",
  create(game, spec, ctx) {
    checkKeys(spec, ['model', 'sims', 'time', 'c', 'mix', 'playouts']);
    const c = specPositive(spec, 'c');
    const mix = specFraction(spec, 'mix');
    const playouts = specChoice(spec, 'playouts', PLAYOUT_POLICIES);
    const model = spec.params.get('model');
    if (model === undefined || model === '') throw specError(spec.text, "az needs model=PATH (a checkpoint or run directory from 'arbor train', or 'default')");
    return searchPlayer(spec, createAzSearch(game, { model, seed: ctx.seed, ...(c === undefined ? {} : { c }), ...(mix === undefined ? {} : { mix }), ...(playouts === undefined ? {} : { playouts }) }), 800);
  },
};

/** Player kinds by name. */
export const playerFactories: Readonly<Record<string, PlayerFactory>> = { uct, random, perfect, az };

export function createPlayer<S>(game: Game<S>, specText: string, ctx: PlayerContext): Player<S> {
  const spec = parsePlayerSpec(specText);
  const factory = playerFactories[spec.kind];
  if (!factory) {
    throw specError(spec.text, `unknown player '${spec.kind}' (known: ${Object.keys(playerFactories).join(', ')})`);
  }
  return factory.create(game, spec, ctx);
}

/** Help text listing every player kind. */
export function playerSpecHelp(indent = '  '): string {
  return Object.values(playerFactories)
    .map((f) => indent + f.usage)
    .join('\n');
}
