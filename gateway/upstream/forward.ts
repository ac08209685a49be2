import type { PaymentMode } from "@pay/lib/domain";
import { signedHeaders } from "@pay/lib/http";
import { backoffDelayMs } from "@pay/lib/resilience";
import type { GatewayMetrics } from "../metrics.ts";
import { type UpstreamClient, UpstreamError, type UpstreamResponse } from "./client.ts";
import type { Upstream, UpstreamPool } from "./pool.ts";

/**
 * When a failed call may be sent again to another instance:
 * - `always`: reads, and POSTs carrying an idempotency key (ingest dedupes them);
 * - `unsent`: other POSTs, only when the request certainly never reached an upstream.
 */
export type RetryPolicy = "always" | "unsent";

export interface ForwardInput {
  readonly method: string;
  readonly pathWithQuery: string;
  readonly merchantId: string;
  /** The mode of the merchant's key, signed with the merchant id. */
  readonly mode: PaymentMode;
  /** Exactly the bytes the client sent (empty for reads). */
  readonly body: Uint8Array;
  /** Headers passed through (Idempotency-Key, Content-Type, Accept, X-Request-Id). */
  readonly headers: Record<string, string>;
  readonly retryPolicy: RetryPolicy;
}

export type ForwardResult =
  | {
    readonly ok: true;
    readonly response: UpstreamResponse;
    readonly upstream: Upstream;
    readonly attempts: number;
  }
  | {
    readonly ok: false;
    /** For the client: names no upstream address and carries no socket error. */
    readonly detail: string;
    /** For the log: which upstream failed how. */
    readonly cause?: string;
    readonly attempts: number;
    /** Shed by admission control: nothing was sent. */
    readonly overloaded?: boolean;
  };

export interface Forwarder {
  forward(input: ForwardInput): Promise<ForwardResult>;
}

/** Instances tried for one request: the first plus two failovers, then 503. */
export const upstreamAttemptsMax = 3;

export interface ForwarderOptions {
  readonly pool: UpstreamPool;
  readonly client: UpstreamClient;
  readonly secret: string;
  readonly timeoutMs: number;
  /** How long, after a failover, a 409 idempotency_key_in_use is retried (FAILOVER_LOCK_WAIT_MS). */
  readonly lockWaitMs: number;
  readonly metrics: GatewayMetrics;
  readonly nowMs?: () => number;
}

/**
 * Signs and sends a request to one upstream, failing over to another on
 * connection failures as the retry policy allows. Each attempt is signed anew
 * (fresh nonce and timestamp): ingest refuses a replayed nonce. After a
 * failover, a 409 idempotency_key_in_use (the lock of our own lost attempt)
 * is retried with backoff for up to FAILOVER_LOCK_WAIT_MS.
 */
export function createForwarder(options: ForwarderOptions): Forwarder {
  const nowMs = options.nowMs ?? Date.now;
  return {
    async forward(input) {
      const failed = new Set<Upstream>();
      const inUseDeadlineMs = nowMs() + options.lockWaitMs;
      let attempts = 0;
      let inUseWaits = 0;
      let lastError = "No upstream is available";
      while (failed.size < upstreamAttemptsMax) {
        const upstream = options.pool.pick(failed);
        if (!upstream) {
          if (options.pool.saturated(failed)) {
            options.metrics.upstreamErrors.inc({ kind: "overloaded" });
            return {
              ok: false,
              overloaded: true,
              detail: "Every ingest instance is at its in-flight limit; retry shortly",
              attempts,
            };
          }
          break;
        }
        if (attempts++ > 0) options.metrics.upstreamRetries.inc();
        const outcome = await sendSigned(options, upstream, input, nowMs());
        if (!(outcome instanceof UpstreamError)) {
          if (failed.size > 0 && isKeyInUse(outcome) && nowMs() < inUseDeadlineMs) {
            // Our own failed attempt still holds the key's in-flight lock on ingest;
            // it expires shortly. Waiting beats a 409 for a request sent once.
            await delay(backoffDelayMs(inUseWaits++, inUseBackoffBaseMs, inUseBackoffCapMs));
            continue;
          }
          return { ok: true, response: outcome, upstream, attempts };
        }
        failed.add(upstream);
        options.metrics.upstreamErrors.inc({ kind: outcome.kind });
        if (outcome.kind !== "timeout") options.pool.eject(upstream);
        lastError = `${upstream.url}: ${outcome.message}`;
        if (outcome.kind !== "connect" && input.retryPolicy === "unsent") {
          return {
            ok: false,
            detail:
              "The payment service failed after the request was sent; it may have been processed: check before repeating, or repeat with an Idempotency-Key",
            cause: `Upstream failed after the request was sent: ${lastError}`,
            attempts,
          };
        }
      }
      return {
        ok: false,
        detail: "No payment service instance could take the request; retry shortly",
        cause: `No upstream could take the request: ${lastError}`,
        attempts,
      };
    },
  };
}

/** First wait before re-sending into a key still locked by a failed attempt. */
const inUseBackoffBaseMs = 50;
/** Longest single wait: short against the lock's life (PG_TIMEOUT_MS + 1 s) so the retry lands soon after it expires. */
const inUseBackoffCapMs = 500;

function isKeyInUse(response: UpstreamResponse): boolean {
  return response.status === 409 && problemCodeOf(response) === "idempotency_key_in_use";
}

/** The problem+json `code` of an upstream answer; undefined when it has none. */
export function problemCodeOf(response: UpstreamResponse): string | undefined {
  try {
    const code = JSON.parse(new TextDecoder().decode(response.body)).code;
    return typeof code === "string" ? code : undefined;
  } catch {
    return undefined;
  }
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

async function sendSigned(
  options: ForwarderOptions,
  upstream: Upstream,
  input: ForwardInput,
  nowMs: number,
): Promise<UpstreamResponse | UpstreamError> {
  const signature = signedHeaders(options.secret, {
    method: input.method,
    pathWithQuery: input.pathWithQuery,
    merchantId: input.merchantId,
    mode: input.mode,
    body: input.body,
    timestampSeconds: Math.floor(nowMs / 1000),
    nonce: newNonce(),
  });
  options.pool.begin(upstream);
  try {
    return await options.client.send(upstream, {
      method: input.method,
      pathWithQuery: input.pathWithQuery,
      headers: { ...input.headers, ...signature },
      body: input.body.byteLength > 0 ? input.body : null,
      timeoutMs: options.timeoutMs,
    });
  } catch (error) {
    if (error instanceof UpstreamError) return error;
    throw error;
  } finally {
    options.pool.end(upstream);
  }
}

/** 128 random bits, hex: unique per signed request. */
function newNonce(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  let hex = "";
  for (const byte of bytes) hex += byte.toString(16).padStart(2, "0");
  return hex;
}
