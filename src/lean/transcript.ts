/**
 * REPL input as the REPL reads it: a request is the lines up to an empty (or whitespace-only) line
 * or end of input, each stripped of trailing whitespace and joined without separator (so a raw
 * line break inside a JSON string is lost: `invalid_line_break`); texts starting with `#` or `--`
 * are comments and get no answer. Used to read recorded `.in` transcripts.
 */
export function splitReplInput(text: string): string[] {
  const out: string[] = [];
  let cur: string[] = [];
  const flush = (): void => {
    const joined = cur.join('');
    cur = [];
    if (joined !== '' && !joined.startsWith('#') && !joined.startsWith('--')) out.push(joined);
  };
  for (const line of text.split('\n')) {
    if (line.trim() === '') flush();
    else cur.push(line.replace(/\s+$/, ''));
  }
  flush();
  return out;
}
