import type { DomainError, DomainErrorCode } from "../domain/mod.ts";
import { isTransientFailure } from "../resilience/transient.ts";

/** Codes only the HTTP edge produces (no domain rule behind them). */
export type EdgeErrorCode =
  | "unauthorized"
  | "forbidden"
  /** A publishable key (pk_test_…/pk_live_…) was sent to the server-side API. */
  | "publishable_key"
  | "rate_limited"
  | "payload_too_large"
  | "unsupported_media_type"
  | "method_not_allowed"
  | "upstream_unavailable"
  | "overloaded"
  | "internal_error";

export type ProblemCode = DomainErrorCode | EdgeErrorCode;

/** RFC 9457 problem details, with this platform's stable `code`. */
export interface Problem {
  readonly type: string;
  readonly title: string;
  readonly status: number;
  readonly detail: string;
  readonly code: ProblemCode;
  readonly param?: string;
  readonly paymentId?: string;
}

export const problemContentType = "application/problem+json";

/**
 * Where each problem type is explained: an anchor (the code) on the page the
 * gateway serves. A relative reference (RFC 9457 §3.1.1): it resolves against
 * the gateway that answered, whatever host and port it is reached at.
 */
export const problemTypePage = "/api/docs/problems";

/** The `type` of a problem code: `/api/docs/problems#<code>`. */
export function problemTypeOf(code: ProblemCode): string {
  return `${problemTypePage}#${code}`;
}

const statusAndTitle: Record<ProblemCode, readonly [number, string]> = {
  validation_error: [400, "Invalid request"],
  amount_exceeds_authorized: [400, "Amount exceeds the authorized amount"],
  amount_exceeds_refundable: [400, "Amount exceeds the refundable amount"],
  unauthorized: [401, "Unauthorized"],
  card_declined: [402, "Card declined"],
  forbidden: [403, "Forbidden"],
  publishable_key: [403, "Publishable key not allowed"],
  not_found: [404, "Not found"],
  method_not_allowed: [405, "Method not allowed"],
  invalid_state: [409, "Invalid payment state"],
  idempotency_key_in_use: [409, "Idempotency key in use"],
  authorization_voided: [409, "Authorization voided"],
  not_in_profile: [409, "Not available in this profile"],
  payload_too_large: [413, "Payload too large"],
  unsupported_media_type: [415, "Unsupported media type"],
  idempotency_key_mismatch: [422, "Idempotency key reused with a different request"],
  rate_limited: [429, "Too many requests"],
  internal_error: [500, "Internal error"],
  upstream_unavailable: [503, "Service unavailable"],
  overloaded: [503, "Service overloaded"],
  pg_unavailable: [503, "Payment gateway unavailable"],
  service_unavailable: [503, "Service temporarily unavailable"],
};

/** Every problem code with its status and title, in status order (the docs page lists them). */
export const problemCatalog: readonly {
  readonly code: ProblemCode;
  readonly status: number;
  readonly title: string;
}[] = Object.entries(statusAndTitle).map(([code, [status, title]]) => ({
  code: code as ProblemCode,
  status,
  title,
}));

export function problem(
  code: ProblemCode,
  detail: string,
  extra: { param?: string; paymentId?: string } = {},
): Problem {
  const [status, title] = statusAndTitle[code];
  return {
    type: problemTypeOf(code),
    title,
    status,
    detail,
    code,
    ...(extra.param === undefined ? {} : { param: extra.param }),
    ...(extra.paymentId === undefined ? {} : { paymentId: extra.paymentId }),
  };
}

/**
 * Public details of the codes whose messages are built from driver or socket
 * errors (hosts, users, SQL state): the message goes to the log, the client
 * gets this fixed text.
 */
const publicDetails: Partial<Record<ProblemCode, string>> = {
  service_unavailable: "A dependency of the service is temporarily unavailable; retry shortly",
  pg_unavailable: "The payment gateway is unavailable; nothing was done, retry shortly",
};

export function problemFromDomainError(error: DomainError): Problem {
  return problem(error.code, publicDetails[error.code] ?? error.message, error.details);
}

/**
 * Retry-After of a 503 that does not set its own: a dependency outage is
 * usually seconds long, and clients should come back soon but not at once.
 */
export const unavailableRetryAfterSeconds = 1;

/** The problem as an HTTP response; every 503 carries Retry-After. */
export function problemResponse(p: Problem, headers: HeadersInit = {}): Response {
  const h = new Headers(headers);
  h.set("content-type", problemContentType);
  if (p.status === 503 && !h.has("retry-after")) {
    h.set("retry-after", String(unavailableRetryAfterSeconds));
  }
  return new Response(JSON.stringify(p), { status: p.status, headers: h });
}

/**
 * The public problem for an error no domain rule produced: a dependency that
 * is unavailable (connection refused or lost, pool exhausted, deadlock) is a
 * 503; anything else is a 500. Neither carries the error's own text.
 */
export function problemOfUnexpected(error: unknown): Problem {
  return isTransientFailure(error)
    ? problem("service_unavailable", publicDetails.service_unavailable!)
    : problem("internal_error", "An unexpected error occurred");
}

/** An error that already knows its HTTP problem (edge concerns: media type, auth, limits). */
export class ProblemError extends Error {
  constructor(readonly problem: Problem) {
    super(problem.detail);
    this.name = "ProblemError";
  }
}
