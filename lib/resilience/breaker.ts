// @ts-types="npm:@types/opossum@8"
import CircuitBreaker from "opossum";
import { prom, type Registry } from "../metrics/mod.ts";

export interface BreakerOptions {
  /** Name in metrics and logs, e.g. `pg-authorize`, `bus-publish`. */
  readonly name: string;
  /** Calls slower than this fail with a timeout (counted as failures). */
  readonly timeoutMs: number;
  /** Failure percentage over the rolling window that opens the breaker. */
  readonly errorThresholdPercentage?: number;
  /** How long the breaker stays open before letting one trial call through. */
  readonly resetTimeoutMs?: number;
  /** Calls needed in the window before the breaker may open (avoids opening on 1 of 1). */
  readonly volumeThreshold?: number;
  /** Errors that are answers, not failures (e.g. a card decline): they never open the breaker. */
  readonly isExpectedError?: (error: unknown) => boolean;
}

export const breakerStateValues = { closed: 0, open: 1, halfOpen: 2 } as const;

export type Breaker<A extends unknown[], R> = CircuitBreaker<A, R>;

/**
 * Wraps `action` in an opossum breaker and exports its state as
 * `circuit_breaker_state{name}` (0 closed, 1 open, 2 half-open) plus call counts.
 */
export function createBreaker<A extends unknown[], R>(
  action: (...args: A) => Promise<R>,
  options: BreakerOptions,
  registry?: Registry,
): CircuitBreaker<A, R> {
  const breaker = new CircuitBreaker(action, {
    name: options.name,
    timeout: options.timeoutMs,
    errorThresholdPercentage: options.errorThresholdPercentage ?? 50,
    resetTimeout: options.resetTimeoutMs ?? 5_000,
    volumeThreshold: options.volumeThreshold ?? 10,
    rollingCountTimeout: 10_000,
    rollingCountBuckets: 10,
    errorFilter: options.isExpectedError,
  });
  if (registry) exportBreakerMetrics(breaker, options.name, registry);
  return breaker;
}

function stateOf(breaker: CircuitBreaker): number {
  if (breaker.opened) return breakerStateValues.open;
  if (breaker.halfOpen) return breakerStateValues.halfOpen;
  return breakerStateValues.closed;
}

/**
 * The `circuit_breaker_state{name}` gauge of `registry`, created once; other
 * breakers (the bus consumers' gates) report through it too. Without a
 * registry, a gauge recorded nowhere.
 */
export function breakerStateGauge(registry?: Registry): prom.Gauge<"name"> {
  const known = registry?.getSingleMetric("circuit_breaker_state") as
    | prom.Gauge<"name">
    | undefined;
  return known ?? new prom.Gauge({
    name: "circuit_breaker_state",
    help: "Circuit breaker state: 0 closed, 1 open, 2 half-open",
    labelNames: ["name"],
    registers: registry ? [registry] : [],
  });
}

function exportBreakerMetrics(breaker: CircuitBreaker, name: string, registry: Registry): void {
  const state = breakerStateGauge(registry);
  const calls =
    registry.getSingleMetric("circuit_breaker_calls_total") as prom.Counter<"name" | "result"> ??
      new prom.Counter({
        name: "circuit_breaker_calls_total",
        help: "Calls through a circuit breaker by result (success, failure, timeout, rejected)",
        labelNames: ["name", "result"],
        registers: [registry],
      });
  const update = () => state.set({ name }, stateOf(breaker));
  update();
  breaker.on("open", update);
  breaker.on("close", update);
  breaker.on("halfOpen", update);
  breaker.on("success", () => calls.inc({ name, result: "success" }));
  breaker.on("failure", () => calls.inc({ name, result: "failure" }));
  breaker.on("timeout", () => calls.inc({ name, result: "timeout" }));
  breaker.on("reject", () => calls.inc({ name, result: "rejected" }));
}
