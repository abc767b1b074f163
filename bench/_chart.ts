/**
 * The benchmark's chart: throughput and peak memory against items per run, and against plugins,
 * as a small self-contained SVG.
 *
 * @module
 */

/** One measured point. */
export interface Point {
  /** The line it belongs to. */
  series: string;
  /** Items per run, or plugins. */
  x: number;
  /** Median items/s. */
  itemsPerS: number;
  /** Peak RSS of the process tree, MB. */
  rssMb: number;
}

const W = 330;
const H = 230;
const PAD = 46;
const COLORS = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd"];

/**
 * Writes four panels to `file`: items/s and peak RSS against items (log-spaced), and against
 * plugins.
 */
export async function writeChart(
  file: string,
  byItems: Point[],
  byPlugins: Point[],
): Promise<void> {
  const label = (x: number) => (x >= 1e6 ? `${x / 1e6}M` : x >= 1e3 ? `${x / 1e3}k` : String(x));
  const panels = [
    panel(0, "items/s against items per run", byItems, (p) => p.itemsPerS, label),
    panel(1, "peak RSS (MB) against items per run", byItems, (p) => p.rssMb, label),
    panel(2, "items/s against plugins", byPlugins, (p) => p.itemsPerS, String),
    panel(3, "peak RSS (MB) against plugins", byPlugins, (p) => p.rssMb, String),
  ];
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${2 * W}" height="${2 * H}" ` +
    `font-family="sans-serif"><rect width="100%" height="100%" fill="white"/>${
      panels.join("")
    }</svg>\n`;
  await Deno.writeTextFile(file, svg);
}

function panel(
  n: number,
  title: string,
  points: Point[],
  value: (p: Point) => number,
  label: (x: number) => string,
): string {
  const x0 = (n % 2) * W;
  const y0 = Math.floor(n / 2) * H;
  const xs = [...new Set(points.map((p) => p.x))].sort((a, b) => a - b);
  const max = Math.max(1, ...points.map(value).filter(Number.isFinite)) * 1.15;
  const px = (x: number) => x0 + PAD + (xs.indexOf(x) / Math.max(1, xs.length - 1)) * (W - 2 * PAD);
  const py = (v: number) => y0 + H - PAD - (v / max) * (H - 2 * PAD);
  const series = [...new Set(points.map((p) => p.series))];
  const lines = series.map((name, i) => {
    const color = COLORS[i % COLORS.length];
    const pts = points.filter((p) => p.series === name).sort((a, b) => a.x - b.x);
    const path = pts.map((p) => `${px(p.x).toFixed(1)},${py(value(p)).toFixed(1)}`).join(" ");
    const dots = pts.map((p) =>
      `<circle cx="${px(p.x).toFixed(1)}" cy="${py(value(p)).toFixed(1)}" r="3" fill="${color}"/>`
    ).join("");
    return `<polyline fill="none" stroke="${color}" stroke-width="2" points="${path}"/>${dots}` +
      `<text x="${x0 + PAD + 6}" y="${
        y0 + PAD + 4 + 13 * i
      }" font-size="10" fill="${color}">${name}</text>`;
  }).join("");
  const xTicks = xs.map((x) =>
    `<text x="${px(x)}" y="${y0 + H - PAD + 14}" font-size="10" text-anchor="middle">${
      label(x)
    }</text>`
  ).join("");
  const yTicks = [0, 0.5, 1].map((f) => {
    const v = (max / 1.15) * f;
    return `<text x="${x0 + PAD - 4}" y="${py(v) + 3}" font-size="10" text-anchor="end">` +
      `${Math.round(v).toLocaleString("en-US")}</text>`;
  }).join("");
  return `<text x="${x0 + PAD}" y="${y0 + 18}" font-size="12" font-weight="bold">${title}</text>` +
    `<line x1="${x0 + PAD}" y1="${y0 + H - PAD}" x2="${x0 + W - PAD}" y2="${
      y0 + H - PAD
    }" stroke="#999"/>` +
    `<line x1="${x0 + PAD}" y1="${y0 + PAD}" x2="${x0 + PAD}" y2="${
      y0 + H - PAD
    }" stroke="#999"/>` +
    xTicks + yTicks + lines;
}
