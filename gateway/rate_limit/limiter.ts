import type { RateLimitClass, RateLimitRule } from "@pay/lib/config";
import type { Redis } from "@pay/lib/redis";
import type { GatewayMetrics } from "../metrics.ts";
import {
  blockedRetentionUs,
  blockedSetKey,
  blockedSetSizeMax,
  bucketKey,
  emissionIntervalUs,
  gcraScript,
} from "./gcra.ts";

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
    /** Redis could not be asked: the request passes uncounted. */
    readonly kind: "fail_open";
    readonly allowed: true;
    readonly endpointClass: RateLimitClass;
    readonly rule: RateLimitRule;
  };

export interface RateLimiter {
  check(merchantId: string, endpointClass: RateLimitClass): Promise<RateLimitDecision>;
}

/**
 * While Redis is down every request fails open; one log line per this interval
 * says so without flooding the log at thousands of requests per second.
 */
export const failOpenLogIntervalMs = 10_000;

type GcraResult = [number, number, number, number];
type WithGcra = Redis & {
  gcra(
    bucket: string,
    blocked: string,
    intervalUs: number,
    burst: number,
    member: string,
    blockedMax: number,
    retentionUs: number,
  ): Promise<GcraResult>;
};

export interface RateLimiterOptions {
  readonly redis: Redis;
  readonly rules: Readonly<Record<RateLimitClass, RateLimitRule>>;
  readonly metrics: GatewayMetrics;
  readonly log?: (line: string) => void;
  readonly nowMs?: () => number;
}

/** Per merchant, per endpoint class GCRA in Redis; fails open when Redis is unreachable. */
export function createRateLimiter(options: RateLimiterOptions): RateLimiter {
  const redis = options.redis as WithGcra;
  // defineCommand sends EVALSHA and falls back to EVAL once when the script is not cached.
  if (typeof redis.gcra !== "function") {
    redis.defineCommand("gcra", { numberOfKeys: 2, lua: gcraScript });
  }
  const log = options.log ?? ((line) => console.error(line));
  const nowMs = options.nowMs ?? Date.now;
  let lastFailOpenLogMs = -Infinity;

  return {
    async check(merchantId, endpointClass) {
      const rule = options.rules[endpointClass];
      try {
        const [allowed, remaining, retryAfterUs, resetUs] = await redis.gcra(
          bucketKey(merchantId, endpointClass),
          blockedSetKey,
          emissionIntervalUs(rule.perMinute),
          rule.burst,
          `${merchantId} ${endpointClass}`,
          blockedSetSizeMax,
          blockedRetentionUs,
        );
        const decision = allowed === 1 ? "allowed" : "limited";
        options.metrics.rateLimitDecisions.inc({ class: endpointClass, decision });
        return {
          kind: "counted",
          allowed: allowed === 1,
          endpointClass,
          rule,
          remaining,
          resetSeconds: Math.ceil(resetUs / 1_000_000),
          retryAfterSeconds: Math.ceil(retryAfterUs / 1_000_000),
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
