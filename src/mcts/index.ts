export type { NodeKind, Step, Environment, Expansion, Evaluator, ActionStats, SearchResult } from './types.js';
export type { MctsOptions, Fpu, Temperature } from './options.js';
export { DEFAULTS as MCTS_DEFAULTS } from './options.js';
export type { MctsConfig, SearchOptions, SearchTree } from './search.js';
export { Mcts } from './search.js';
export type { BatchingOptions, BatchClient, BatchingStats } from './batching.js';
export { BatchingEvaluator } from './batching.js';
