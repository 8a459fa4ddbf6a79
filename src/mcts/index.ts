export type { NodeKind, Step, Environment, Expansion, Evaluator, ActionStats, SearchResult } from './types.js';
