import type { BenchSuite } from './types.js';

/** Suites run in this order by `arbor bench`; `arbor bench NAME...` picks some. Add one line per suite. */
export const benchRegistry: Record<string, () => Promise<BenchSuite>> = {
  search: async () => (await import('./search.js')).searchSpeedSuite,
  strength: async () => (await import('./strength.js')).strengthSuite,
  policy: async () => (await import('./policy.js')).policySuite,
  server: async () => (await import('./server.js')).serverLoadSuite,
  lean: async () => (await import('./lean.js')).leanBridgeSuite,
  proof: async () => (await import('./proof.js')).proofSuite,
  train: async () => (await import('./train.js')).trainSuite,
  az: async () => (await import('./az.js')).azSuite,
};
