/**
 * The store's server-side client of the gateway's public API (DESIGN §3).
 * The merchant API key is attached here and nowhere else: it never reaches
 * a browser. Every call resolves to a result; it never throws for a refusal,
 * an outage or a timeout, so pages can explain each case to the shopper.
 */
import { type Payment, paymentSchema } from "./payment.ts";

export interface AuthorizeRequest {
  readonly amount: number;
  readonly currency: string;
  readonly orderId: string;
  readonly description: string;
  /** Test card token: tok_visa, tok_decline, tok_timeout. */
  readonly paymentMethod: string;
}

export interface GatewayFailure {
  /** HTTP status, or 0 when no answer came (network error or timeout). */
  readonly status: number;
  /** The problem's `code`, or `gateway_unreachable` / `gateway_timeout` / `bad_gateway_response`. */
  readonly code: string;
  readonly detail: string;
  /** From Retry-After on 429 and 503. */
  readonly retryAfterSeconds?: number;
  /** True when the call may have taken effect (no answer): retry with the same key. */
  readonly outcomeUnknown: boolean;
}

export type GatewayResult =
  | { readonly ok: true; readonly payment: Payment; readonly replayed: boolean }
  | { readonly ok: false; readonly failure: GatewayFailure };

export interface GatewayClient {
  authorize(request: AuthorizeRequest, idempotencyKey: string): Promise<GatewayResult>;
  capture(paymentId: string, idempotencyKey: string): Promise<GatewayResult>;
  refund(
    paymentId: string,
    idempotencyKey: string,
    body: { amount?: number; reason?: string },
  ): Promise<GatewayResult>;
  cancel(paymentId: string, idempotencyKey: string): Promise<GatewayResult>;
  getPayment(paymentId: string): Promise<GatewayResult>;
}

export interface GatewayClientOptions {
  readonly baseUrl: string;
  readonly apiKey: string;
  readonly timeoutMs: number;
  readonly fetch?: typeof fetch;
}

/** Largest Retry-After honoured; a larger value is shown as this many seconds. */
const retryAfterSecondsMax = 3_600;

export function createGatewayClient(options: GatewayClientOptions): GatewayClient {
  const doFetch = options.fetch ?? fetch;

  async function call(
    method: "GET" | "POST",
    path: string,
    body?: unknown,
    idempotencyKey?: string,
  ): Promise<GatewayResult> {
    const headers = new Headers({
      authorization: `Bearer ${options.apiKey}`,
      accept: "application/json",
    });
    if (body !== undefined) headers.set("content-type", "application/json");
    if (idempotencyKey) headers.set("idempotency-key", idempotencyKey);
    let response: Response;
    try {
      response = await doFetch(`${options.baseUrl}${path}`, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(options.timeoutMs),
      });
    } catch (error) {
      const timedOut = error instanceof DOMException && error.name === "TimeoutError";
      return failure(0, timedOut ? "gateway_timeout" : "gateway_unreachable", String(error), true);
    }
    return await readResponse(response);
  }

  const encode = encodeURIComponent;
  return {
    authorize: (request, key) => call("POST", "/api/payments/authorize", request, key),
    capture: (id, key) => call("POST", `/api/payments/capture/${encode(id)}`, {}, key),
    refund: (id, key, body) => call("POST", `/api/payments/refund/${encode(id)}`, body, key),
    cancel: (id, key) => call("POST", `/api/payments/cancel/${encode(id)}`, {}, key),
    getPayment: (id) => call("GET", `/api/payments/${encode(id)}`),
  };
}

async function readResponse(response: Response): Promise<GatewayResult> {
  const text = await response.text();
  let json: unknown;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  if (response.ok) {
    const parsed = paymentSchema.safeParse(json);
    if (!parsed.success) {
      return failure(
        response.status,
        "bad_gateway_response",
        `Unexpected payment JSON: ${parsed.error.issues[0]?.message}`,
        true,
      );
    }
    return {
      ok: true,
      payment: parsed.data,
      replayed: response.headers.get("idempotent-replayed") === "true",
    };
  }
  const problem = (json ?? {}) as { code?: unknown; detail?: unknown; title?: unknown };
  return failure(
    response.status,
    typeof problem.code === "string" ? problem.code : `http_${response.status}`,
    typeof problem.detail === "string"
      ? problem.detail
      : typeof problem.title === "string"
      ? problem.title
      : response.statusText,
    // A 5xx without a problem body came from something in between (proxy): unknown outcome.
    response.status >= 500 && typeof problem.code !== "string",
    retryAfterOf(response),
  );
}

function retryAfterOf(response: Response): number | undefined {
  const value = response.headers.get("retry-after");
  if (!value) return undefined;
  const seconds = /^\d+$/.test(value.trim())
    ? Number(value)
    : Math.ceil((Date.parse(value) - Date.now()) / 1000);
  return Number.isFinite(seconds)
    ? Math.min(Math.max(seconds, 1), retryAfterSecondsMax)
    : undefined;
}

function failure(
  status: number,
  code: string,
  detail: string,
  outcomeUnknown: boolean,
  retryAfterSeconds?: number,
): GatewayResult {
  return {
    ok: false,
    failure: {
      status,
      code,
      detail,
      outcomeUnknown,
      ...(retryAfterSeconds === undefined ? {} : { retryAfterSeconds }),
    },
  };
}
