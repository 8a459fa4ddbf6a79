/** Plain-text tables and number formatting for human output. */

export type Cell = string | number;

/** Left-aligns text, right-aligns numbers; a header rule under the column names. */
export function formatTable(rows: readonly Record<string, Cell>[], columns?: readonly string[]): string {
  const cols = columns ?? [...new Set(rows.flatMap((r) => Object.keys(r)))];
  if (cols.length === 0) return '';
  const text = rows.map((r) => cols.map((c) => cellText(r[c])));
  const numeric = cols.map((c) => rows.every((r) => r[c] === undefined || typeof r[c] === 'number' || /^([-+]?[\d.,]+(%|x| ?[a-zµ/]+)?|-|)$/.test(String(r[c]))));
  const widths = cols.map((c, i) => Math.max(c.length, ...text.map((t) => t[i]!.length)));
  const line = (cells: readonly string[]): string =>
    cells
      .map((t, i) => (numeric[i] ? t.padStart(widths[i]!) : t.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  return [line(cols), widths.map((w) => '-'.repeat(w)).join('  '), ...text.map(line)].join('\n');
}

function cellText(v: Cell | undefined): string {
  if (v === undefined) return '';
  if (typeof v === 'number') return formatNumber(v);
  return v;
}

/** Integers with thousands separators, others to 3 significant decimals. */
export function formatNumber(v: number): string {
  if (!Number.isFinite(v)) return Number.isNaN(v) ? 'n/a' : v > 0 ? 'inf' : '-inf';
  if (Number.isInteger(v)) return v.toLocaleString('en-US');
  const abs = Math.abs(v);
  if (abs >= 1000) return Math.round(v).toLocaleString('en-US');
  if (abs >= 10) return v.toFixed(1);
  return v.toFixed(3);
}

export function percent(x: number, digits = 1): string {
  return Number.isFinite(x) ? `${(100 * x).toFixed(digits)}%` : 'n/a';
}

/** +0.123 / -0.456: values from a player's view read better with an explicit sign. */
export function signed(x: number, digits = 3): string {
  if (Number.isNaN(x)) return '-';
  return (x >= 0 ? '+' : '') + x.toFixed(digits);
}

export function seconds(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
}
