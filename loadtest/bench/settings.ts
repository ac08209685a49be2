/**
 * What `deno task bench` measures and for how long. The full run takes a few
 * minutes on two cores; `--quick` shrinks every figure for smoke runs and
 * the test (its numbers are no measurement).
 */
export interface BenchSettings {
  readonly mode: "full" | "quick";
  /** In-flight requests of the capacity runs (a)-(c): enough to saturate two cores here. */
  readonly concurrency: number;
  readonly warmupSeconds: number;
  /** Each capacity run (a), (b), (c). */
  readonly capacitySeconds: number;
  /** Open-model authorize through the gateway: the throughput target's rate and time. */
  readonly sustainedRate: number;
  readonly sustainedSeconds: number;
  readonly sustainedWarmupSeconds: number;
  /** Open-model flows (authorize → capture → CAPTURED): the flow target's rate and time. */
  readonly flowRate: number;
  readonly flowSeconds: number;
  readonly flowWarmupSeconds: number;
  /** (h) Authorize through the gateway offered at this multiple of its closed-loop capacity (a). */
  readonly overloadFactor: number;
  /** (h) How long the overload lasts (a step, no warm-up). */
  readonly overloadSeconds: number;
  /** After an open run's last start, how long its iterations may finish (an overloaded run ends bounded). */
  readonly gracefulStopSeconds: number;
  /** Captured payments seeded for the relay run (3 outbox events each). */
  readonly relayPayments: number;
  /** The generator against a stub at the sustained rate: short, it measures only this process. */
  readonly generatorSeconds: number;
  /** After the runs, time for the workers to settle before the correctness checks. */
  readonly drainTimeoutMs: number;
}

/** The targets (DESIGN §9 issue: beat the original on one 2-core machine). */
export const benchTargets = {
  /** Authorize through the gateway, sustained, at p99 ≤ 50 ms with no error. */
  authorizePerSecond: 3_000,
  authorizeSeconds: 60,
  authorizeP99Ms: 50,
  /** Full flows (authorize → capture → CAPTURED) per second, capture completion p99 ≤ 1 s. */
  flowsPerSecond: 1_000,
  captureCompletionP99Ms: 1_000,
  /** Gateway over 2 ingest / direct to 1 ingest, in capacity. */
  gatewayToDirectMin: 0.7,
  /** Authorize through the gateway / a raw MariaDB transaction of the same writes. */
  authorizeToRawMin: 0.5,
  /** At 10x the capacity offered, goodput / closed-loop capacity, and the accepted answers' p99. */
  overloadFactor: 10,
  overloadGoodputToCapacityMin: 0.9,
  overloadAcceptedP99Ms: 1_000,
} as const;

export const fullSettings: BenchSettings = {
  mode: "full",
  concurrency: 64,
  warmupSeconds: 5,
  capacitySeconds: 10,
  sustainedRate: benchTargets.authorizePerSecond,
  sustainedSeconds: benchTargets.authorizeSeconds,
  sustainedWarmupSeconds: 10,
  flowRate: benchTargets.flowsPerSecond,
  flowSeconds: 30,
  flowWarmupSeconds: 5,
  overloadFactor: benchTargets.overloadFactor,
  overloadSeconds: 15,
  gracefulStopSeconds: 10,
  relayPayments: 20_000,
  generatorSeconds: 5,
  drainTimeoutMs: 120_000,
};

export const quickSettings: BenchSettings = {
  mode: "quick",
  concurrency: 8,
  warmupSeconds: 1,
  capacitySeconds: 1,
  sustainedRate: 50,
  sustainedSeconds: 2,
  sustainedWarmupSeconds: 1,
  flowRate: 10,
  flowSeconds: 2,
  flowWarmupSeconds: 0,
  overloadFactor: benchTargets.overloadFactor,
  overloadSeconds: 2,
  gracefulStopSeconds: 5,
  relayPayments: 200,
  generatorSeconds: 1,
  drainTimeoutMs: 20_000,
};
