import { performance } from 'node:perf_hooks';
import { Rng } from '../core/index.js';
import { parseBotSpec, SpecReader } from './bot-spec.js';
import type { BotSpec } from './bot-spec.js';
import { Mcts, gameEnvironment, solveExactly } from './engine.js';
import type { Action, AnyGame, Evaluator, SearchResult } from './engine.js';
import type { SearchClient, SharedEvaluator, SharedEvaluators } from './evaluators.js';
import type { Limits } from './limits.js';
import { WireError } from './protocol.js';
import type { Analysis, BotSummary, MoveAnalysis } from './protocol.js';

export type { Action, AnyGame };

export interface ThinkRequest {
  readonly state: unknown;
  /** Every action played so far (lets a search keep its tree along the game). */
  readonly history: readonly Action[];
  /** Thinking time cap from the game's settings, ms. */
  readonly timeMs: number | null;
  readonly signal: AbortSignal;
}

export interface ThinkResult {
  readonly action: Action;
  readonly analysis: Analysis;
}

/** A bot bound to one game session. */
export interface Bot {
  /** Canonical spec, e.g. `uct:sims=2000`. */
  readonly spec: string;
  think(req: ThinkRequest): Promise<ThinkResult>;
  /** Forget the current line (after undo or a new game). */
  reset(): void;
  dispose(): void;
}

export interface BotContext {
  readonly limits: Limits;
  readonly evaluators: SharedEvaluators;
  readonly seed: number;
  /** Directory holding named models for `az` bots; null when the server has none. */
  readonly modelsDir: string | null;
}

interface BotKind extends BotSummary {
  create(game: AnyGame, spec: BotSpec, ctx: BotContext): Bot | Promise<Bot>;
}

/** How long a search may hold the event loop before it yields (other games, sockets, timers). */
const SLICE_MS = 4;
/**
 * ...but only after this many evaluator calls in the slice: on a busy machine the process can be
 * descheduled mid-slice, and a wall-clock test alone would then yield after every simulation and
 * make each one wait a whole event-loop turn (seen as 20-30 s moves under load).
 */
const SLICE_MIN_CALLS = 32;

// ---- random ----

const random: BotKind = {
  kind: 'random',
  description: 'a uniformly random legal move',
  example: 'random',
  params: {},
  create(game, spec, ctx) {
    new SpecReader(spec).done();
    const rng = new Rng(ctx.seed);
    return {
      spec: spec.text,
      think: ({ state }) => {
        const legal = game.legalActions(state);
        const action = legal[rng.int(legal.length)]!;
        const player = game.toMove(state) as number;
        const moves = legal.map((a) => moveRow(game, a, 0, 0, null, 1 / legal.length, null));
        return Promise.resolve({
          action,
          analysis: { player, simulations: 0, timeMs: 0, value: 0, winChance: 0.5, proven: null, pv: [actionRef(game, action)], moves },
        });
      },
      reset: () => {},
      dispose: () => {},
    };
  },
};

// ---- perfect (exact solve, small games) ----

const perfect: BotKind = {
  kind: 'perfect',
  description: 'exact play from a full solve (tic-tac-toe only); random among the best moves',
  example: 'perfect',
  params: {},
  create(game, spec, ctx) {
    new SpecReader(spec).done();
    if (solveExactly(game, game.initialState()) === null) {
      throw new WireError('BAD_BOT_SPEC', `bot "perfect" plays only games the library solves exactly (tictactoe); for ${game.info.name} use uct:sims=N`);
    }
    const rng = new Rng(ctx.seed);
    const solve = (s: unknown): { value: number; actionValues: readonly { action: Action; value: number }[] } => solveExactly(game, s)!;
    return {
      spec: spec.text,
      think: ({ state }) => {
        const t0 = performance.now();
        const player = game.toMove(state) as number;
        const sol = solve(state);
        const best = sol.actionValues.filter((x) => x.value === sol.value);
        const action = best[rng.int(best.length)]!.action;
        const n = sol.actionValues.length;
        const moves = sol.actionValues.map((x) => moveRow(game, x.action, 0, x.value === sol.value ? 1 / best.length : 0, x.value, 1 / n, proven(x.value)));
        // Principal variation: the chosen move, then the first perfect move at each step.
        const pv = [actionRef(game, action)];
        for (let s = game.apply(state, action); !game.isTerminal(s); ) {
          const next = solve(s);
          const a = next.actionValues.find((x) => x.value === next.value)!.action;
          pv.push(actionRef(game, a));
          s = game.apply(s, a);
        }
        return Promise.resolve({
          action,
          analysis: { player, simulations: 0, timeMs: performance.now() - t0, value: sol.value, winChance: (sol.value + 1) / 2, proven: proven(sol.value), pv, moves },
        });
      },
      reset: () => {},
      dispose: () => {},
    };
  },
};

function proven(v: number): 'win' | 'loss' | 'draw' {
  return v > 0 ? 'win' : v < 0 ? 'loss' : 'draw';
}

// ---- search bots (uct: random rollouts; az: a network), through shared evaluators ----

/**
 * One bot's door to its shared evaluator. While the bot thinks it holds a client of it (for a
 * network, a BatchingEvaluator client, so concurrent games fill batches together); it checks the bot's abort
 * signal and, once the search has held the event loop for SLICE_MS (and SLICE_MIN_CALLS), answers through setImmediate
 * so sockets, timers and other games get their turn: searches run in bounded slices whatever
 * their budget.
 */
class SlicedEvaluator implements Evaluator<unknown, Action> {
  private client: SearchClient | null = null;
  private signal: AbortSignal | null = null;
  private sliceStart = 0;
  private sliceCalls = 0;

  constructor(private readonly shared: () => SharedEvaluator) {}

  begin(signal: AbortSignal): void {
    this.end();
    this.client = this.shared().client();
    this.signal = signal;
    this.sliceStart = performance.now();
    this.sliceCalls = 0;
  }

  end(): void {
    this.client?.close();
    this.client = null;
  }

  evaluate(states: readonly unknown[]): ReturnType<Evaluator<unknown, Action>['evaluate']> {
    const client = this.client;
    if (client === null) return Promise.reject(new WireError('ABORTED', 'search abandoned: the bot is not thinking'));
    if (this.signal?.aborted) return Promise.reject(abortError(this.signal));
    if (++this.sliceCalls < SLICE_MIN_CALLS || performance.now() - this.sliceStart < SLICE_MS) return client.evaluate(states);
    return new Promise<void>((resolve) => setImmediate(resolve)).then(() => {
      this.sliceStart = performance.now();
      this.sliceCalls = 0;
      if (this.signal?.aborted) throw abortError(this.signal);
      if (this.client !== client) throw new WireError('ABORTED', 'search abandoned');
      return client.evaluate(states);
    });
  }
}

function abortError(signal: AbortSignal): WireError {
  return new WireError('ABORTED', `search abandoned: ${String(signal.reason ?? 'aborted')}`);
}

interface SearchBotConfig {
  readonly spec: BotSpec;
  /** The shared (batched) evaluator this bot's searches go through. */
  readonly shared: () => SharedEvaluator;
  readonly sims: number;
  readonly timeS: number | null;
  readonly c: number | null;
}

/** A tree-search bot: MCTS over the game through a shared evaluator, keeping its tree along the game. */
function searchBot(game: AnyGame, cfg: SearchBotConfig, ctx: BotContext): Bot {
  const rng = new Rng(ctx.seed);
  const sliced = new SlicedEvaluator(cfg.shared);
  const env = gameEnvironment(game);
  const c = cfg.c;
  const make = (): Mcts<unknown, Action> => new Mcts<unknown, Action>({ env, evaluator: sliced, rng: rng.fork(), ...(c === null ? {} : { cPuct: c }) });
  let mcts = make();
  let seen: Action[] = [];
  return {
    spec: cfg.spec.text,
    async think({ state, history, timeMs, signal }) {
      // Keep the tree along the game: advance it over the moves played since the last search.
      if (seen.length <= history.length && seen.every((a, i) => history[i] === a)) {
        for (let i = seen.length; i < history.length; i++) mcts.advance(history[i]!);
      } else {
        mcts = make();
      }
      seen = [...history];
      const limitMs = minDefined(cfg.timeS === null ? null : cfg.timeS * 1000, timeMs);
      const t0 = performance.now();
      sliced.begin(signal);
      let result: SearchResult<Action>;
      try {
        // No `signal` here: the search's own yield is by wall clock only; SlicedEvaluator yields
        // (and abandons on abort) instead.
        result = await mcts.search(state, { simulations: cfg.sims, ...(limitMs === null ? {} : { timeMs: limitMs }) });
      } catch (e) {
        // A failed search clears its tree; start the next one from scratch.
        seen = [];
        mcts = make();
        throw e;
      } finally {
        sliced.end();
      }
      if (signal.aborted) throw abortError(signal);
      return { action: result.action, analysis: searchAnalysis(game, game.toMove(state) as number, result, performance.now() - t0) };
    },
    reset() {
      mcts = make();
      seen = [];
    },
    dispose() {
      sliced.end();
    },
  };
}

const uct: BotKind = {
  kind: 'uct',
  description: 'Monte Carlo tree search with random rollouts; strength grows with sims (or time)',
  example: 'uct:sims=2000',
  params: {
    sims: 'simulations per move (default 1000; at most the server limit)',
    time: 'seconds per move (a cap next to sims; at most the server limit)',
    c: 'exploration constant (default: the search core default)',
  },
  create(game, spec, ctx) {
    const r = new SpecReader(spec);
    const timeS = r.optionalFloat('time', { min: 0.001, max: ctx.limits.maxTimeMs / 1000, limitName: 'maxTimeMs' });
    const sims = r.int('sims', { min: 1, max: ctx.limits.maxSimulations, def: timeS === null ? 1000 : ctx.limits.maxSimulations, limitName: 'maxSimulations' });
    const c = r.optionalFloat('c', { min: 0.01, max: 100 });
    r.done();
    return searchBot(game, { spec, shared: () => ctx.evaluators.rollouts(game), sims, timeS, c }, ctx);
  },
};

// ---- az (network-guided search) ----

const az: BotKind = {
  kind: 'az',
  description: "network-guided search (PUCT) with a trained checkpoint from the server's --models directory",
  example: 'az:model=c4-best,sims=400',
  params: {
    model: "checkpoint folder name inside the server's --models directory (a plain name, never a path)",
    sims: 'simulations per move (default 400; at most the server limit)',
    time: 'seconds per move (a cap next to sims; at most the server limit)',
  },
  async create(game, spec, ctx) {
    const r = new SpecReader(spec);
    const model = r.string('model');
    const timeS = r.optionalFloat('time', { min: 0.001, max: ctx.limits.maxTimeMs / 1000, limitName: 'maxTimeMs' });
    const sims = r.int('sims', { min: 1, max: ctx.limits.maxSimulations, def: timeS === null ? 400 : ctx.limits.maxSimulations, limitName: 'maxSimulations' });
    r.done();
    if (model === undefined) throw new WireError('BAD_BOT_SPEC', `bot spec "${spec.text}": az needs model=NAME`);
    // Names only: a remote client must never choose a path on the server's disk.
    if (!/^[A-Za-z0-9_][A-Za-z0-9_.-]*$/.test(model) || model.includes('..')) {
      throw new WireError('BAD_BOT_SPEC', `bot spec "${spec.text}": model must be a plain name inside the models directory, not a path`);
    }
    if (ctx.modelsDir === null) {
      throw new WireError('UNSUPPORTED', `bot spec "${spec.text}": this server was started without a models directory (arbor serve --models DIR), so az bots are unavailable`);
    }
    const shared = await ctx.evaluators.network(game, model, ctx.modelsDir);
    // Loaded with the network (never for a server without az bots): az play's measured settings.
    const { AZ_SEARCH } = await import('../train/index.js');
    return searchBot(game, { spec, shared: () => shared, sims, timeS, c: AZ_SEARCH.cPuct }, ctx);
  },
};

const botKinds: readonly BotKind[] = [random, uct, perfect, az];

export function botSummaries(): BotSummary[] {
  return botKinds.map(({ kind, description, example, params }) => ({ kind, description, example, params }));
}

/** Builds a bot for a game from a client's spec; throws WireError (BAD_BOT_SPEC, OVER_LIMIT, UNSUPPORTED). */
export async function createBot(game: AnyGame, specText: string, ctx: BotContext): Promise<Bot> {
  const spec = parseBotSpec(specText);
  const kind = botKinds.find((k) => k.kind === spec.kind);
  if (!kind) {
    throw new WireError('BAD_BOT_SPEC', `bot spec "${spec.text}": unknown bot "${spec.kind}" (known: ${botKinds.map((k) => k.kind).join(', ')})`);
  }
  return await kind.create(game, spec, ctx);
}

// ---- analysis ----

function actionRef(game: AnyGame, a: Action): { action: number; text: string } {
  return { action: a, text: game.actionToString(a) };
}

function moveRow(game: AnyGame, a: Action, visits: number, share: number, q: number | null, prior: number, pr: MoveAnalysis['proven']): MoveAnalysis {
  return { action: a, text: game.actionToString(a), visits, share: round4(share), q: q === null ? null : round4(q), winChance: q === null ? null : round4((q + 1) / 2), prior: round4(prior), proven: pr };
}

/** Four decimals are plenty for a display and keep the messages short. */
function round4(x: number): number {
  return Math.round(x * 1e4) / 1e4;
}

export function searchAnalysis(game: AnyGame, player: number, r: SearchResult<Action>, timeMs: number): Analysis {
  let total = 0;
  for (const s of r.stats) total += s.visits;
  const moves = r.stats
    .map((s) => moveRow(game, s.action, s.visits, total > 0 ? s.visits / total : 0, s.visits > 0 && Number.isFinite(s.q) ? clampUnit(s.q) : null, s.prior, s.proven))
    .sort((a, b) => a.action - b.action);
  const value = Number.isFinite(r.value) ? clampUnit(r.value) : 0;
  return {
    player,
    simulations: r.simulations,
    timeMs: Math.round(timeMs * 10) / 10,
    value: round4(value),
    winChance: round4((value + 1) / 2),
    proven: r.proven,
    pv: r.pv.map((a) => actionRef(game, a)),
    moves,
  };
}

function clampUnit(x: number): number {
  return Math.max(-1, Math.min(1, x));
}

function minDefined(a: number | null, b: number | null): number | null {
  if (a === null) return b;
  if (b === null) return a;
  return Math.min(a, b);
}
