/**
 * A worker thread for `arbor prove --jobs K`: its own kernel environment, one theorem per message.
 * Messages: `{ theorem: TheoremSource, opts: ProveOptions }` in, a ProofReport out.
 */
import { parentPort } from 'node:worker_threads';
import { KernelEnvironment } from '../kernel-environment.js';
import type { TheoremSource } from '../environment.js';
import { type ProveOptions, proveTheorem } from './prover.js';

const envs = new Map<boolean, KernelEnvironment>();

parentPort?.on('message', (msg: { theorem: TheoremSource; opts: ProveOptions }) => {
  const intu = msg.opts.intuitionistic ?? false;
  let env = envs.get(intu);
  if (env === undefined) {
    env = new KernelEnvironment({ intuitionistic: intu });
    envs.set(intu, env);
  }
  proveTheorem(env, msg.theorem, msg.opts).then(
    (r) => parentPort!.postMessage(r),
    (e: unknown) =>
      parentPort!.postMessage({
        name: msg.theorem.name,
        status: 'error',
        proof: null,
        script: null,
        axioms: [],
        verified: false,
        expansions: 0,
        ms: 0,
        tactics: 0,
        search: msg.opts.search ?? 'mcts',
        message: e instanceof Error ? e.message : String(e),
      }),
  );
});
