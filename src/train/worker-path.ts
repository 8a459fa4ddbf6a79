import { join } from 'node:path';
import { packageRoot } from '../core/index.js';

/**
 * Worker threads run compiled JavaScript, also when this module runs as TypeScript source under
 * the test runner: they always load the build in dist/ (`npm test` and `npm ci` build it).
 */
export function compiledModule(relative: string): string {
  return join(packageRoot(), 'dist', relative);
}
