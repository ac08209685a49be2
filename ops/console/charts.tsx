import type { ConsoleI18n } from "./i18n/i18n.ts";

/** Chart size in CSS pixels: fits a 300 px panel next to its label row. */
export const chartWidthPx = 280;
export const chartHeightPx = 56;
const padTopPx = 12;
const padBottomPx = 2;

/** The SVG path of `values` scaled into the chart box (max at the top). */
export function sparklinePoints(
  values: readonly number[],
  maxValue: number,
): Array<[number, number]> {
  const n = values.length;
  const usable = chartHeightPx - padTopPx - padBottomPx;
  return values.map((v, i) => [
    n === 1 ? chartWidthPx : (i / (n - 1)) * chartWidthPx,
    padTopPx + usable - (maxValue > 0 ? (Math.max(0, v) / maxValue) * usable : 0),
  ]);
}

/** A small inline SVG line chart; no script, no external asset. */
export function Sparkline(props: {
  label: string;
  values: readonly number[];
  format: (v: number) => string;
  kind?: "throughput" | "errors" | "latency";
  i18n: ConsoleI18n;
}) {
  const { t } = props.i18n;
  const { values } = props;
  const max = values.length ? Math.max(...values) : 0;
  const last = values.at(-1);
  const points = sparklinePoints(values, max);
  const line = points.map(([x, y]) => `${x.toFixed(1)},${y.toFixed(1)}`).join(" ");
  const area = points.length
    ? `M0,${chartHeightPx} L${line.replaceAll(" ", " L")} L${chartWidthPx},${chartHeightPx} Z`
    : "";
  return (
    <svg
      class={`chart ${props.kind ?? "throughput"}`}
      width={chartWidthPx}
      height={chartHeightPx}
      viewBox={`0 0 ${chartWidthPx} ${chartHeightPx}`}
      role="img"
      aria-label={t("chart.label", {
        label: props.label,
        value: last === undefined ? t("chart.noData") : props.format(last),
      })}
    >
      <text x="0" y="9">{props.label}</text>
      <text x={chartWidthPx} y="9" text-anchor="end">
        {last === undefined
          ? t("chart.noData")
          : t("chart.summary", { now: props.format(last), max: props.format(max) })}
      </text>
      {points.length > 1 ? <path class="area" d={area} /> : null}
      {points.length > 1 ? <polyline class="line" points={line} /> : null}
      <line
        x1="0"
        x2={chartWidthPx}
        y1={chartHeightPx - 0.5}
        y2={chartHeightPx - 0.5}
        stroke="#e3e6eb"
      />
    </svg>
  );
}
