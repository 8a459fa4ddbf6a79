import type { Command } from '../command.js';
import { parseCommandArgs, stringFlag, intFlag, positiveFlag, booleanFlag } from '../args.js';
import { getGame, listGames } from '../../games/index.js';
import { trainRun, defaultConfig } from '../../train/index.js';

const usage = 'arbor train <game> --run DIR [--hours H] [--generations N] [--config FILE] [--print-config]';

const help = `${usage}

AlphaZero self-play training. Actors (worker threads, one per core) play games with tree search
guided by the current best network, root Dirichlet noise and temperature; finished games go to a
replay buffer on disk (a sliding window); the learner trains the latest network on it; every few
generations the candidate is evaluated: against the best net (gating), against plain UCT, and for
Connect Four on solver-scored positions (optimal and result-keeping move rates).

A run directory holds config.json, state.json, checkpoints/, replay/, metrics.jsonl and
training.svg (strength and losses against time; open it in a browser). Running the same command on
an existing run directory resumes it; killing the process at any moment (even kill -9) loses at most
the games in flight.

Options:
  --run DIR          the run directory (created if missing, resumed if present)
  --hours H          stop after H hours of wall time in this invocation (default: until Ctrl-C)
  --generations N    stop once the run has N generations in total
  --config FILE      JSON overrides of the defaults, e.g. {"selfPlay": {"simulations": 200}}
                     (new runs only; a resumed run keeps its config.json)
  --print-config     print the game's default config as JSON and exit

Gating: a candidate becomes the best net when it scores >= eval.gatingThreshold (default 0.55) over
eval.gatingGames games against the best (colours alternate, draws count half); gatingGames 0 promotes
every candidate.

Games: ${listGames().map((g) => g.name).join(', ')}

Examples:
  arbor train tictactoe --run runs/ttt --generations 20
  arbor train connect4 --run runs/c4 --hours 8
  arbor train connect4 --print-config > my.json   # edit, then: arbor train connect4 --run runs/c4b --config my.json`;

export const command: Command = {
  name: 'train',
  summary: 'AlphaZero self-play training into a resumable run directory',
  help,
  async run(argv) {
    const args = parseCommandArgs(
      'train',
      argv,
      { run: { type: 'string' }, hours: { type: 'string' }, generations: { type: 'string' }, config: { type: 'string' }, 'print-config': { type: 'boolean' } },
      { min: 1, max: 1, usage },
    );
    const game = getGame(args.positionals[0]!);
    if (booleanFlag(args, 'print-config')) {
      console.log(JSON.stringify(defaultConfig(game.info.name), null, 2));
      return 0;
    }
    const runDir = stringFlag(args, 'run');
    if (runDir === undefined) {
      console.error(`arbor train: --run DIR is required. Usage: ${usage}`);
      return 2;
    }
    const hours = positiveFlag(args, 'hours');
    const generations = intFlag(args, 'generations', { min: 1 });
    const configFile = stringFlag(args, 'config');
    const controller = new AbortController();
    const onSignal = (): void => {
      if (controller.signal.aborted) process.exit(130);
      console.error('\nstopping: games in flight are dropped, finished games are already saved (Ctrl-C again to quit at once)');
      controller.abort();
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
    try {
      await trainRun({
        game: game.info.name,
        runDir,
        ...(hours === undefined ? {} : { hours }),
        ...(generations === undefined ? {} : { generations }),
        ...(configFile === undefined ? {} : { configFile }),
        log: (line) => console.error(`[${new Date().toISOString().slice(11, 19)}] ${line}`),
        signal: controller.signal,
      });
    } finally {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    }
    return 0;
  },
};
