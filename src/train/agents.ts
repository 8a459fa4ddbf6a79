import { Rng } from '../core/index.js';
import { Mcts, BatchingEvaluator, type Evaluator, type SearchResult } from '../mcts/index.js';
import { gameEnvironment, playoutMixEvaluator, rolloutEvaluator, type Action, type Game, type PlayoutPolicy } from '../games/index.js';
import { NetworkEvaluator, type InferenceEngine } from '../policy/index.js';

/** A player of whole games: the same shape as the CLI's and the server's players. */
export interface Agent<S> {
  readonly name: string;
  chooseAction(state: S): Promise<{ readonly action: Action; readonly result?: SearchResult<Action> }>;
  reset(): void;
  advance?(action: Action): void;
}

/**
 * The network as an mcts Evaluator for one game (encoder and legal moves from the rules).
 * `symmetryAverage`: priors and value averaged over every board symmetry (one batch, 1+k rows).
 */
export function networkEvaluator<S>(
  game: Game<S>,
  engine: InferenceEngine,
  o: { readonly symmetryAverage?: boolean; readonly policyTemperature?: number } = {},
): NetworkEvaluator<S> {
  return new NetworkEvaluator<S>({
    encode: (s) => game.observationTensor(s),
    legalActions: (s) => game.legalActions(s),
    net: engine,
    ...(o.policyTemperature === undefined ? {} : { policyTemperature: o.policyTemperature }),
    ...(o.symmetryAverage === true ? { symmetries: game.symmetries.filter((y) => y.name !== 'identity'), symmetryMode: 'average' as const } : {}),
  });
}

export interface SearchAgentOptions {
  readonly simulations?: number;
  readonly timeMs?: number;
  readonly seed?: number;
  readonly cPuct?: number;
  /** Leaves per evaluator call within this one search (virtual loss). */
  readonly batchSize?: number;
  /** Share evaluations between transposed positions (see mcts `transpositions`). */
  readonly transpositions?: boolean;
}

/** Tree search with tree reuse between moves, over any evaluator: `az` with a network, `uct` with rollouts. */
export function searchAgent<S>(name: string, game: Game<S>, evaluator: Evaluator<S, Action>, o: SearchAgentOptions): Agent<S> {
  const make = (): Mcts<S, Action> =>
    new Mcts<S, Action>({
      env: gameEnvironment(game),
      evaluator,
      ...(o.cPuct === undefined ? {} : { cPuct: o.cPuct }),
      batchSize: o.batchSize ?? 1,
      transpositions: o.transpositions ?? false,
      seed: o.seed ?? 1,
    });
  let mcts = make();
  const budget = { ...(o.simulations === undefined ? {} : { simulations: o.simulations }), ...(o.timeMs === undefined ? {} : { timeMs: o.timeMs }) };
  return {
    name,
    async chooseAction(state) {
      const result = await mcts.search(state, budget);
      return { action: result.action, result };
    },
    reset() {
      mcts = make();
    },
    advance(action) {
      mcts.advance(action);
    },
  };
}

/**
 * Search settings of network-guided play (az players, evaluation), measured with the Connect Four
 * net of generation 86 (shipped until generation 127 replaced it) at 800 simulations per move:
 * - cPuct 2 instead of AlphaZero's schedule (about 1.25 at these budgets): on 150 scored positions
 *   76.7% optimal / 90.0% result-keeping with 2, against 72.7% / 88.0% with the schedule
 *   (1: 71.3/88.7, 2.5: 76.0/88.0, 3: 76.7/88.7).
 * - Eight leaves per network call cost nothing measurable against one and run about twice as fast.
 * - Not used, measured: priors and values averaged over the board's mirror image, with evaluations
 *   shared between transposed positions, raise the scored rates on all 500 positions from
 *   75.8/92.2 to 78.8/93.6 but lose games: against uct:sims=10000 over two sets of 100 games,
 *   102 wins 12 draws 86 losses against 122-9-69 without (mirror averaging alone 51-7-42 and
 *   transpositions alone 60-3-37 on the first set, where plain scored 63-3-34).
 * - Playout mix 0.5 (leaf value = half the net's value, half one random playout's result; see
 *   playoutMixEvaluator): on the 500 scored positions 79.6% optimal / 93.8% result-keeping against
 *   75.8 / 92.2 for the net alone (0.25: 76.5/89.5 on 200; 0.65: 78.4/93.6; 0.8: 78.2/93.2; four
 *   playouts per leaf at 0.5: 78.4/93.2). Against uct:sims=10000 over 100 games, 66-1-33 and
 *   69-2-29 (two playout seeds) against 63-3-34; over 200 other games 0.6 scored 141-8-51, 0.75
 *   135-11-54 and 0.9 134-6-60. The net alone loses mostly to deep tactics that UCT's solver
 *   proves and the value head misjudges; a playout sees some of them.
 * - Prior temperature 1.7 (priors = softmax(logits / 1.7)): the net's policy is sharper than its
 *   judgement (self-play sharpens its own targets), and flatter priors let the search look at the
 *   replies it would dismiss. With mix 0.5, on the 500 positions: 1.3 80.2/93.4, 1.7 81.2/94.2,
 *   2.2 80.8/93.2, 3 79.2/92.8 (1.7 without the mix: 78.6/92.6). Against uct:sims=10000 over 200
 *   games (seeds 3000-3199): 150-12-38 with 1.7 against 131-12-57 with 1.
 * - Tactical playouts in the mix (take a win, else block, else a random move that hands the
 *   opponent no win; the game's tacticalPlayout), measured with generation 127: on the 500
 *   positions 86.0/96.2 against 80.8/93.8 with random playouts (mix 0.3: 84.6/96.4, 0.7:
 *   84.2/95.8); against uct:sims=10000 over 200 games (seeds 3000-3199) 183-4-13 against 163-6-31.
 *   Generation 176, trained with them in self-play, is the net shipped now (models/connect4).
 */
export const AZ_SEARCH = {
  cPuct: 2,
  batchSize: 8,
  transpositions: false,
  symmetryAverage: false,
  playoutMix: 0.5,
  playoutPolicy: 'tactical',
  policyTemperature: 1.7,
} as const;

/** The network evaluator of az play: AZ_SEARCH's symmetry, prior temperature and playout mix (`mix` and `playouts` override it). */
export function azEvaluator<S>(
  game: Game<S>,
  engine: InferenceEngine,
  o: { readonly seed: number; readonly mix?: number; readonly playouts?: PlayoutPolicy; readonly policyTemperature?: number },
): Evaluator<S, Action> {
  const net = networkEvaluator(game, engine, { symmetryAverage: AZ_SEARCH.symmetryAverage, policyTemperature: o.policyTemperature ?? AZ_SEARCH.policyTemperature });
  return playoutMixEvaluator(game, net, { weight: o.mix ?? AZ_SEARCH.playoutMix, policy: o.playouts ?? AZ_SEARCH.playoutPolicy, rng: new Rng((o.seed ^ 0x5bd1e995) >>> 0) });
}

export function azAgent<S>(
  game: Game<S>,
  engine: InferenceEngine | Evaluator<S, Action>,
  o: SearchAgentOptions & { readonly name?: string; readonly mix?: number; readonly playouts?: PlayoutPolicy; readonly policyTemperature?: number },
): Agent<S> {
  const { mix, playouts, policyTemperature, ...rest } = o;
  const evaluator =
    'run' in engine
      ? azEvaluator(game, engine, { seed: o.seed ?? 1, ...(mix === undefined ? {} : { mix }), ...(playouts === undefined ? {} : { playouts }), ...(policyTemperature === undefined ? {} : { policyTemperature }) })
      : engine;
  return searchAgent(o.name ?? `az:sims=${o.simulations ?? '?'}`, game, evaluator, { batchSize: AZ_SEARCH.batchSize, transpositions: AZ_SEARCH.transpositions, ...rest, cPuct: o.cPuct ?? AZ_SEARCH.cPuct });
}

export function uctAgent<S>(game: Game<S>, o: SearchAgentOptions): Agent<S> {
  return searchAgent(`uct:sims=${o.simulations ?? '?'}`, game, rolloutEvaluator(game, new Rng(o.seed ?? 7)), { cPuct: 1.4, ...o });
}

/** Plays one game; `first` moves first. Returns player 0's return. */
export async function playGame<S>(game: Game<S>, first: Agent<S>, second: Agent<S>): Promise<number> {
  first.reset();
  second.reset();
  let s = game.initialState();
  while (!game.isTerminal(s)) {
    const mover = game.toMove(s) === 0 ? first : second;
    const { action } = await mover.chooseAction(s);
    s = game.apply(s, action);
    first.advance?.(action);
    second.advance?.(action);
  }
  return game.returns(s)[0]!;
}

/** Colours alternate; returns A's score in [0,1] (win 1, draw 1/2) and W/D/L from A's view. */
export async function playMatch<S>(
  game: Game<S>,
  a: Agent<S>,
  b: Agent<S>,
  games: number,
): Promise<{ score: number; wins: number; draws: number; losses: number; games: number }> {
  let wins = 0;
  let draws = 0;
  let losses = 0;
  for (let i = 0; i < games; i++) {
    const aFirst = i % 2 === 0;
    const r0 = await playGame(game, aFirst ? a : b, aFirst ? b : a);
    const ra = aFirst ? r0 : -r0;
    if (ra > 0) wins++;
    else if (ra < 0) losses++;
    else draws++;
  }
  return { score: games === 0 ? NaN : (wins + draws / 2) / games, wins, draws, losses, games };
}

/** Plays several games at once so that network agents share batches; same result shape as playMatch. */
export async function playMatchParallel<S>(
  game: Game<S>,
  makeA: (i: number) => Agent<S>,
  makeB: (i: number) => Agent<S>,
  games: number,
  inFlight: number,
): Promise<{ score: number; wins: number; draws: number; losses: number; games: number }> {
  let next = 0;
  const outcomes: number[] = [];
  const runner = async (): Promise<void> => {
    while (next < games) {
      const i = next++;
      const a = makeA(i);
      const b = makeB(i);
      const aFirst = i % 2 === 0;
      const r0 = await playGame(game, aFirst ? a : b, aFirst ? b : a);
      outcomes.push(aFirst ? r0 : -r0);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(inFlight, games)) }, runner));
  const wins = outcomes.filter((r) => r > 0).length;
  const losses = outcomes.filter((r) => r < 0).length;
  const draws = games - wins - losses;
  return { score: games === 0 ? NaN : (wins + draws / 2) / games, wins, draws, losses, games };
}
