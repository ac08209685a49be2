import { ConfigError, intVar } from "./env.ts";

/** Admission control of one service (lib/http/admission): its adaptive limit and queue. */
export interface AdmissionConfig {
  readonly limitInitial: number;
  readonly limitMin: number;
  readonly limitMax: number;
  /** Latency, as a multiple of the measured no-load latency, above which the limit falls. */
  readonly tolerance: number;
  readonly queueSizeMax: number;
  readonly queueWaitMsMax: number;
  readonly probeIntervalMs: number;
  /** Shortest sample window: ~80 samples at 800 req/s, so one slow request does not move the limit. */
  readonly windowMs: number;
  /** Samples a window needs to count, so a quiet service's limit moves on evidence only. */
  readonly windowSamplesMin: number;
}

/** Envoy's adaptive concurrency updates every 100 ms; the same here. */
const admissionWindowMs = 100;
const admissionWindowSamplesMin = 20;

/** Per-service defaults; each service documents its own. */
export interface AdmissionDefaults {
  readonly limitInitial: number;
  readonly limitMin: number;
  readonly limitMax: number;
  readonly queueSizeMax: number;
}

const suffixes = [
  "LIMIT_INITIAL",
  "LIMIT_MIN",
  "LIMIT_MAX",
  "LATENCY_TOLERANCE_PCT",
  "QUEUE_SIZE_MAX",
  "QUEUE_WAIT_MS_MAX",
  "PROBE_INTERVAL_MS",
] as const;
type Suffix = typeof suffixes[number];
type AdmissionVars<P extends string> = {
  readonly [S in Suffix as `${P}_ADMISSION_${S}`]: ReturnType<typeof intVar>;
};

/** The variables of one service's admission control, named `<PREFIX>_ADMISSION_*`. */
export function admissionVarsOf<P extends string>(
  prefix: P,
  d: AdmissionDefaults,
): AdmissionVars<P> {
  const vars: Record<Suffix, ReturnType<typeof intVar>> = {
    LIMIT_INITIAL: intVar(
      d.limitInitial,
      1,
      100000,
      "Concurrency limit at start; admission then adapts it to measured latency",
    ),
    LIMIT_MIN: intVar(
      d.limitMin,
      1,
      100000,
      "Lowest concurrency limit; the no-load latency is measured (probed) at it",
    ),
    LIMIT_MAX: intVar(
      d.limitMax,
      1,
      100000,
      "Highest concurrency limit: bounds queueing behind admission when latency says nothing",
    ),
    // 3x the latency at the floor, itself measured with some queueing (floors of 24-48 in flight):
    // near the knee of throughput, far under the 1 s p99 budget when that latency is tens of ms.
    LATENCY_TOLERANCE_PCT: intVar(
      300,
      101,
      10000,
      "Latency, in % of the latency probed at the floor, above which the concurrency limit falls (300: up to 3x)",
    ),
    QUEUE_SIZE_MAX: intVar(
      d.queueSizeMax,
      0,
      100000,
      "Requests waiting for a slot at most; beyond, 503 + Retry-After at once (0: no queue)",
    ),
    // Longer than a slow request, so a short burst waits instead of being refused; the size bound
    // keeps the real wait near size / throughput under overload (64 / 800 req/s = 80 ms).
    QUEUE_WAIT_MS_MAX: intVar(
      500,
      0,
      60000,
      "Longest wait for a slot before a queued request gets 503 + Retry-After",
    ),
    PROBE_INTERVAL_MS: intVar(
      10000,
      1000,
      3600000,
      "How often the no-load latency is measured again (the limit drops to its minimum for about 100 ms)",
    ),
  };
  return Object.fromEntries(
    suffixes.map((s) => [`${prefix}_ADMISSION_${s}`, vars[s]]),
  ) as unknown as AdmissionVars<P>;
}

/** Reads `<PREFIX>_ADMISSION_*` from parsed values; throws when the limits are out of order. */
export function admissionConfigOf<P extends string>(
  prefix: P,
  v: { readonly [K in `${P}_ADMISSION_${Suffix}`]: number },
): AdmissionConfig {
  const at = (s: Suffix) => v[`${prefix}_ADMISSION_${s}` as `${P}_ADMISSION_${Suffix}`];
  const [min, initial, max] = [at("LIMIT_MIN"), at("LIMIT_INITIAL"), at("LIMIT_MAX")];
  if (!(min <= initial && initial <= max)) {
    throw new ConfigError([
      `${prefix}_ADMISSION_LIMIT_INITIAL: must lie within ${prefix}_ADMISSION_LIMIT_MIN and ${prefix}_ADMISSION_LIMIT_MAX (got ${min}, ${initial}, ${max})`,
    ]);
  }
  return Object.freeze({
    limitInitial: initial,
    limitMin: min,
    limitMax: max,
    tolerance: at("LATENCY_TOLERANCE_PCT") / 100,
    queueSizeMax: at("QUEUE_SIZE_MAX"),
    queueWaitMsMax: at("QUEUE_WAIT_MS_MAX"),
    probeIntervalMs: at("PROBE_INTERVAL_MS"),
    windowMs: admissionWindowMs,
    windowSamplesMin: admissionWindowSamplesMin,
  });
}
