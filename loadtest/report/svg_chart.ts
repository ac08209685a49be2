/**
 * A self-contained SVG line chart: time on x, latency on a log-scale left
 * axis, rates on a linear right axis, stage boundaries as dashed verticals.
 * No script, no external font or stylesheet, so it opens anywhere.
 */
export interface ChartSeries {
  readonly label: string;
  readonly color: string;
  readonly axis: "latency" | "rate";
  readonly dashed?: boolean;
  /** [x seconds, y]; y in ms on the latency axis, per second on the rate axis. */
  readonly points: ReadonlyArray<readonly [number, number]>;
}

export interface ChartInput {
  readonly title: string;
  readonly series: readonly ChartSeries[];
  /** Vertical lines, e.g. stage starts: [x seconds, label]. */
  readonly markers?: ReadonlyArray<readonly [number, string]>;
}

const width = 960;
const height = 440;
const margin = { left: 64, right: 72, top: 40, bottom: 72 } as const;
const plotW = width - margin.left - margin.right;
const plotH = height - margin.top - margin.bottom;
/** The latency axis never starts below 0.1 ms: nothing this platform does is faster. */
const latencyFloorMsMin = 0.1;
/** The latency axis spans at least two decades, so a flat line is not stretched into noise. */
const latencyDecadesMin = 2;
/** Legend entries per row under the plot. */
const legendColumns = 4;

export function escapeXml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;");
}

/** The smallest 1, 2 or 5 times a power of ten that is >= v (1 for v <= 0). */
export function niceCeil(v: number): number {
  if (!(v > 0) || !Number.isFinite(v)) return 1;
  const power = 10 ** Math.floor(Math.log10(v));
  for (const step of [1, 2, 5, 10]) {
    if (step * power >= v * (1 - 1e-12)) return step * power;
  }
  return 10 * power;
}

function fmt(n: number): string {
  return Number.isInteger(n) ? String(n) : String(Number(n.toPrecision(3)));
}

/** Maps data to pixels. */
interface Scales {
  readonly x: (seconds: number) => number;
  readonly latency: (ms: number) => number;
  readonly rate: (perSecond: number) => number;
  readonly latencyFloorMs: number;
  readonly latencyTopMs: number;
  readonly rateTop: number;
  readonly xMax: number;
}

function finiteValues(series: readonly ChartSeries[], axis: ChartSeries["axis"]): number[] {
  return series.filter((s) => s.axis === axis).flatMap((s) => s.points.map(([, y]) => y))
    .filter(Number.isFinite);
}

function scalesOf(input: ChartInput): Scales {
  const xs = [
    ...input.series.flatMap((s) => s.points.map(([x]) => x)),
    ...(input.markers ?? []).map(([x]) => x),
  ];
  const xMax = Math.max(1, ...xs.filter(Number.isFinite));
  const latencies = finiteValues(input.series, "latency").filter((y) => y > 0);
  const latencyFloorMs = Math.max(
    latencyFloorMsMin,
    10 ** Math.floor(Math.log10(Math.min(1, ...latencies))),
  );
  const latencyTopMs = Math.max(
    latencyFloorMs * 10 ** latencyDecadesMin,
    niceCeil(Math.max(1, ...latencies)),
  );
  const rateTop = niceCeil(Math.max(1, ...finiteValues(input.series, "rate")));
  const span = Math.log10(latencyTopMs / latencyFloorMs);
  const bottom = margin.top + plotH;
  return {
    x: (s) => margin.left + s / xMax * plotW,
    latency: (ms) =>
      bottom - Math.log10(Math.max(latencyFloorMs, ms) / latencyFloorMs) / span * plotH,
    rate: (r) => bottom - Math.max(0, r) / rateTop * plotH,
    latencyFloorMs,
    latencyTopMs,
    rateTop,
    xMax,
  };
}

function axes(sc: Scales): string[] {
  const parts: string[] = [];
  const left = margin.left;
  const right = margin.left + plotW;
  // Latency grid: decades dark, 2 and 5 faint, all labelled.
  for (let decade = sc.latencyFloorMs; decade <= sc.latencyTopMs * 1.0001; decade *= 10) {
    for (const step of [1, 2, 5]) {
      const v = decade * step;
      if (v > sc.latencyTopMs * 1.0001) break;
      const y = sc.latency(v).toFixed(1);
      const stroke = step === 1 ? "#cccccc" : "#eeeeee";
      parts.push(`<line x1="${left}" x2="${right}" y1="${y}" y2="${y}" stroke="${stroke}"/>`);
      parts.push(
        `<text x="${left - 6}" y="${y}" text-anchor="end" dominant-baseline="middle">${
          fmt(v)
        }</text>`,
      );
    }
  }
  for (let i = 0; i <= 5; i++) {
    const r = sc.rateTop * i / 5;
    parts.push(
      `<text x="${right + 6}" y="${
        sc.rate(r).toFixed(1)
      }" dominant-baseline="middle" fill="#555555">${fmt(r)}</text>`,
    );
  }
  const xStep = niceCeil(sc.xMax / 10);
  for (let s = 0; s <= sc.xMax + 1e-9; s += xStep) {
    parts.push(
      `<text x="${sc.x(s).toFixed(1)}" y="${margin.top + plotH + 16}" text-anchor="middle">${
        fmt(s)
      }</text>`,
    );
  }
  const midY = margin.top + plotH / 2;
  parts.push(
    `<rect x="${left}" y="${margin.top}" width="${plotW}" height="${plotH}" fill="none" stroke="#888888"/>`,
    `<text x="16" y="${midY}" transform="rotate(-90 16 ${midY})" text-anchor="middle">latency ms (log)</text>`,
    `<text x="${width - 14}" y="${midY}" transform="rotate(90 ${
      width - 14
    } ${midY})" text-anchor="middle">per second</text>`,
    `<text x="${left + plotW / 2}" y="${
      margin.top + plotH + 32
    }" text-anchor="middle">seconds since start</text>`,
  );
  return parts;
}

function markers(sc: Scales, list: ChartInput["markers"]): string[] {
  return (list ?? []).flatMap(([at, label]) => {
    const x = sc.x(at);
    return [
      `<line x1="${x.toFixed(1)}" x2="${x.toFixed(1)}" y1="${margin.top}" y2="${
        margin.top + plotH
      }" stroke="#999999" stroke-dasharray="2 3"/>`,
      `<text x="${(x + 3).toFixed(1)}" y="${margin.top + 10}" fill="#666666">${
        escapeXml(label)
      }</text>`,
    ];
  });
}

function dash(s: ChartSeries): string {
  return s.dashed ? ' stroke-dasharray="6 4"' : "";
}

function lines(sc: Scales, series: readonly ChartSeries[]): string[] {
  return series.filter((s) => s.points.length > 0).map((s) => {
    const y = s.axis === "latency" ? sc.latency : sc.rate;
    const points = s.points.filter(([px, py]) => Number.isFinite(px) && Number.isFinite(py))
      .map(([px, py]) => `${sc.x(px).toFixed(1)},${y(py).toFixed(1)}`).join(" ");
    return `<polyline fill="none" stroke="${s.color}" stroke-width="1.5"${
      dash(s)
    } points="${points}"><title>${escapeXml(s.label)}</title></polyline>`;
  });
}

function legend(series: readonly ChartSeries[]): string[] {
  return series.flatMap((s, i) => {
    const x = margin.left + (i % legendColumns) * 200;
    const y = height - 26 + Math.floor(i / legendColumns) * 14;
    return [
      `<line x1="${x}" x2="${x + 18}" y1="${y}" y2="${y}" stroke="${s.color}" stroke-width="2"${
        dash(s)
      }/>`,
      `<text x="${x + 24}" y="${y}" dominant-baseline="middle">${escapeXml(s.label)}</text>`,
    ];
  });
}

export function renderChart(input: ChartInput): string {
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="11">`,
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
    `<text x="${width / 2}" y="22" text-anchor="middle" font-size="14">${
      escapeXml(input.title)
    }</text>`,
  ];
  if (input.series.every((s) => s.points.length === 0)) {
    parts.push(`<text x="${width / 2}" y="${height / 2}" text-anchor="middle">No data</text>`);
  } else {
    const sc = scalesOf(input);
    parts.push(
      ...axes(sc),
      ...markers(sc, input.markers),
      ...lines(sc, input.series),
      ...legend(input.series),
    );
  }
  parts.push("</svg>");
  return parts.join("\n");
}
