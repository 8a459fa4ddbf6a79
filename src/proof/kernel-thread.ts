/**
 * Worker threads for kernel work. Proof terms nest as deep as a script is long (each `have` wraps
 * the rest of the proof), and the kernel's term walks recurse, so the main thread's ~1 MB stack
 * overflows at roughly 800 nested steps; a worker's stack size is ours to choose.
 */
import { existsSync } from 'node:fs';
import { totalmem } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';

/** Stack of a kernel worker thread (reserved, not committed: untouched pages cost nothing). */
export const KERNEL_STACK_MB = 256;

/** `rel` next to the module at `base`, when it exists as compiled JavaScript (not under vitest's TS sources). */
export function compiledWorkerUrl(rel: string, base: string): URL | null {
  const url = new URL(rel, base);
  return existsSync(fileURLToPath(url)) ? url : null;
}

/** Heap of a kernel worker: a third of the memory, at most 8 GB (checking a 3 MB script takes 3 GB). */
export function kernelHeapMb(): number {
  return Math.max(1024, Math.min(8192, Math.floor(totalmem() / 2 ** 20 / 3)));
}

export function startKernelWorker(url: URL): Worker {
  const w = new Worker(url, { resourceLimits: { stackSizeMb: KERNEL_STACK_MB, maxOldGenerationSizeMb: kernelHeapMb() } });
  // Callers listen per request; a worker that fails between requests (or after its request was
  // given up on) must not take the process down with an unhandled 'error' event.
  w.on('error', () => {});
  return w;
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
