/**
 * Splitting a `.lean` file into its import header and the rest, as Kimina Lean Server does: the
 * header runs once per REPL process (its env is reused), the rest runs on top of it. Lean only
 * allows `import` at the very start of a file, so the header is the leading imports with the blank
 * lines and comments between them.
 */
export interface SplitSource {
  /** The import lines (joined by newlines), e.g. `import Mathlib\nimport Aesop`. */
  readonly header: string;
  /** The rest of the file, starting at the first line after the header. */
  readonly body: string;
  /** Add this to a line number reported for `body` to get the line in the whole file. */
  readonly lineOffset: number;
}

export function splitLeanHeader(source: string): SplitSource {
  const lines = source.split('\n');
  const imports: string[] = [];
  let i = 0;
  let inBlockComment = false;
  for (; i < lines.length; i++) {
    const t = lines[i]!.trim();
    if (inBlockComment) {
      if (t.includes('-/')) inBlockComment = false;
      continue;
    }
    if (t === '' || t.startsWith('--')) continue;
    if (t.startsWith('/-') && !t.startsWith('/--')) {
      inBlockComment = !t.includes('-/', 2);
      continue;
    }
    if (/^import\s/.test(t)) {
      imports.push(t);
      continue;
    }
    break;
  }
  // Keep leading comments/blank lines of the body with the header, so offsets stay exact.
  return { header: imports.join('\n'), body: lines.slice(i).join('\n'), lineOffset: i };
}
