/** Training curves as a self-contained SVG (opens in any browser or image viewer; no native deps). */

export interface Series {
  readonly name: string;
  readonly points: readonly (readonly [number, number])[];
}

export interface Panel {
  readonly title: string;
  readonly xLabel: string;
  readonly series: readonly Series[];
}

const COLORS = ['#1f77b4', '#d62728', '#2ca02c', '#ff7f0e', '#9467bd', '#8c564b', '#17becf'];

export function renderSvg(panels: readonly Panel[], title: string): string {
  const w = 760;
  const ph = 300;
  const h = 40 + panels.length * (ph + 30);
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}" viewBox="0 0 ${w} ${h}" font-family="sans-serif" font-size="12">`,
    `<rect width="100%" height="100%" fill="white"/>`,
    `<text x="${w / 2}" y="24" text-anchor="middle" font-size="16">${esc(title)}</text>`,
  ];
  panels.forEach((p, i) => parts.push(panel(p, 60, 40 + i * (ph + 30), w - 220, ph - 40)));
  parts.push('</svg>');
  return parts.join('\n');
}

function panel(p: Panel, x0: number, y0: number, pw: number, ph: number): string {
  const pts = p.series.flatMap((s) => s.points).filter(([x, y]) => Number.isFinite(x) && Number.isFinite(y));
  const out: string[] = [`<text x="${x0}" y="${y0 + 12}" font-size="14">${esc(p.title)}</text>`];
  const top = y0 + 24;
  out.push(`<rect x="${x0}" y="${top}" width="${pw}" height="${ph}" fill="none" stroke="#888"/>`);
  if (pts.length === 0) {
    out.push(`<text x="${x0 + pw / 2}" y="${top + ph / 2}" text-anchor="middle" fill="#888">no data yet</text>`);
    return out.join('\n');
  }
  let [xmin, xmax] = [Math.min(...pts.map((q) => q[0])), Math.max(...pts.map((q) => q[0]))];
  let [ymin, ymax] = [Math.min(...pts.map((q) => q[1])), Math.max(...pts.map((q) => q[1]))];
  if (xmax === xmin) xmax = xmin + 1;
  if (ymax === ymin) [ymin, ymax] = [ymin - 0.5, ymax + 0.5];
  const sx = (x: number): number => x0 + ((x - xmin) / (xmax - xmin)) * pw;
  const sy = (y: number): number => top + ph - ((y - ymin) / (ymax - ymin)) * ph;
  for (let k = 0; k <= 4; k++) {
    const yv = ymin + ((ymax - ymin) * k) / 4;
    const xv = xmin + ((xmax - xmin) * k) / 4;
    out.push(`<line x1="${x0}" x2="${x0 + pw}" y1="${sy(yv)}" y2="${sy(yv)}" stroke="#eee"/>`);
    out.push(`<text x="${x0 - 6}" y="${sy(yv) + 4}" text-anchor="end">${fmt(yv)}</text>`);
    out.push(`<text x="${sx(xv)}" y="${top + ph + 14}" text-anchor="middle">${fmt(xv)}</text>`);
  }
  out.push(`<text x="${x0 + pw / 2}" y="${top + ph + 28}" text-anchor="middle" fill="#555">${esc(p.xLabel)}</text>`);
  p.series.forEach((s, i) => {
    const color = COLORS[i % COLORS.length]!;
    const good = s.points.filter(([x, y]) => Number.isFinite(x) && Number.isFinite(y));
    if (good.length > 0) {
      const d = good.map(([x, y], j) => `${j === 0 ? 'M' : 'L'}${sx(x).toFixed(1)},${sy(y).toFixed(1)}`).join(' ');
      out.push(`<path d="${d}" fill="none" stroke="${color}" stroke-width="2"/>`);
      for (const [x, y] of good) out.push(`<circle cx="${sx(x).toFixed(1)}" cy="${sy(y).toFixed(1)}" r="2.5" fill="${color}"/>`);
    }
    out.push(`<rect x="${x0 + pw + 14}" y="${top + 8 + i * 18}" width="12" height="12" fill="${color}"/>`);
    out.push(`<text x="${x0 + pw + 32}" y="${top + 18 + i * 18}">${esc(s.name)}</text>`);
  });
  return out.join('\n');
}

function fmt(v: number): string {
  const a = Math.abs(v);
  if (a >= 1000) return v.toFixed(0);
  if (a >= 10) return v.toFixed(1);
  return v.toFixed(2);
}

function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
