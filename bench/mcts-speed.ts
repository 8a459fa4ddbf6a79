/**
 * Scratch benchmark (not a test): search simulations/s on Connect Four with the rollout
 * evaluator against raw playouts/s from the same positions, in CPU time (the machine is shared,
 * so wall time is noisy); medians over repetitions. Run:
 *   npx rolldown bench/mcts-speed.ts --platform node -f esm -o /tmp/mcts-speed.mjs && node /tmp/mcts-speed.mjs [sims] [reps]
 */
import { Rng } from '../src/core/index.js';
import { connectFour, gameEnvironment, rolloutEvaluator } from '../src/games/index.js';
import type { ConnectFourState } from '../src/games/index.js';
import { Mcts } from '../src/mcts/index.js';
import type { Evaluator, Expansion } from '../src/mcts/index.js';

const sims = Number(process.argv[2] ?? 20000);
const reps = Number(process.argv[3] ?? 5);
const g = connectFour;
const env = gameEnvironment(g);

function cpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;
const uniform = [0, 1, 2, 3, 4, 5, 6, 7].map((k) => new Float32Array(k).fill(1 / k));

/** Rollouts with shared uniform prior arrays (the search never writes to priors). */
function sharedPriorRollouts(rng: Rng): Evaluator<ConnectFourState, number> {
  return {
    evaluate(states) {
      const out: Expansion<number>[] = [];
      for (const s of states) {
        const actions = g.legalActions(s);
        out.push({ actions, priors: uniform[actions.length]!, value: g.playout(s, rng)[g.toMove(s) as number]! });
      }
      return out;
    },
  };
}
/** No playout at all: a random value. Measures the search's own overhead (plus apply/legalActions). */
function noPlayout(rng: Rng): Evaluator<ConnectFourState, number> {
  return {
    evaluate(states) {
      const out: Expansion<number>[] = [];
      for (const s of states) {
        const actions = g.legalActions(s);
        out.push({ actions, priors: uniform[actions.length]!, value: rng.next() * 2 - 1 });
      }
      return out;
    },
  };
}

for (const moves of (process.argv[4] ?? ",133451337455").split(",")) {
  const s = g.fromNotation(moves);
  const raw: number[] = [];
  const rows = new Map<string, number[]>();
  for (let rep = 0; rep < reps; rep++) {
    const rng = new Rng(rep + 1);
    let sink = 0;
    const t0 = cpuMs();
    for (let i = 0; i < sims; i++) sink += g.playout(s, rng)[0]!;
    raw.push(sims / ((cpuMs() - t0) / 1000));
    if (sink === 1e9) console.log(sink);
    for (const [name, evaluator, batchSize] of [
      ['rolloutEvaluator B=1', rolloutEvaluator(g, new Rng(rep + 7)), 1],
      ['rolloutEvaluator B=8', rolloutEvaluator(g, new Rng(rep + 7)), 8],
      ['shared-prior rollouts B=1', sharedPriorRollouts(new Rng(rep + 7)), 1],
      ['no playout B=1', noPlayout(new Rng(rep + 7)), 1],
    ] as const) {
      const m = new Mcts({ env, evaluator, seed: rep, batchSize, ...(process.env.CPUCT ? { cPuct: Number(process.env.CPUCT) } : {}) });
      const t1 = cpuMs();
      const r = await m.search(s, { simulations: sims });
      const v = r.simulations / ((cpuMs() - t1) / 1000);
      rows.set(name, [...(rows.get(name) ?? []), v]);
    }
  }
  const rawMed = median(raw);
  console.log(`position '${moves}', ${sims} simulations, median of ${reps}: raw playouts ${rawMed.toFixed(0)}/s`);
  for (const [name, xs] of rows) {
    const v = median(xs);
    console.log(`  ${name.padEnd(26)} ${v.toFixed(0).padStart(7)} sims/s  ratio ${(v / rawMed).toFixed(2)}  (${(1e6 / v).toFixed(2)} us/sim)`);
  }
}
