export type { ServerOptions, ArborServer, Health } from './server.js';
export { startServer, closeCodes } from './server.js';
export type { Limits } from './limits.js';
export { defaultLimits, resolveLimits } from './limits.js';
export type { WireErrorCode, GameView, Analysis, MoveAnalysis, GameSummary, BotSummary, GameResult, PlayedMove } from './protocol.js';
export { PROTOCOL_VERSION, wireErrorCodes } from './protocol.js';
