import type { Command } from '../command.js';
import { booleanFlag, intFlag, parseCommandArgs, positiveFlag, stringFlag } from '../args.js';
import { EngineError, ParseError } from '../../core/index.js';
import { createAzSearch, createUctSearch, defaultModel, loadGame } from '../engine.js';
import type { UctSearch } from '../engine.js';
import type { SearchResult } from '../../mcts/index.js';
import { formatTable, percent, seconds, signed } from '../format.js';
import { progressBar } from '../progress.js';

const USAGE = 'arbor analyse <game> [--moves STR] [--sims N] [--time S] [--model PATH|default|none] [--c X] [--seed S] [--json]';

const help = `${USAGE}

The search's view of a position: every move with its visits, mean value Q, prior and (when the
solver proved it) its exact result, the value of the position for the side to move, the best
move and the principal variation.

Arguments:
  <game>          tictactoe | connect4

Options:
  --moves STR     the position in the game's notation (Connect Four: the 1-based columns played
                  from the empty board, e.g. 4453); default: the start position
  --sims N        simulations (default 10000 with UCT, 2000 with a network)
  --model PATH    search with a trained network: a checkpoint or run directory, or 'default'
                  (the shipped model, used by default where the game has one, e.g. connect4);
                  'none' for plain UCT with random rollouts
  --time S        stop after S seconds instead (with --sims: whichever comes first)
  --c X           UCT exploration constant (default: the search core's)
  --seed S        seed (default 1: the same analysis every time)
  --json          print one object: {"move", "value", "visits", "pv", ...}
  -h, --help      show this help

JSON fields: move (best move, in notation), value (in [-1,1], side to move's view), visits
({move: n}), pv ([moves]), and also q, prior, proven per move, proven (root), simulations,
timeMs, toMove, position.

Examples:
  arbor analyse connect4 --moves 4453 --sims 20000
  arbor analyse connect4 --moves 445566 --sims 2000 --json
  arbor analyse tictactoe --moves "" --sims 5000`;

export const command: Command = {
  name: 'analyse',
  summary: "the search's view of a position: moves, visits, Q, value, principal variation",
  help,
  async run(argv) {
    const args = parseCommandArgs(
      'analyse',
      argv,
      { moves: { type: 'string' }, model: { type: 'string' }, sims: { type: 'string' }, time: { type: 'string' }, c: { type: 'string' }, seed: { type: 'string' }, json: { type: 'boolean' } },
      { min: 1, max: 1, usage: USAGE },
    );
    const game = loadGame(args.positionals[0]!);
    const moves = (stringFlag(args, 'moves') ?? '').trim();
    const time = positiveFlag(args, 'time');
    const modelFlag = stringFlag(args, 'model');
    const model = modelFlag === 'none' ? undefined : (modelFlag ?? (defaultModel(game) !== null ? 'default' : undefined));
    const sims = intFlag(args, 'sims', { min: 1, max: 100_000_000 }) ?? (time === undefined ? (model !== undefined ? 2_000 : 10_000) : undefined);
    const c = positiveFlag(args, 'c');
    const seed = intFlag(args, 'seed', { min: 0, max: 0xffffffff, default: 1 });
    const json = booleanFlag(args, 'json');

    let state: unknown;
    try {
      state = game.fromNotation(moves);
    } catch (e) {
      if (e instanceof EngineError) throw new ParseError('BAD_ARGUMENT', `--moves '${moves}': ${e.message}`, { cause: e });
      throw e;
    }
    if (game.isTerminal(state)) {
      throw new ParseError('BAD_ARGUMENT', `--moves '${moves}': the game is already over there; nothing to analyse`);
    }
    const toMove = game.toMove(state) as number;
    const search = model !== undefined ? createAzSearch(game, { model, seed, ...(c === undefined ? {} : { c }) }) : createUctSearch(game, { seed, ...(c === undefined ? {} : { c }) });
    const t0 = performance.now();
    const result = await searchWithProgress(search, state, { sims, timeMs: time === undefined ? undefined : time * 1000, progress: !json });
    const ms = performance.now() - t0;
    const name = (a: number) => game.actionToString(a);
    // A proven root has an exact value; otherwise the search's estimate.
    const value = result.proven === 'win' ? 1 : result.proven === 'loss' ? -1 : result.proven === 'draw' ? 0 : result.value;
    const stats = [...result.stats].sort((x, y) => y.visits - x.visits || x.action - y.action);

    if (json) {
      const per = <T>(f: (s: (typeof stats)[number]) => T) => Object.fromEntries(stats.map((s) => [name(s.action), f(s)]));
      console.log(
        JSON.stringify({
          game: game.info.name,
          position: moves,
          toMove,
          move: name(result.action),
          value,
          visits: per((s) => s.visits),
          pv: result.pv.map(name),
          q: per((s) => (Number.isNaN(s.q) ? null : s.q)),
          prior: per((s) => Math.round(s.prior * 1e6) / 1e6),
          proven: per((s) => s.proven),
          rootProven: result.proven,
          simulations: result.simulations,
          timeMs: ms,
        }),
      );
      return 0;
    }
    const total = stats.reduce((n, s) => n + s.visits, 0);
    console.log(`${game.info.displayName}, position '${moves}' (${game.moveCount(state)} moves played), player ${toMove + 1} to move`);
    console.log(game.render(state));
    console.log('');
    console.log(
      formatTable(
        stats.map((s) => ({
          move: name(s.action),
          visits: s.visits,
          share: percent(total === 0 ? 0 : s.visits / total),
          Q: signed(s.q),
          prior: s.prior.toFixed(3),
          proven: s.proven ?? '',
        })),
      ),
    );
    console.log('');
    const provenText = result.proven === null ? '' : ` (proven ${result.proven})`;
    console.log(`Value for the side to move: ${signed(value)}${provenText}`);
    console.log(`Best move: ${name(result.action)}`);
    console.log(`Principal variation: ${result.pv.map(name).join(' ') || '(none)'}`);
    console.log(`${result.simulations.toLocaleString('en-US')} simulations in ${seconds(ms)} (${Math.round(result.simulations / (ms / 1000)).toLocaleString('en-US')}/s)`);
    return 0;
  },
};

/**
 * A long search runs in slices on the same tree (each `search` call continues it) so that a
 * progress bar can move; short ones, and JSON output, run in one call.
 */
async function searchWithProgress<S>(
  search: UctSearch<S>,
  state: S,
  o: { sims: number | undefined; timeMs: number | undefined; progress: boolean },
): Promise<SearchResult<number>> {
  const long = (o.sims ?? 0) >= 500_000 || (o.timeMs ?? 0) >= 3_000;
  if (!o.progress || !long || !process.stderr.isTTY) {
    return search.search(state, { ...(o.sims === undefined ? {} : { simulations: o.sims }), ...(o.timeMs === undefined ? {} : { timeMs: o.timeMs }) });
  }
  const bySims = o.sims !== undefined;
  const total = bySims ? o.sims! : Math.ceil(o.timeMs! / 1000);
  const bar = progressBar({ total, label: bySims ? 'simulations' : 'seconds', enabled: true });
  const t0 = performance.now();
  let done = 0;
  let last: SearchResult<number> | undefined;
  try {
    for (;;) {
      const elapsed = performance.now() - t0;
      const leftSims = bySims ? o.sims! - done : undefined;
      const leftMs = o.timeMs === undefined ? undefined : o.timeMs - elapsed;
      if ((leftSims !== undefined && leftSims <= 0) || (leftMs !== undefined && leftMs <= 0)) break;
      last = await search.search(state, {
        ...(leftSims === undefined ? {} : { simulations: Math.min(leftSims, Math.max(50_000, Math.ceil(o.sims! / 100))) }),
        timeMs: Math.min(leftMs ?? Infinity, 250),
      });
      done += last.simulations;
      bar.update(bySims ? Math.min(done, total) : Math.min(total, Math.floor((performance.now() - t0) / 1000)));
      if (last.proven !== null) break; // the solver settled it: more simulations change nothing
    }
  } finally {
    bar.stop();
  }
  return { ...last!, simulations: done };
}
