import type { TrainConfig } from './config.js';

export type ActorRequest =
  | { readonly type: 'play'; readonly game: string; readonly checkpoint: string; readonly games: number; readonly seed: number; readonly config: TrainConfig['selfPlay'] }
  | { readonly type: 'stop' };

export type ActorMessage =
  | { readonly type: 'game'; readonly packed: Float32Array; readonly count: number; readonly result: number; readonly moves: number }
  | { readonly type: 'done'; readonly games: number; readonly positions: number; readonly calls: number }
  | { readonly type: 'error'; readonly message: string };
