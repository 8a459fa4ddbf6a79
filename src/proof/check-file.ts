/** `checkFile`: verifies every theorem of a `.lean` file with the embedded kernel. */
import { defaultKernel } from './library.js';
import { INTUITIONISTIC_AXIOMS, Kernel } from './kernel.js';
import { parseLeanFile, type FileItem } from './parser.js';
import { compiledWorkerUrl, runInKernelWorker } from './kernel-thread.js';

export interface CheckOptions {
  readonly intuitionistic?: boolean;
  /** Axioms a proof may use (default: all of Lean's; with `intuitionistic`, none that give excluded middle). */
  readonly allowedAxioms?: readonly string[];
}

export type TheoremStatus = 'verified' | 'rejected' | 'unsupported' | 'sorry' | 'error';

export interface TheoremCheck {
  readonly name: string;
  readonly line: number;
  readonly column: number;
  readonly status: TheoremStatus;
  readonly axioms: readonly string[];
  readonly reason?: string;
  /** Position of the failure, when known. */
  readonly at?: { readonly line: number; readonly column: number };
  readonly ms: number;
}

export function checkFile(text: string, opts: CheckOptions = {}): TheoremCheck[] {
  // Theorems proved earlier in the file may be used by later ones, as in Lean.
  const k = new Kernel(defaultKernel().env.clone());
  const out: TheoremCheck[] = [];
  const allowed = opts.allowedAxioms ?? (opts.intuitionistic ? INTUITIONISTIC_AXIOMS : undefined);
  for (const item of parseLeanFile(text)) out.push(checkItem(item, allowed));
  return out;

  function checkItem(item: FileItem, allowedAxioms: readonly string[] | undefined): TheoremCheck {
    const t0 = performance.now();
    const ms = () => Math.round((performance.now() - t0) * 100) / 100;
    if (item.kind === 'unsupported') return { name: item.name ?? '', line: item.line, column: item.column, status: 'unsupported', axioms: [], reason: item.message, ms: 0 };
    if (item.kind === 'error') return { name: item.name ?? '', line: item.line, column: item.column, status: 'error', axioms: [], reason: item.message, ms: 0 };
    if (item.proof.kind === 'sorry') return { name: item.name, line: item.line, column: item.column, status: 'sorry', axioms: ['sorryAx'], reason: 'the proof is sorry', ms: 0 };
    const r = k.prove(item, item.proof, { intuitionistic: opts.intuitionistic ?? false, ...(allowedAxioms ? { allowedAxioms } : {}) });
    if (r.kind === 'verified') {
      if (item.keyword !== 'example' && !k.env.has(item.name)) k.env.addChecked(item.name, 'thm', r.type, r.proof);
      return { name: item.name, line: item.line, column: item.column, status: 'verified', axioms: r.axioms, ms: ms() };
    }
    const unsupported = /^unsupported/.test(r.reason);
    return {
      name: item.name, line: item.line, column: item.column, status: unsupported ? 'unsupported' : 'rejected', axioms: [], reason: r.reason,
      ...(r.line !== undefined ? { at: { line: r.line, column: r.column ?? 0 } } : {}), ms: ms(),
    };
  }
}

/** `checkFile` in a kernel worker thread (deep proofs need its larger stack); in this thread when not compiled. */
export async function checkFileThreaded(text: string, opts: CheckOptions = {}): Promise<TheoremCheck[]> {
  const url = compiledWorkerUrl('./check-worker.js', import.meta.url);
  return url === null ? checkFile(text, opts) : runInKernelWorker<TheoremCheck[]>(url, { text, opts });
}
