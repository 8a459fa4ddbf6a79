export type { ErrorCode } from './errors.js';
export { EngineError, IllegalActionError, ParseError, isEngineError } from './errors.js';
export type { Result } from './result.js';
export { ok, err } from './result.js';
export { Rng } from './rng.js';
export { writeFileAtomic, writeFileAtomicSync, syncDir } from './atomic-write.js';
export { packageRoot, sharedDir } from './paths.js';
