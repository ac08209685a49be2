import type { MiddlewareHandler } from "hono";
import { problem, problemResponse, verifySignature } from "@pay/lib/http";
import type { InternalAuthConfig } from "@pay/lib/config";
import type { IngestEnv } from "../deps.ts";
import type { NonceStore } from "../nonces/port.ts";

/** How often a nonce store outage is logged (once per interval, not per request). */
const nonceFailOpenLogIntervalMs = 10_000;

/**
 * Accepts only requests signed by the gateway: a valid HMAC, a fresh
 * timestamp and an unused nonce. When the nonce store (Redis) is down, replay
 * protection falls back to the timestamp window alone: the request is let
 * through, counted and logged, because refusing every payment while Redis
 * restarts would be worse than a replay window of a few seconds on a channel
 * only the gateway can sign.
 */
export function verifyGatewaySignature(
  auth: InternalAuthConfig,
  nonces: NonceStore,
  onNonceStoreDown: (error: unknown) => void,
): MiddlewareHandler<IngestEnv> {
  const nonceTtlMs = auth.maxSkewSeconds * 2 * 1000;
  return async (c, next) => {
    const url = new URL(c.req.url);
    const result = verifySignature(auth.secret, auth.maxSkewSeconds, {
      method: c.req.method,
      pathWithQuery: url.pathname + url.search,
      headers: c.req.raw.headers,
      body: c.get("rawBody"),
      nowSeconds: Math.floor(Date.now() / 1000),
    });
    if (!result.ok) return problemResponse(problem("unauthorized", result.reason));
    let fresh = true;
    try {
      fresh = await nonces.claim(result.nonce, nonceTtlMs);
    } catch (error) {
      onNonceStoreDown(error);
    }
    if (!fresh) return problemResponse(problem("unauthorized", "Replayed internal request nonce"));
    c.set("merchantId", result.merchantId);
    c.set("mode", result.mode);
    return next();
  };
}

/** Logs at most once per interval; counts every call. */
export function rateLimitedLogger(
  log: (fields: Record<string, unknown>) => void,
  message: string,
  count: () => void,
): (error: unknown) => void {
  let lastLogMs = 0;
  return (error) => {
    count();
    const now = Date.now();
    if (now - lastLogMs < nonceFailOpenLogIntervalMs) return;
    lastLogMs = now;
    log({ level: "warn", msg: message, error: String(error) });
  };
}
