import type { RateLimitDecision } from "./limiter.ts";

/**
 * Response headers for a rate-limit decision: the IETF fields
 * (draft-ietf-httpapi-ratelimit-headers: `RateLimit-Policy` with quota `q` per
 * window `w` seconds, `RateLimit` with remaining `r` and reset `t` seconds) and
 * the widespread `X-RateLimit-*` trio, whose Reset is a Unix time in seconds.
 * When the limiter failed open only the policy is known.
 */
export function rateLimitHeaders(
  decision: RateLimitDecision,
  nowMs: number,
): Record<string, string> {
  const name = decision.endpointClass;
  const headers: Record<string, string> = {
    "RateLimit-Policy": `"${name}";q=${decision.rule.perMinute};w=60`,
    "X-RateLimit-Limit": String(decision.rule.perMinute),
  };
  if (decision.kind === "fail_open") return headers;
  headers["RateLimit"] = `"${name}";r=${decision.remaining};t=${decision.resetSeconds}`;
  headers["X-RateLimit-Remaining"] = String(decision.remaining);
  headers["X-RateLimit-Reset"] = String(Math.ceil(nowMs / 1000) + decision.resetSeconds);
  if (!decision.allowed) headers["Retry-After"] = String(Math.max(1, decision.retryAfterSeconds));
  return headers;
}
