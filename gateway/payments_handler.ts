import { problem, problemResponse } from "@pay/lib/http";
import type { ApiKeyVerifier } from "./auth/api_key_verifier.ts";
import { bodyFieldsOf, BodyTooLargeError, readBodyLimited } from "./http/body.ts";
import { requestIdHeader } from "./http/request_id.ts";
import type { RateLimiter } from "./rate_limit/limiter.ts";
import { rateLimitHeaders } from "./rate_limit/headers.ts";
import type { PaymentRoute } from "./routes.ts";
import { type Forwarder, problemCodeOf, type RetryPolicy } from "./upstream/forward.ts";

export interface PaymentsDeps {
  readonly verifier: ApiKeyVerifier;
  /** Null when rate limiting is switched off. */
  readonly limiter: RateLimiter | null;
  readonly forwarder: Forwarder;
  readonly bodySizeBytesMax: number;
  readonly nowMs: () => number;
  /** Where failures are told in full (driver text, upstream addresses); default stderr. */
  readonly log?: (line: string) => void;
}

/** What the handler learned, for the access log. */
export interface PaymentsNotes {
  merchantId?: string;
  mode?: string;
  upstream?: string;
  attempts?: number;
  rateLimit?: string;
  /** Every ingest instance was full, or the one asked refused for overload. */
  overloaded?: boolean;
}

/** Retry-After of a request shed because every ingest instance is at its in-flight limit. */
const overloadRetryAfterSeconds = 1;

/** Request headers passed to ingest; everything else (Authorization, x-pay-*) stays here. */
const forwardedHeaders = ["idempotency-key", "content-type", "accept", requestIdHeader];

/** Hop-by-hop and recomputed headers never copied from an upstream response. */
const droppedResponseHeaders = new Set([
  "connection",
  "keep-alive",
  "transfer-encoding",
  "content-length",
  "date",
  requestIdHeader,
]);

/**
 * The payment API at the edge: authenticate, bound the body, check the body's
 * merchant, rate-limit, then forward the exact bytes, signed, to an ingest
 * instance.
 */
export async function handlePayment(
  deps: PaymentsDeps,
  request: Request,
  route: PaymentRoute,
  requestId: string,
  notes: PaymentsNotes,
): Promise<Response> {
  let auth;
  try {
    auth = await deps.verifier.verify(request.headers.get("authorization"));
  } catch (error) {
    // The driver's text names hosts and users: the log gets it, the client does not.
    logFailure(deps, requestId, "API key store unavailable", String(error));
    return problemResponse(
      problem("service_unavailable", "Authentication is temporarily unavailable; retry shortly"),
    );
  }
  if (!auth.ok) {
    const challenge = request.headers.has("authorization")
      ? 'Bearer realm="payments", error="invalid_token"'
      : 'Bearer realm="payments"';
    return problemResponse(
      problem(auth.code, auth.detail),
      auth.code === "unauthorized" ? { "WWW-Authenticate": challenge } : {},
    );
  }
  notes.merchantId = auth.merchantId;
  notes.mode = auth.mode;

  let body: Uint8Array;
  try {
    body = request.method === "POST" || request.method === "PATCH"
      ? await readBodyLimited(request, deps.bodySizeBytesMax)
      : new Uint8Array(0);
  } catch (error) {
    if (!(error instanceof BodyTooLargeError)) throw error;
    return problemResponse(problem("payload_too_large", error.message));
  }
  const fields = bodyFieldsOf(body);
  if (fields.merchantId !== undefined && fields.merchantId !== auth.merchantId) {
    return problemResponse(problem(
      "forbidden",
      `Body merchantId does not match the API key's merchant: ${String(fields.merchantId)}`,
      { param: "merchantId" },
    ));
  }

  let limitHeaders: Record<string, string> = {};
  if (deps.limiter) {
    const decision = await deps.limiter.check(auth.merchantId, route.endpointClass);
    limitHeaders = rateLimitHeaders(decision, deps.nowMs());
    notes.rateLimit = decision.kind === "fail_open"
      ? "fail_open"
      : decision.allowed
      ? "allowed"
      : "limited";
    if (!decision.allowed) {
      return problemResponse(
        problem(
          "rate_limited",
          `Rate limit exceeded for ${route.endpointClass}: retry after ${
            limitHeaders["Retry-After"]
          } s`,
        ),
        limitHeaders,
      );
    }
  }

  const headers: Record<string, string> = {};
  for (const name of forwardedHeaders) {
    const value = request.headers.get(name);
    if (value !== null) headers[name] = value;
  }
  headers[requestIdHeader] = requestId;
  const url = new URL(request.url);
  const result = await deps.forwarder.forward({
    method: request.method,
    pathWithQuery: url.pathname + url.search,
    merchantId: auth.merchantId,
    mode: auth.mode,
    body,
    headers,
    retryPolicy: retryPolicyOf(request, fields.idempotencyKey),
  });
  notes.attempts = result.attempts;
  if (!result.ok) {
    notes.overloaded = result.overloaded;
    if (result.cause) logFailure(deps, requestId, "Upstream unavailable", result.cause);
    const headers = result.overloaded
      ? { ...limitHeaders, "Retry-After": String(overloadRetryAfterSeconds) }
      : limitHeaders;
    return problemResponse(problem("upstream_unavailable", result.detail), headers);
  }
  notes.upstream = result.upstream.url;
  // Ingest's admission control refused it (nothing was done).
  if (result.response.status === 503 && problemCodeOf(result.response) === "overloaded") {
    notes.overloaded = true;
  }
  const responseHeaders = new Headers(limitHeaders);
  result.response.headers.forEach((value, name) => {
    if (!droppedResponseHeaders.has(name)) responseHeaders.append(name, value);
  });
  const status = result.response.status;
  const bodiless = request.method === "HEAD" || nullBodyStatuses.has(status);
  return new Response(bodiless ? null : result.response.body, { status, headers: responseHeaders });
}

/** Statuses whose response has no body (Fetch standard); `new Response` throws on one with a body. */
const nullBodyStatuses: ReadonlySet<number> = new Set([101, 103, 204, 205, 304]);

function logFailure(deps: PaymentsDeps, requestId: string, msg: string, error: string): void {
  (deps.log ?? console.error)(JSON.stringify({ level: "warn", msg, requestId, error }));
}

/** Reads and keyed POSTs may go to another instance after a failure; other POSTs only if never sent. */
function retryPolicyOf(request: Request, bodyIdempotencyKey: unknown): RetryPolicy {
  if (request.method === "GET" || request.method === "HEAD") return "always";
  const keyed = request.headers.has("idempotency-key") ||
    (typeof bodyIdempotencyKey === "string" && bodyIdempotencyKey !== "");
  return keyed ? "always" : "unsent";
}
