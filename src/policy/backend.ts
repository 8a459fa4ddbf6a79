import * as tf from '@tensorflow/tfjs-core';
// Importing tfjs-layers registers the gradients of core ops (DESIGN.md "Networks").
import '@tensorflow/tfjs-layers';
import '@tensorflow/tfjs-backend-wasm';
import '@tensorflow/tfjs-backend-cpu';
import { EngineError } from '../core/index.js';
import { patchWasmKernels } from './wasm-kernels.js';

/** The tfjs backends we know, fastest first. */
export type BackendName = 'tensorflow-gpu' | 'tensorflow' | 'wasm' | 'cpu';
const BACKENDS: readonly BackendName[] = ['tensorflow-gpu', 'tensorflow', 'wasm', 'cpu'];

export interface BackendInfo {
  /** tfjs backend name as `tf.getBackend()` reports it ('tensorflow', 'wasm', 'cpu'). */
  readonly name: string;
  /** Which choice won: a native package, wasm (with our kernels), or the pure-JS cpu. */
  readonly kind: BackendName;
  /** Why earlier choices were skipped (missing optional packages, init failures). */
  readonly skipped: readonly string[];
}

export interface InitBackendOptions {
  /** Force one backend ('auto' tries native GPU, native, wasm, cpu in that order). */
  readonly prefer?: 'auto' | BackendName;
  /** Where to say which backend runs; default console.error once. Pass null for silence. */
  readonly log?: ((line: string) => void) | null;
}

// Patch at import, so wasm trains correctly however it gets initialised (tfjs also picks it on
// its own as the highest-priority registered backend).
patchWasmKernels();

let current: Promise<BackendInfo> | null = null;
let currentPrefer: 'auto' | BackendName = 'auto';

/** Make sure some backend is initialised (the default choice, logged once) before using tfjs. */
export async function ensureBackend(): Promise<BackendInfo> {
  return current ?? initBackend();
}

/**
 * Select and initialise the tfjs backend once per process (later calls return the same answer;
 * asking for a different `prefer` after that switches backend). Env ARBOR_TF_BACKEND sets the
 * default preference (e.g. `cpu` to cross-check wasm).
 * Native backends are optional dependencies loaded by dynamic import: they cannot install on
 * our machines, and where they can they are much faster for training.
 */
export function initBackend(opts: InitBackendOptions = {}): Promise<BackendInfo> {
  const env = process.env['ARBOR_TF_BACKEND'];
  if (opts.prefer === undefined && env !== undefined && env !== '' && !BACKENDS.includes(env as BackendName) && env !== 'auto') {
    return Promise.reject(new EngineError('BAD_CONFIG', `ARBOR_TF_BACKEND='${env}' is not one of auto, ${BACKENDS.join(', ')}`));
  }
  const prefer = opts.prefer ?? ((env || undefined) as BackendName | 'auto' | undefined) ?? 'auto';
  if (current !== null && (prefer === 'auto' || prefer === currentPrefer)) return current;
  currentPrefer = prefer;
  current = select(prefer).then((info) => {
    const log = opts.log === undefined ? (l: string) => console.error(l) : opts.log;
    log?.(`[policy] tfjs backend: ${info.kind}${info.skipped.length > 0 ? ` (skipped: ${info.skipped.join('; ')})` : ''}`);
    return info;
  });
  current.catch(() => {
    current = null;
  });
  return current;
}

async function select(prefer: 'auto' | BackendName): Promise<BackendInfo> {
  const order: readonly BackendName[] = prefer === 'auto' ? BACKENDS : [prefer];
  const skipped: string[] = [];
  for (const kind of order) {
    try {
      if (kind === 'tensorflow-gpu' || kind === 'tensorflow') {
        // A variable specifier keeps TypeScript and bundlers from resolving the optional package.
        const pkg = kind === 'tensorflow-gpu' ? '@tensorflow/tfjs-node-gpu' : '@tensorflow/tfjs-node';
        try {
          await import(pkg);
        } catch {
          skipped.push(`${pkg} not installed`);
          continue;
        }
        if (tf.findBackend('tensorflow') === null || !(await tf.setBackend('tensorflow'))) {
          skipped.push(`${pkg} loaded but its backend did not initialise`);
          continue;
        }
      } else {
        if (kind === 'wasm') patchWasmKernels();
        if (!(await tf.setBackend(kind))) {
          skipped.push(`${kind} failed to initialise`);
          continue;
        }
      }
      await tf.ready();
      return { name: tf.getBackend(), kind, skipped };
    } catch (e) {
      skipped.push(`${kind}: ${(e as Error).message}`);
    }
  }
  throw new EngineError('UNSUPPORTED', `no tfjs backend could start (${skipped.join('; ')})`);
}
