import type { RateLimitClass, RateLimitRule } from "@pay/lib/config";
import type { GatewayMetrics } from "../metrics.ts";
import { emissionIntervalUs } from "./gcra.ts";
import type { RateLimitStore } from "./store.ts";

export type RateLimitDecision =
  | {
    readonly kind: "counted";
    readonly allowed: boolean;
    readonly endpointClass: RateLimitClass;
    readonly rule: RateLimitRule;
    readonly remaining: number;
    /** Seconds until the bucket is full again. */
    readonly resetSeconds: number;
    /** Seconds until a denied request would be allowed (0 when allowed). */
    readonly retryAfterSeconds: number;
  }
  | {
    /** The bucket store could not be asked (Redis down): the request passes uncounted. */
    readonly kind: "fail_open";
    readonly allowed: true;
    readonly endpointClass: RateLimitClass;
    readonly rule: RateLimitRule;
  };

export interface RateLimiter {
  check(merchantId: string, endpointClass: RateLimitClass): Promise<RateLimitDecision>;
}

/**
 * While the store (Redis) is down every request fails open; one log line per
 * this interval says so without flooding the log at thousands of requests per second.
 */
export const failOpenLogIntervalMs = 10_000;

export interface RateLimiterOptions {
  /** `redisRateLimitStore` (scale-out) or `memoryRateLimitStore` (embedded). */
  readonly store: RateLimitStore;
  readonly rules: Readonly<Record<RateLimitClass, RateLimitRule>>;
  readonly metrics: GatewayMetrics;
  readonly log?: (line: string) => void;
  readonly nowMs?: () => number;
}

/** Per merchant, per endpoint class GCRA; fails open when the store is unreachable. */
export function createRateLimiter(options: RateLimiterOptions): RateLimiter {
  const log = options.log ?? ((line) => console.error(line));
  const nowMs = options.nowMs ?? Date.now;
  let lastFailOpenLogMs = -Infinity;

  return {
    async check(merchantId, endpointClass) {
      const rule = options.rules[endpointClass];
      try {
        const outcome = await options.store.take(
          merchantId,
          endpointClass,
          emissionIntervalUs(rule.perMinute),
          rule.burst,
        );
        const decision = outcome.allowed ? "allowed" : "limited";
        options.metrics.rateLimitDecisions.inc({ class: endpointClass, decision });
        return {
          kind: "counted",
          allowed: outcome.allowed,
          endpointClass,
          rule,
          remaining: outcome.remaining,
          resetSeconds: Math.ceil(outcome.resetUs / 1_000_000),
          retryAfterSeconds: Math.ceil(outcome.retryAfterUs / 1_000_000),
        };
      } catch (error) {
        options.metrics.rateLimitFailOpen.inc();
        options.metrics.rateLimitDecisions.inc({ class: endpointClass, decision: "fail_open" });
        if (nowMs() - lastFailOpenLogMs >= failOpenLogIntervalMs) {
          lastFailOpenLogMs = nowMs();
          log(JSON.stringify({
            level: "warn",
            msg: "Rate limiter failing open: Redis unreachable",
            error: String(error),
          }));
        }
        return { kind: "fail_open", allowed: true, endpointClass, rule };
      }
    },
  };
}
