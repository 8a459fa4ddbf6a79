import { createInterface } from 'node:readline';
import type { Command } from '../command.js';
import { choiceFlag, intFlag, parseCommandArgs, positiveFlag, stringFlag } from '../args.js';
import { EngineError, ParseError } from '../../core/index.js';
import { defaultModel, loadGame } from '../engine.js';
import type { Action } from '../engine.js';
import { seconds, signed } from '../format.js';
import { createPlayer, playerSpecHelp } from '../players.js';

const USAGE = 'arbor play <game> [--sims N] [--time S] [--first human|bot] [--bot SPEC] [--model PATH] [--seed S]';

const help = `${USAGE}

Play against the bot in the terminal. Type moves in the game's notation (Connect Four: a column
number 1-7; tic-tac-toe: the notation shown in 'help'); a bad or illegal move is explained and
asked again. Works with piped input: one move or command per line.

Arguments:
  <game>          tictactoe | connect4

Options:
  --sims N        the bot's simulations per move (default 2000)
  --time S        the bot's thinking time per move in seconds (with --sims: whichever ends first)
  --first W       who moves first: human (default) or bot
  --bot SPEC      any player spec instead of uct (e.g. perfect for tictactoe, random)
  --model PATH    the network bot's model: a checkpoint or run directory, 'default' (the shipped
                  model, used by default where the game has one, e.g. connect4; 800 sims), or
                  'none' for plain UCT (2000 sims by default)
  --seed S        seed for the bot (default: random)
  -h, --help      show this help

While playing:
  <move>          play a move
  moves           list the legal moves
  hint            ask the bot what it would play for you
  undo            take back your last move (and the bot's reply)
  help            this list
  quit            resign

Player specs for --bot:
${playerSpecHelp('  ')}

Examples:
  arbor play connect4
  arbor play connect4 --sims 20000 --first bot
  arbor play tictactoe --bot perfect
  printf '%s\\n' 1 2 3 4 5 6 7 8 9 | arbor play tictactoe --bot perfect`;

/** Reads one line at a time from stdin, so piped input and a terminal behave the same. */
class LineReader {
  private readonly it: AsyncIterator<string>;
  constructor() {
    this.it = createInterface({ input: process.stdin, crlfDelay: Infinity })[Symbol.asyncIterator]();
  }
  async ask(prompt: string): Promise<string | null> {
    process.stdout.write(prompt);
    const r = await this.it.next();
    if (r.done) return null;
    if (!process.stdin.isTTY) process.stdout.write(`${r.value}\n`); // echo piped input so transcripts read well
    return r.value;
  }
}

export const command: Command = {
  name: 'play',
  summary: 'play against the bot in the terminal',
  help,
  async run(argv) {
    const args = parseCommandArgs(
      'play',
      argv,
      {
        sims: { type: 'string' },
        time: { type: 'string' },
        first: { type: 'string' },
        bot: { type: 'string' },
        model: { type: 'string' },
        seed: { type: 'string' },
      },
      { min: 1, max: 1, usage: USAGE },
    );
    const game = loadGame(args.positionals[0]!);
    const time = positiveFlag(args, 'time');
    const sims = intFlag(args, 'sims', { min: 1, max: 100_000_000 });
    const first = choiceFlag(args, 'first', ['human', 'bot'] as const, 'human');
    const seed = intFlag(args, 'seed', { min: 0, max: 0xffffffff, default: (Math.random() * 0x100000000) >>> 0 });
    const model = stringFlag(args, 'model');
    const botSpecFlag = stringFlag(args, 'bot');
    if (botSpecFlag !== undefined && (model !== undefined || sims !== undefined || time !== undefined)) {
      throw new ParseError('BAD_ARGUMENT', '--bot SPEC already sets the bot and its budget; drop --model/--sims/--time or put them in the spec');
    }
    const budget = [
      ...(sims !== undefined || time === undefined ? [`sims=${sims ?? 2000}`] : []),
      ...(time !== undefined ? [`time=${time}`] : []),
    ];
    // The shipped network plays by default where the game has one; --model none asks for plain UCT.
    const chosenModel = model === 'none' ? undefined : (model ?? (defaultModel(game) !== null ? 'default' : undefined));
    const azBudget = sims === undefined && time === undefined ? ['sims=800'] : budget;
    const botSpec = botSpecFlag ?? (chosenModel !== undefined ? `az:model=${chosenModel},${azBudget.join(',')}` : `uct:${budget.join(',')}`);
    const bot = createPlayer(game, botSpec, { seed });

    const humanSeat = first === 'human' ? 0 : 1;
    const reader = new LineReader();
    const legalText = (s: unknown) => game.legalActions(s).map((a) => game.actionToString(a)).join(' ');
    const history: Action[] = [];
    let state = game.initialState();
    bot.reset();

    const say = (line = '') => process.stdout.write(`${line}\n`);
    say(`${game.info.displayName}: you are player ${humanSeat + 1} (${humanSeat === 0 ? 'moving first' : 'moving second'}) against ${bot.name}.`);
    say(`Type a move (${legalText(state)}); 'help' lists commands, 'quit' resigns.`);

    let shown: unknown = undefined; // the board is printed once per position, not after every command
    for (;;) {
      if (shown !== state) {
        say('');
        say(game.render(state));
        shown = state;
      }
      const seat = game.toMove(state);
      if (seat === 'terminal') break;
      if (seat !== humanSeat) {
        const t0 = performance.now();
        const { action, result } = await bot.chooseAction(state);
        const ms = performance.now() - t0;
        const detail = result
          ? `   [bot's value ${signed(result.proven === 'win' ? 1 : result.proven === 'loss' ? -1 : result.value, 2)}${result.proven ? ` (proven ${result.proven})` : ''}, ${result.simulations} sims, ${seconds(ms)}]`
          : '';
        say(`Bot plays ${game.actionToString(action)}${detail}`);
        state = game.apply(state, action);
        history.push(action);
        bot.advance?.(action);
        continue;
      }
      const line = await reader.ask(`Your move (player ${humanSeat + 1}): `);
      if (line === null) {
        process.stderr.write('\narbor play: input ended before the game did; game abandoned\n');
        return 1;
      }
      const text = line.trim();
      const word = text.toLowerCase();
      if (text === '') continue;
      if (word === 'quit' || word === 'resign' || word === 'exit') {
        say(`You resign. Bot (${bot.name}) wins. Moves: ${game.toNotation(state) || '(none)'}`);
        return 0;
      }
      if (word === 'help' || word === '?') {
        say("Commands: <move> | moves | hint | undo | help | quit");
        say(`Legal moves: ${legalText(state)}`);
        continue;
      }
      if (word === 'moves') {
        say(`Legal moves: ${legalText(state)}`);
        continue;
      }
      if (word === 'hint') {
        // A fresh player for the human's side, so the bot's own tree is not disturbed.
        const adviser = createPlayer(game, bot.name === 'random' ? 'uct:sims=2000' : botSpec, { seed: seed + history.length + 1 });
        const { action } = await adviser.chooseAction(state);
        say(`Hint: ${game.actionToString(action)}`);
        continue;
      }
      if (word === 'undo') {
        // Take back to the human's previous turn: drop the bot's reply and the human's move.
        // Seat 0 moves at plies 0,2,..; seat 1 at 1,3,..: the human has moved iff history is long enough.
        if (history.length < humanSeat + 1) {
          say('Nothing to undo.');
          continue;
        }
        let n = 0;
        do {
          history.pop();
          n++;
        } while (history.length > 0 && replay(game, history).toMoveSeat !== humanSeat);
        state = replay(game, history).state;
        bot.reset();
        for (const a of history) bot.advance?.(a);
        say(`Took back ${n} move${n === 1 ? '' : 's'}.`);
        continue;
      }
      let action: Action;
      try {
        action = game.parseAction(text);
      } catch (e) {
        if (!(e instanceof EngineError)) throw e;
        say(`'${text}' is not a move: ${e.message}. Legal moves: ${legalText(state)}`);
        continue;
      }
      if (!game.legalActions(state).includes(action)) {
        say(`${game.actionToString(action)} is not legal here. Legal moves: ${legalText(state)}`);
        continue;
      }
      state = game.apply(state, action);
      history.push(action);
      bot.advance?.(action);
    }
    const r = game.returns(state)[humanSeat]!;
    say(r > 0 ? 'You win!' : r < 0 ? `Bot (${bot.name}) wins.` : 'Draw.');
    say(`Moves: ${game.toNotation(state)}`);
    return 0;
  },
};

function replay<S>(game: { initialState(): S; apply(s: S, a: Action): S; toMove(s: S): number | 'terminal' }, history: readonly Action[]): { state: S; toMoveSeat: number | 'terminal' } {
  let s = game.initialState();
  for (const a of history) s = game.apply(s, a);
  return { state: s, toMoveSeat: game.toMove(s) };
}
