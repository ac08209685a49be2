import { problem, type ProblemCode, problemTypePage } from "@pay/lib/http";

/**
 * The parts every operation shares: the gateway's response headers, one
 * problem response per status it can answer, and the helpers that build an
 * operation's responses from them.
 */

const headerRef = (name: string) => ({ $ref: `#/components/headers/${name}` });

export const headers = {
  "X-Request-Id": {
    description:
      "The request's id: the one you sent (up to 128 safe characters) or a new one. Quote it when asking about a request",
    schema: { type: "string", examples: ["req_01jf3x4k5m6n7p8q9r0s1t2v3w"] },
  },
  "RateLimit": {
    description:
      'Your remaining budget in this endpoint class: `"<class>";r=<requests left>;t=<seconds until the window resets>` (IETF draft-ietf-httpapi-ratelimit-headers)',
    schema: { type: "string", examples: ['"authorize";r=59;t=42'] },
  },
  "RateLimit-Policy": {
    description: 'The budget of this endpoint class: `"<class>";q=<requests>;w=<window seconds>`',
    schema: { type: "string", examples: ['"authorize";q=60;w=60'] },
  },
  "Retry-After": {
    description: "Seconds to wait before retrying (with the same Idempotency-Key)",
    schema: { type: "integer", minimum: 1, examples: [30] },
  },
  "Idempotent-Replayed": {
    description:
      "`true` when this answer replays the first answer to the same Idempotency-Key (status and byte-identical body)",
    schema: { type: "string", enum: ["true"] },
  },
  "WWW-Authenticate": {
    description: "The Bearer challenge of a missing or invalid key",
    schema: { type: "string", examples: ['Bearer realm="payments", error="invalid_token"'] },
  },
};

type HeaderName = keyof typeof headers;

const headersOf = (names: readonly HeaderName[]) =>
  Object.fromEntries(names.map((name) => [name, headerRef(name)]));

/** Headers of every answer that passed authentication and the rate limiter. */
const limitedHeaders: readonly HeaderName[] = ["X-Request-Id", "RateLimit", "RateLimit-Policy"];

function problemExample(
  code: ProblemCode,
  detail: string,
  extra: { param?: string; paymentId?: string } = {},
) {
  return { summary: code, value: problem(code, detail, extra) };
}

interface ProblemStatus {
  readonly description: string;
  readonly headers: readonly HeaderName[];
  readonly examples: Record<string, ReturnType<typeof problemExample>>;
}

const problemStatuses = {
  "400": {
    description:
      "validation_error (`param` names the field, header or query parameter) or an amount rule",
    headers: limitedHeaders,
    examples: {
      validation_error: problemExample(
        "validation_error",
        "amount: must be an integer from 1 to 9007199254740991 (minor units)",
        { param: "amount" },
      ),
      amount_exceeds_refundable: problemExample(
        "amount_exceeds_refundable",
        "Refund amount exceeds the refundable amount: 6000 > 5000",
      ),
    },
  },
  "401": {
    description: "unauthorized: no key, an unknown or revoked one, or a wrong secret",
    headers: ["X-Request-Id", "WWW-Authenticate"],
    examples: {
      unauthorized: problemExample(
        "unauthorized",
        "Missing API key: send Authorization: Bearer sk_<test|live>_…",
      ),
    },
  },
  "402": {
    description: "card_declined: the issuer declined; the payment is stored AUTH_FAILED",
    headers: limitedHeaders,
    examples: {
      card_declined: problemExample("card_declined", "Card declined: card_declined", {
        paymentId: "pay_01jf3x4k5m6n7p8q9r0s1t2v3w",
      }),
    },
  },
  "403": {
    description:
      "forbidden (the body's merchantId is not your key's merchant), or publishable_key: a pk_test_/pk_live_ key, which this API refuses (call it from your server with an sk_ key)",
    headers: ["X-Request-Id"],
    examples: {
      publishable_key: problemExample(
        "publishable_key",
        "Publishable keys cannot call this API; use a secret key (sk_test_…) from your server",
      ),
      forbidden: problemExample(
        "forbidden",
        "Body merchantId does not match the API key's merchant: M999",
        { param: "merchantId" },
      ),
    },
  },
  "404": {
    description:
      "not_found: no such resource for this key (also another merchant's, or the other mode's)",
    headers: limitedHeaders,
    examples: {
      not_found: problemExample("not_found", "Payment not found: pay_01jf3x4k5m6n7p8q9r0s1t2v3w"),
    },
  },
  "409": {
    description:
      "invalid_state (the payment's state does not allow this), idempotency_key_in_use (the first request with this key still runs: retry with the same key) or authorization_voided",
    headers: limitedHeaders,
    examples: {
      invalid_state: problemExample("invalid_state", "Cannot capture a payment in state CANCELLED"),
      idempotency_key_in_use: problemExample(
        "idempotency_key_in_use",
        "A request with this Idempotency-Key is in progress",
      ),
    },
  },
  "413": {
    description: "payload_too_large: the body exceeds the gateway's limit",
    headers: ["X-Request-Id"],
    examples: {
      payload_too_large: problemExample("payload_too_large", "Request body exceeds 65536 bytes"),
    },
  },
  "415": {
    description: "unsupported_media_type: a body that is not declared application/json",
    headers: limitedHeaders,
    examples: {
      unsupported_media_type: problemExample(
        "unsupported_media_type",
        "Content-Type must be application/json: text/plain",
      ),
    },
  },
  "422": {
    description:
      "idempotency_key_mismatch: the Idempotency-Key was used with another request; use a new key",
    headers: limitedHeaders,
    examples: {
      idempotency_key_mismatch: problemExample(
        "idempotency_key_mismatch",
        "Idempotency-Key was used with a different request: order-1001-try-1",
        { param: "Idempotency-Key" },
      ),
    },
  },
  "429": {
    description: "rate_limited: this endpoint class's budget is spent; wait Retry-After seconds",
    headers: [...limitedHeaders, "Retry-After"],
    examples: {
      rate_limited: problemExample(
        "rate_limited",
        "Rate limit exceeded for authorize: retry after 12 s",
      ),
    },
  },
  "503": {
    description:
      "upstream_unavailable, pg_unavailable or service_unavailable: nothing was done; retry after Retry-After seconds with the same Idempotency-Key",
    headers: ["X-Request-Id", "Retry-After"],
    examples: {
      upstream_unavailable: problemExample(
        "upstream_unavailable",
        "No payment service instance could take the request",
      ),
      pg_unavailable: problemExample(
        "pg_unavailable",
        "Payment gateway unavailable; retry shortly",
      ),
    },
  },
} satisfies Record<string, ProblemStatus>;

export type ProblemHttpStatus = keyof typeof problemStatuses;

/** components.responses: one problem response per status, named by it. */
export const problemResponses = Object.fromEntries(
  Object.entries(problemStatuses).map(([status, p]: [string, ProblemStatus]) => [
    `Problem${status}`,
    {
      description: p.description,
      headers: headersOf(p.headers),
      content: {
        "application/problem+json": {
          schema: { $ref: "#/components/schemas/Problem" },
          examples: p.examples,
        },
      },
    },
  ]),
);

/** What the gateway itself can answer to any API call (authentication, limits, upstream). */
const gatewayStatuses: readonly ProblemHttpStatus[] = ["401", "403", "429", "503"];

/** Statuses of a call that sends a JSON body. */
export const bodyStatuses: readonly ProblemHttpStatus[] = ["400", "413", "415"];

/** Statuses of a call that takes an Idempotency-Key. */
export const idempotentStatuses: readonly ProblemHttpStatus[] = ["409", "422"];

/** An operation's problem responses: the gateway's, plus the given ones, by status. */
export function problemsOf(statuses: readonly ProblemHttpStatus[]) {
  const all = [...new Set([...statuses, ...gatewayStatuses])].sort();
  return Object.fromEntries(
    all.map((status) => [status, { $ref: `#/components/responses/Problem${status}` }]),
  );
}

/** A success answer of `schema` with the given example; a replayable one carries Idempotent-Replayed. */
export function success(
  description: string,
  schema: string,
  example: unknown,
  options: { replayable?: boolean } = {},
) {
  const names: HeaderName[] = [...limitedHeaders];
  if (options.replayable) names.push("Idempotent-Replayed");
  return {
    description,
    headers: headersOf(names),
    content: {
      "application/json": { schema: { $ref: `#/components/schemas/${schema}` }, example },
    },
  };
}

/** A success answer without a body (204). */
export function noContent(description: string) {
  return { description, headers: headersOf(limitedHeaders) };
}

/** The Idempotency-Key header parameter. */
export function idempotencyKeyParameter(required: boolean, description: string) {
  return {
    name: "Idempotency-Key",
    in: "header",
    required,
    schema: { type: "string", minLength: 1, maxLength: 255, pattern: "^[\\x21-\\x7e]+$" },
    description,
    example: "order-1001-try-1",
  };
}

export const problemSchema = {
  type: "object",
  required: ["type", "title", "status", "detail", "code"],
  properties: {
    type: {
      type: "string",
      format: "uri-reference",
      description: `${problemTypePage}#<code>: the code's entry on the problems page`,
      examples: [`${problemTypePage}#validation_error`],
    },
    title: { type: "string" },
    status: { type: "integer" },
    detail: { type: "string" },
    code: { type: "string" },
    param: {
      type: "string",
      description:
        "validation_error: the offending field, header (Idempotency-Key) or query parameter; the detail starts with it",
    },
    paymentId: { type: "string" },
  },
};
