import type { Command } from '../command.js';
import { booleanFlag, intFlag, parseCommandArgs, stringFlag } from '../args.js';
import { ParseError } from '../../core/index.js';
import { loadGame } from '../engine.js';
import { estimateElo, finiteOrNull, formatElo } from '../elo.js';
import type { Wdl } from '../elo.js';
import { formatTable, percent, seconds } from '../format.js';
import { playOneGame } from '../game-loop.js';
import { createPlayer, playerSpecHelp } from '../players.js';
import { progressBar } from '../progress.js';

const USAGE = 'arbor match <game> --a SPEC --b SPEC [--games N] [--seed S] [--json]';

const help = `${USAGE}

Plays bot A against bot B, alternating who moves first (A first in odd-numbered games),
and reports wins/draws/losses from A's view, the score, the Elo difference A - B with a 95%
interval, and a per-colour breakdown.

Arguments:
  <game>          tictactoe | connect4

Options:
  --a SPEC        player A (required)
  --b SPEC        player B (required)
  --games N       number of games (default 10)
  --seed S        seed for every random choice (default: random, printed so a run can be repeated)
  --json          print one JSON object instead of the report (no progress bar)

Ctrl-C stops after the game in flight and reports the games played (exit code 130).
  -h, --help      show this help

Player specs:
${playerSpecHelp('  ')}

Examples:
  arbor match connect4 --a uct:sims=2000 --b uct:sims=200 --games 10
  arbor match tictactoe --a uct:sims=500 --b perfect --games 20 --json
  arbor match connect4 --a uct:time=0.5 --b random --games 4 --seed 7`;

interface ColourTally {
  games: number;
  wins: number;
  draws: number;
  losses: number;
}

export const command: Command = {
  name: 'match',
  summary: 'bot against bot: W/D/L, score, Elo difference with a 95% interval',
  help,
  async run(argv) {
    const args = parseCommandArgs(
      'match',
      argv,
      { a: { type: 'string' }, b: { type: 'string' }, games: { type: 'string' }, seed: { type: 'string' }, json: { type: 'boolean' } },
      { min: 1, max: 1, usage: USAGE },
    );
    const json = booleanFlag(args, 'json');
    const game = loadGame(args.positionals[0]!);
    const specA = stringFlag(args, 'a');
    const specB = stringFlag(args, 'b');
    if (specA === undefined) throw new ParseError('BAD_ARGUMENT', `--a SPEC is required (e.g. --a uct:sims=2000). Usage: ${USAGE}`);
    if (specB === undefined) throw new ParseError('BAD_ARGUMENT', `--b SPEC is required (e.g. --b random). Usage: ${USAGE}`);
    const games = intFlag(args, 'games', { min: 1, max: 1_000_000, default: 10 });
    const seed = intFlag(args, 'seed', { min: 0, max: 0xffffffff, default: (Math.random() * 0x100000000) >>> 0 });
    // Distinct streams for A and B, both fixed by the match seed.
    const a = createPlayer(game, specA, { seed: (seed ^ 0x5a5a5a5a) >>> 0 });
    const b = createPlayer(game, specB, { seed: (seed + 0x9e3779b9) >>> 0 });

    const colour: [ColourTally, ColourTally] = [
      { games: 0, wins: 0, draws: 0, losses: 0 },
      { games: 0, wins: 0, draws: 0, losses: 0 },
    ];
    const thinkMs = { a: 0, b: 0 };
    const moveCount = { a: 0, b: 0 };
    let plies = 0;
    const results: { game: number; aFirst: boolean; result: 'win' | 'draw' | 'loss'; moves: string; plies: number }[] = [];
    const t0 = performance.now();
    const bar = progressBar({ total: games, label: 'match', enabled: !json, detail: true });
    // Ctrl-C once: finish the game in flight and report the games played; twice: quit at once.
    let interrupted = false;
    const onSigint = () => {
      if (interrupted) process.exit(130);
      interrupted = true;
      process.stderr.write('\narbor match: interrupted; finishing the current game (Ctrl-C again to quit now)\n');
    };
    process.on('SIGINT', onSigint);
    try {
      for (let i = 0; i < games && !interrupted; i++) {
        const aFirst = i % 2 === 0;
        const g = await playOneGame(game, aFirst ? [a, b] : [b, a]);
        const aSeat = aFirst ? 0 : 1;
        const r = g.returns[aSeat]!;
        const tally = colour[aSeat];
        tally.games++;
        if (r > 0) tally.wins++;
        else if (r < 0) tally.losses++;
        else tally.draws++;
        thinkMs.a += g.thinkMs[aSeat];
        thinkMs.b += g.thinkMs[1 - aSeat]!;
        moveCount.a += g.moves[aSeat];
        moveCount.b += g.moves[1 - aSeat]!;
        plies += g.actions.length;
        results.push({ game: i + 1, aFirst, result: r > 0 ? 'win' : r < 0 ? 'loss' : 'draw', moves: g.notation, plies: g.actions.length });
        const t = sum(colour);
        bar.update(i + 1, { detail: `A ${t.wins}W ${t.draws}D ${t.losses}L` });
        // Searches with a synchronous evaluator never reach the event loop on their own; give
        // it a turn so Ctrl-C and the progress bar's timer are served.
        await new Promise<void>((resolve) => setImmediate(resolve));
      }
    } finally {
      bar.stop();
      process.off('SIGINT', onSigint);
    }
    const played = results.length;
    if (played === 0) {
      process.stderr.write('arbor match: no game finished\n');
      return 130;
    }
    const totalMs = performance.now() - t0;
    const total = sum(colour);
    const est = estimateElo(total);
    const msPerMove = { a: thinkMs.a / Math.max(1, moveCount.a), b: thinkMs.b / Math.max(1, moveCount.b) };

    if (json) {
      const side = (t: ColourTally) => ({ ...t, score: t.games === 0 ? null : (t.wins + t.draws / 2) / t.games });
      console.log(
        JSON.stringify({
          game: game.info.name,
          a: a.name,
          b: b.name,
          games: played,
          requestedGames: games,
          interrupted,
          seed,
          wins: total.wins,
          draws: total.draws,
          losses: total.losses,
          score: est.score,
          scoreStdErr: est.scoreStdErr,
          scoreLow: est.scoreLow,
          scoreHigh: est.scoreHigh,
          elo: finiteOrNull(est.elo),
          eloLow: finiteOrNull(est.low),
          eloHigh: finiteOrNull(est.high),
          byColour: { aFirst: side(colour[0]), aSecond: side(colour[1]) },
          meanPlies: plies / played,
          msPerMove,
          timeMs: totalMs,
          results,
        }),
      );
      return interrupted ? 130 : 0;
    }
    const wdl = (t: Wdl & { games: number }) => ({
      games: t.games,
      'A wins': t.wins,
      draws: t.draws,
      'A losses': t.losses,
      'A score': t.games === 0 ? 'n/a' : percent((t.wins + t.draws / 2) / t.games),
    });
    const gamesText = played === games ? `${games} games` : `${played} of ${games} games: interrupted`;
    console.log(`${game.info.displayName}: A = ${a.name}  vs  B = ${b.name}   (${gamesText}, seed ${seed})`);
    console.log('');
    console.log(
      formatTable([
        { 'A plays': 'first', ...wdl(colour[0]) },
        { 'A plays': 'second', ...wdl(colour[1]) },
        { 'A plays': 'all', ...wdl({ ...total, games: played }) },
      ]),
    );
    console.log('');
    console.log(
      `Score for A: ${(total.wins + total.draws / 2).toFixed(1)} / ${played} = ${percent(est.score)}   95% interval [${percent(est.scoreLow)}, ${percent(est.scoreHigh)}]`,
    );
    console.log(`Elo difference A - B: ${formatElo(est.elo)}   95% interval [${formatElo(est.low)}, ${formatElo(est.high)}]`);
    console.log(
      `Mean game length ${(plies / played).toFixed(1)} plies; time per move A ${seconds(msPerMove.a)}, B ${seconds(msPerMove.b)}; total ${seconds(totalMs)}`,
    );
    return interrupted ? 130 : 0;
  },
};

function sum(c: readonly ColourTally[]): Wdl {
  return c.reduce((s, t) => ({ wins: s.wins + t.wins, draws: s.draws + t.draws, losses: s.losses + t.losses }), { wins: 0, draws: 0, losses: 0 });
}
