/**
 * Worker threads for kernel work. Proof terms nest as deep as a script is long (each `have` wraps
 * the rest of the proof), and the kernel's term walks recurse, so the main thread's ~1 MB stack
 * overflows at roughly 800 nested steps; a worker's stack size is ours to choose.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';

/** Stack of a kernel worker thread (reserved, not committed: untouched pages cost nothing). */
export const KERNEL_STACK_MB = 256;

/** `rel` next to the module at `base`, when it exists as compiled JavaScript (not under vitest's TS sources). */
export function compiledWorkerUrl(rel: string, base: string): URL | null {
  const url = new URL(rel, base);
  return existsSync(fileURLToPath(url)) ? url : null;
}

export function startKernelWorker(url: URL): Worker {
  return new Worker(url, { resourceLimits: { stackSizeMb: KERNEL_STACK_MB } });
}

/** Runs one request in a fresh kernel worker and resolves with its single reply. */
export async function runInKernelWorker<T>(url: URL, request: unknown): Promise<T> {
  const w = startKernelWorker(url);
  try {
    return await new Promise<T>((resolve, reject) => {
      w.once('message', resolve);
      w.once('error', reject);
      w.once('exit', (code) => reject(new Error(`kernel worker exited with code ${code}`)));
      w.postMessage(request);
    });
  } finally {
    await w.terminate();
  }
}
