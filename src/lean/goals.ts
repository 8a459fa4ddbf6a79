/**
 * Lean's pretty-printed goals, as the REPL prints them (`goals` entries, `sorries[].goal`):
 *
 *   case succ            (optional)
 *   a b : Nat            (hypotheses; several names may share one type)
 *   h : a = b            (long types continue on lines indented by spaces)
 *   ⊢ a + 0 = b
 */
export interface ParsedHypothesis {
  readonly name: string;
  readonly type: string;
}

export interface ParsedGoal {
  readonly caseName: string | undefined;
  readonly hyps: readonly ParsedHypothesis[];
  readonly target: string;
  /** The text exactly as Lean printed it. */
  readonly text: string;
}

const TURNSTILE = '⊢';

export function parseGoal(text: string): ParsedGoal {
  const lines = text.split('\n');
  // Join continuation lines (indented) onto the line they continue.
  const logical: string[] = [];
  for (const line of lines) {
    if (logical.length > 0 && /^\s/.test(line)) logical[logical.length - 1] += `\n${line}`;
    else logical.push(line);
  }
  let caseName: string | undefined;
  const hyps: ParsedHypothesis[] = [];
  let target = '';
  for (const entry of logical) {
    if (entry.startsWith(TURNSTILE)) {
      target = entry.slice(TURNSTILE.length).trim();
      continue;
    }
    if (caseName === undefined && hyps.length === 0 && entry.startsWith('case ')) {
      caseName = entry.slice(5).trim();
      continue;
    }
    const colon = entry.indexOf(' : ');
    if (colon < 0) {
      // Not a hypothesis line we understand: keep it visible rather than dropping it.
      if (entry.trim() !== '') hyps.push({ name: '', type: entry.trim() });
      continue;
    }
    const type = entry.slice(colon + 3).trim();
    for (const name of entry.slice(0, colon).trim().split(/\s+/)) hyps.push({ name, type });
  }
  return { caseName, hyps, target, text };
}
