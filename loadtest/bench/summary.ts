import { formatMs, formatRate } from "../report/text.ts";
import type { GeneratorCost } from "./comparisons.ts";
import type { OverloadResult } from "./overload.ts";
import type { RelayThroughput } from "./relay_throughput.ts";
import { benchTargets } from "./settings.ts";

/** A capacity run (closed loop at fixed concurrency). */
export interface CapacityResult {
  readonly ok: number;
  readonly errors: number;
  readonly okPerSecond: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
}

/** An open-model run at a fixed rate, judged on its plateau stage. */
export interface RateResult {
  readonly rate: number;
  readonly seconds: number;
  readonly okPerSecond: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly errors: number;
  readonly dropped: number;
}

export interface FlowResult extends RateResult {
  /** Capture request sent → payment CAPTURED. */
  readonly completionP50Ms: number;
  readonly completionP99Ms: number;
}

export interface BenchMeasurements {
  readonly direct: CapacityResult;
  readonly gateway: CapacityResult;
  readonly nginx?: CapacityResult;
  readonly raw: CapacityResult;
  readonly sustained: RateResult;
  readonly flow: FlowResult;
  readonly relay: RelayThroughput;
  /** Undefined without nginx. */
  readonly generator?: GeneratorCost;
  /** (g) The same authorizes through the gateway on the embedded profile (SQLite, no Redis). */
  readonly embeddedGateway: CapacityResult;
  /** (h) Authorize through the gateway at 10x its capacity (a). */
  readonly overload: OverloadResult;
}

export interface BenchRatios {
  readonly gatewayToDirect: number;
  readonly gatewayToNginx?: number;
  readonly authorizeToRaw: number;
  readonly directToRaw: number;
  readonly embeddedToScaleOut: number;
  /** (h) goodput under overload / the capacity (a) it was offered 10x of. */
  readonly overloadGoodputToCapacity: number;
}

export interface TargetResult {
  readonly name: string;
  readonly wanted: string;
  readonly actual: string;
  readonly met: boolean;
}

export function ratiosOf(m: BenchMeasurements): BenchRatios {
  const ratio = (a: number, b: number) => (b > 0 ? a / b : 0);
  return {
    gatewayToDirect: ratio(m.gateway.okPerSecond, m.direct.okPerSecond),
    gatewayToNginx: m.nginx ? ratio(m.gateway.okPerSecond, m.nginx.okPerSecond) : undefined,
    authorizeToRaw: ratio(m.gateway.okPerSecond, m.raw.okPerSecond),
    directToRaw: ratio(m.direct.okPerSecond, m.raw.okPerSecond),
    embeddedToScaleOut: ratio(m.embeddedGateway.okPerSecond, m.gateway.okPerSecond),
    overloadGoodputToCapacity: ratio(m.overload.goodputPerSecond, m.overload.capacityPerSecond),
  };
}

/**
 * A plateau holds its rate when (almost) every scheduled iteration succeeded
 * in it: 0.1% slack covers the rounding of arrivals at the stage edges.
 */
const plateauSlack = 0.999;

export function evaluateTargets(m: BenchMeasurements, r: BenchRatios): TargetResult[] {
  const t = benchTargets;
  const s = m.sustained;
  const f = m.flow;
  return [
    {
      name: "authorize through the gateway",
      wanted:
        `≥ ${t.authorizePerSecond}/s for ${t.authorizeSeconds} s, p99 ≤ ${t.authorizeP99Ms} ms, 0 errors`,
      actual: `${formatRate(s.okPerSecond)}/s for ${s.seconds} s, p99 ${formatMs(s.p99Ms)} ms, ${
        s.errors + s.dropped
      } errors`,
      met: s.okPerSecond >= t.authorizePerSecond * plateauSlack &&
        s.seconds >= t.authorizeSeconds &&
        s.p99Ms <= t.authorizeP99Ms && s.errors === 0 && s.dropped === 0,
    },
    {
      name: "full flow",
      wanted:
        `≥ ${t.flowsPerSecond} flows/s, capture→CAPTURED p99 ≤ ${t.captureCompletionP99Ms} ms`,
      actual: `${formatRate(f.okPerSecond)} flows/s, p99 ${formatMs(f.completionP99Ms)} ms`,
      met: f.okPerSecond >= t.flowsPerSecond * plateauSlack &&
        f.completionP99Ms <= t.captureCompletionP99Ms &&
        f.dropped === 0,
    },
    {
      name: "gateway / direct",
      wanted: `≥ ${t.gatewayToDirectMin.toFixed(2)}`,
      actual: r.gatewayToDirect.toFixed(2),
      met: r.gatewayToDirect >= t.gatewayToDirectMin,
    },
    {
      name: "authorize / raw DB transaction",
      wanted: `≥ ${t.authorizeToRawMin.toFixed(2)}`,
      actual: r.authorizeToRaw.toFixed(2),
      met: r.authorizeToRaw >= t.authorizeToRawMin,
    },
    {
      name: `overload (${t.overloadFactor}x capacity offered)`,
      wanted: `goodput/capacity ≥ ${
        t.overloadGoodputToCapacityMin.toFixed(2)
      }, accepted p99 ≤ ${t.overloadAcceptedP99Ms} ms`,
      actual: `${r.overloadGoodputToCapacity.toFixed(2)}, p99 ${
        formatMs(m.overload.acceptedP99Ms)
      } ms`,
      met: r.overloadGoodputToCapacity >= t.overloadGoodputToCapacityMin &&
        m.overload.acceptedP99Ms <= t.overloadAcceptedP99Ms,
    },
  ];
}

const widths = [44, 15, 8, 8, 7, 22] as const;

function line(cells: readonly string[]): string {
  return cells.map((c, i) => (i === 0 || i === 5 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!)))
    .join(" ").trimEnd();
}

function capacityRow(label: string, c: CapacityResult, unit: string, ratio = ""): string {
  return line([
    label,
    `${formatRate(c.okPerSecond)} ${unit}`,
    formatMs(c.p50Ms),
    formatMs(c.p99Ms),
    String(c.errors),
    ratio,
  ]);
}

/** (h): goodput and the accepted answers' latency; the ratio column adds what was shed, how fast. */
export function overloadRow(o: OverloadResult, r: BenchRatios): string {
  return line([
    `(h) authorize ${formatRate(o.rate)}/s (${
      Math.round(o.rate / Math.max(o.capacityPerSecond, 1))
    }x capacity), ${o.seconds} s`,
    `${formatRate(o.goodputPerSecond)} req/s`,
    formatMs(o.acceptedP50Ms),
    formatMs(o.acceptedP99Ms),
    String(o.errors),
    `goodput/capacity ${r.overloadGoodputToCapacity.toFixed(2)}; ${o.shed} shed, p99 ${
      formatMs(o.shedP99Ms)
    } ms`,
  ]);
}

/** The one table of `deno task bench`: measurements, side-by-side ratios, then targets. */
export function formatBenchTable(
  m: BenchMeasurements,
  r: BenchRatios,
  targets: readonly TargetResult[],
): string {
  const s = m.sustained;
  const f = m.flow;
  const rows = [
    line(["measurement", "rate", "p50 ms", "p99 ms", "errors", "ratio"]),
    capacityRow("(a) authorize direct → 1 ingest (signed)", m.direct, "req/s"),
    capacityRow(
      "(a) authorize → gateway → 2 ingest",
      m.gateway,
      "req/s",
      `gateway/direct ${r.gatewayToDirect.toFixed(2)}`,
    ),
    m.nginx
      ? capacityRow(
        "(b) authorize → nginx → 2 ingest",
        m.nginx,
        "req/s",
        `gateway/nginx ${r.gatewayToNginx!.toFixed(2)}`,
      )
      : line(["(b) authorize → nginx → 2 ingest", "n/a", "", "", "", "nginx not installed"]),
    capacityRow(
      "(c) raw MariaDB transaction, same writes",
      m.raw,
      "tx/s",
      `authorize/raw ${r.authorizeToRaw.toFixed(2)}`,
    ),
    line([
      `    authorize ${formatRate(s.rate)}/s open model, ${s.seconds} s`,
      `${formatRate(s.okPerSecond)} req/s`,
      formatMs(s.p50Ms),
      formatMs(s.p99Ms),
      String(s.errors + s.dropped),
      "",
    ]),
    line([
      `    flow ${formatRate(f.rate)}/s open model, ${f.seconds} s`,
      `${formatRate(f.okPerSecond)} flows/s`,
      formatMs(f.p50Ms),
      formatMs(f.p99Ms),
      String(f.errors + f.dropped),
      "authorize latency",
    ]),
    line([
      "(d) outbox relay",
      `${formatRate(m.relay.eventsPerSecond)} events/s`,
      "",
      "",
      m.relay.drained ? "0" : "timeout",
      `${m.relay.events} events, ${m.relay.lanes} lane(s)`,
    ]),
    line([
      "(e) capture request → CAPTURED",
      "",
      formatMs(f.completionP50Ms),
      formatMs(f.completionP99Ms),
      "",
      `at ${formatRate(f.rate)} flows/s`,
    ]),
    m.generator
      ? line([
        `(f) generator alone, ${formatRate(m.generator.rate)}/s vs static nginx`,
        `${formatRate(m.generator.okPerSecond)} req/s`,
        formatMs(m.generator.p50Ms),
        formatMs(m.generator.p99Ms),
        String(m.generator.dropped),
        `CPU ${m.generator.corePercent.toFixed(0)}% of a core, ${m.generator.late} late`,
      ])
      : line(["(f) generator alone vs static nginx", "n/a", "", "", "", "nginx not installed"]),
    capacityRow(
      "(g) authorize → gateway → 2 ingest, embedded",
      m.embeddedGateway,
      "req/s",
      `embedded/scale-out ${r.embeddedToScaleOut.toFixed(2)}`,
    ),
    overloadRow(m.overload, r),
    "",
    "Targets",
    ...targets.map((t) =>
      `  ${t.met ? "met    " : "NOT MET"} ${t.name.padEnd(32)} wanted ${t.wanted}; got ${t.actual}`
    ),
  ];
  return rows.join("\n");
}
