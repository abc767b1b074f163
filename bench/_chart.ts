/**
 * The benchmark's chart: throughput and peak memory against items and plugins, as a small
 * self-contained SVG (no dependencies).
 *
 * @module
 */

/** One point of the sweep. */
export interface Point {
  /** The series ("otai process", "plain loop"). */
  label: string;
  /** Items per run. */
  items: number;
  /** Plugins (sandboxes); 0 for the plain loop. */
  plugins: number;
  /** Median items/s. */
  itemsPerS: number;
  /** Peak RSS of the process tree, MB. */
  rssMb: number;
}

const W = 360;
const H = 220;
const PAD = 44;
const COLORS = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd"];

/** Writes two panels (items/s and peak RSS against items, one line per plugin count) to `file`. */
export async function writeChart(file: string, points: Point[]): Promise<void> {
  const series = [...new Set(points.map((p) => `${p.label}|${p.plugins}`))];
  const panel = (x0: number, title: string, value: (p: Point) => number) => {
    const xs = [...new Set(points.map((p) => p.items))].sort((a, b) => a - b);
    const max = Math.max(...points.map(value).filter(Number.isFinite)) * 1.1 || 1;
    const px = (items: number) =>
      x0 + PAD + (xs.indexOf(items) / Math.max(1, xs.length - 1)) * (W - 2 * PAD);
    const py = (v: number) => H - PAD - (v / max) * (H - 2 * PAD);
    const lines = series.map((key, i) => {
      const [label, plugins] = key.split("|");
      const pts = points.filter((p) => `${p.label}|${p.plugins}` === key).sort((a, b) =>
        a.items - b.items
      );
      const path = pts.map((p) => `${px(p.items).toFixed(1)},${py(value(p)).toFixed(1)}`).join(" ");
      const name = plugins === "0"
        ? label
        : `${label}, ${plugins} plugin${plugins === "1" ? "" : "s"}`;
      return `<polyline fill="none" stroke="${
        COLORS[i % COLORS.length]
      }" stroke-width="2" points="${path}"/>` +
        `<text x="${x0 + W - PAD + 4}" y="${PAD + 14 * i}" font-size="10" fill="${
          COLORS[i % COLORS.length]
        }">${name}</text>`;
    }).join("");
    const ticks = xs.map((x) =>
      `<text x="${px(x)}" y="${H - PAD + 14}" font-size="10" text-anchor="middle">${
        x >= 1e6 ? `${x / 1e6}M` : `${x / 1e3}k`
      }</text>`
    ).join("");
    const yTicks = [0, 0.5, 1].map((f) =>
      `<text x="${x0 + PAD - 4}" y="${py(max * f / 1.1) + 3}" font-size="10" text-anchor="end">${
        Math.round(max * f / 1.1).toLocaleString("en-US")
      }</text>`
    ).join("");
    return `<text x="${x0 + PAD}" y="16" font-size="12" font-weight="bold">${title}</text>` +
      `<line x1="${x0 + PAD}" y1="${H - PAD}" x2="${x0 + W - PAD}" y2="${
        H - PAD
      }" stroke="#999"/>` +
      `<line x1="${x0 + PAD}" y1="${PAD}" x2="${x0 + PAD}" y2="${H - PAD}" stroke="#999"/>` +
      ticks + yTicks + lines;
  };
  const width = 2 * (W + 150);
  const svg =
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${H}" font-family="sans-serif">` +
    `<rect width="100%" height="100%" fill="white"/>` +
    panel(0, "items/s against items per run (per-item for_each, 6 steps)", (p) => p.itemsPerS) +
    panel(W + 150, "peak RSS (MB, host + sandboxes) against items per run", (p) => p.rssMb) +
    `</svg>\n`;
  await Deno.writeTextFile(file, svg);
}
