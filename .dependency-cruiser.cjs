/**
 * Import boundaries (see src/README.md):
 *   L4 cli server | L3 train | L2 games proof policy | L1 mcts lean | L0 core
 * A module imports only from lower layers (cli may start the server), and only through a
 * folder's index.ts.
 */
const layer = (name, folders, forbidden) => ({
  name,
  severity: 'error',
  comment: `${folders} may not import from ${forbidden} (higher layer or same-layer peer)`,
  from: { path: `^src/(${folders})/` },
  to: { path: `^src/(${forbidden})/` },
});

module.exports = {
  forbidden: [
    layer('core-is-the-bottom', 'core', 'mcts|lean|games|proof|policy|train|cli|server'),
    layer('mcts-layer-1', 'mcts', 'lean|games|proof|policy|train|cli|server'),
    layer('lean-layer-1', 'lean', 'mcts|games|proof|policy|train|cli|server'),
    layer('games-layer-2', 'games', 'proof|policy|train|cli|server'),
    layer('proof-layer-2', 'proof', 'games|policy|train|cli|server'),
    layer('policy-layer-2', 'policy', 'games|proof|train|cli|server'),
    layer('train-layer-3', 'train', 'cli|server'),
    layer('server-layer-4', 'server', 'cli'),
    {
      name: 'only-through-index',
      severity: 'error',
      comment: 'another folder is reached only through its index.ts',
      from: { path: '^src/([^/]+)/' },
      to: { path: '^src/[^/]+/', pathNot: ['^src/$1/', '^src/[^/]+/index\\.ts$'] },
    },
    {
      name: 'no-circular',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'no-test-from-src',
      severity: 'error',
      from: { path: '^src/' },
      to: { path: '^(test|bench)/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
  },
};
