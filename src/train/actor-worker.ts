/**
 * A self-play actor in a worker thread: loads the best checkpoint for inference (ONNX Runtime when
 * available), plays games with many searches in flight sharing one batching evaluator, and posts
 * each finished game back to the learner, which is the only writer of the replay buffer.
 */
import { parentPort } from 'node:worker_threads';
import { Rng } from '../core/index.js';
import { BatchingEvaluator } from '../mcts/index.js';
import { getGame, playoutMixEvaluator, type Action } from '../games/index.js';
import { NetworkEvaluator, loadInferenceEngine, initBackend, type InferenceEngine } from '../policy/index.js';
import { playSelfPlayGames } from './self-play.js';
import type { TrainConfig } from './config.js';
import type { ActorRequest, ActorMessage } from './actor-protocol.js';

const port = parentPort;
if (!port) throw new Error('actor-worker must run in a worker thread');

let loaded: { dir: string; engine: InferenceEngine } | null = null;
let stop = false;

async function engineFor(dir: string): Promise<InferenceEngine> {
  if (loaded?.dir === dir) return loaded.engine;
  await loaded?.engine.dispose();
  const { engine } = await loadInferenceEngine(dir);
  loaded = { dir, engine };
  return engine;
}

function post(m: ActorMessage, transfer: ArrayBuffer[] = []): void {
  port!.postMessage(m, transfer);
}

async function play(req: Extract<ActorRequest, { type: 'play' }>): Promise<void> {
  const game = getGame(req.game);
  const engine = await engineFor(req.checkpoint);
  const net = new NetworkEvaluator<unknown>({
    encode: (s) => game.observationTensor(s as never),
    legalActions: (s) => game.legalActions(s as never),
    net: engine,
  });
  const cfg: TrainConfig['selfPlay'] = req.config;
  const leaf = playoutMixEvaluator<unknown>(game as never, net, { weight: cfg.playoutMix, policy: cfg.playoutPolicy, rng: new Rng((req.seed ^ 0x5bd1e995) >>> 0) });
  const batching = new BatchingEvaluator<unknown, Action>(leaf, { maxBatch: cfg.gamesInFlight * cfg.leavesPerBatch });
  const played = await playSelfPlayGames<unknown>({
    game: game as never,
    evaluator: () => batching.client(),
    config: cfg,
    count: req.games,
    rng: new Rng(req.seed),
    shouldStop: () => stop,
    onGame: (g) => {
      const os = g.samples[0]?.observation.length ?? 0;
      const na = g.samples[0]?.policy.length ?? 0;
      const packed = new Float32Array(g.samples.length * (os + na + 1));
      let o = 0;
      for (const s of g.samples) {
        packed.set(s.observation, o);
        packed.set(s.policy, o + os);
        packed[o + os + na] = s.value;
        o += os + na + 1;
      }
      post({ type: 'game', packed, count: g.samples.length, result: g.result, moves: g.moves }, [packed.buffer as ArrayBuffer]);
    },
  });
  post({ type: 'done', games: played, positions: net.positions, calls: net.calls });
}

port.on('message', (req: ActorRequest) => {
  if (req.type === 'stop') {
    stop = true;
    return;
  }
  stop = false;
  initBackend({ log: null })
    .then(() => play(req))
    .catch((e: unknown) => post({ type: 'error', message: e instanceof Error ? (e.stack ?? e.message) : String(e) }));
});
