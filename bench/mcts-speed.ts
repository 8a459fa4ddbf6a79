/**
 * Scratch benchmark (not a test): search simulations/s on Connect Four with the rollout
 * evaluator against raw playouts/s from the same positions, in CPU time (the machine is shared,
 * so wall time is noisy). Run:
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

// Raw playouts and searches are interleaved chunk by chunk, so that both see the same machine
// load (the ratio is what matters; absolute rates move with the load).
for (const moves of (process.argv[4] ?? ',133451337455').split(',')) {
  const s = g.fromNotation(moves);
  let rawMs = 0;
  const allNames = ['rolloutEvaluator B=1', 'rolloutEvaluator B=8', 'shared-prior rollouts B=1', 'no playout B=1'] as const;
  const names = allNames.filter((n) => !process.env.ONLY || n.startsWith(process.env.ONLY));
  const ms = new Map<string, number>(names.map((n) => [n, 0]));
  const done = new Map<string, number>(names.map((n) => [n, 0]));
  let sink = 0;
  for (let rep = 0; rep < reps; rep++) {
    const rng = new Rng(rep + 1);
    const t0 = cpuMs();
    for (let i = 0; i < sims; i++) sink += g.playout(s, rng)[0]!;
    rawMs += cpuMs() - t0;
    for (const name of names) {
      const evaluator =
        name === 'no playout B=1' ? noPlayout(new Rng(rep + 7)) : name === 'shared-prior rollouts B=1' ? sharedPriorRollouts(new Rng(rep + 7)) : rolloutEvaluator(g, new Rng(rep + 7));
      const batchSize = name === 'rolloutEvaluator B=8' ? 8 : 1;
      const m = new Mcts({ env, evaluator, seed: rep, batchSize, ...(process.env.CPUCT ? { cPuct: Number(process.env.CPUCT) } : {}) });
      const t1 = cpuMs();
      const r = await m.search(s, { simulations: sims });
      ms.set(name, ms.get(name)! + cpuMs() - t1);
      done.set(name, done.get(name)! + r.simulations);
    }
  }
  if (sink === 1e9) console.log(sink);
  const raw = (reps * sims) / (rawMs / 1000);
  console.log(`position '${moves}', ${reps} x ${sims} simulations per search: raw playouts ${raw.toFixed(0)}/s`);
  for (const name of names) {
    const v = done.get(name)! / (ms.get(name)! / 1000);
    console.log(`  ${name.padEnd(26)} ${v.toFixed(0).padStart(7)} sims/s  ratio ${(v / raw).toFixed(2)}  (${(1e6 / v).toFixed(2)} us/sim)`);
  }
}
