/**
 * The PG's HTTP contract: paths, request bodies, error codes and what each
 * answer means to a caller. pgsim serves it; the HTTP client and the fake
 * client read answers through the same functions, so they cannot disagree.
 */
import { PgUnavailableError } from "../domain/mod.ts";
import { PgProtocolError } from "./errors.ts";
import type {
  PgAuthorizationLookup,
  PgAuthorizationStatus,
  PgAuthorizeRequest,
  PgAuthorizeResult,
  PgCancelRequest,
  PgCaptureRequest,
  PgOperationResult,
  PgRefundRequest,
} from "./port.ts";

export const pgHeaders = {
  idempotencyKey: "idempotency-key",
  /** Set to `true` on an answer replayed from an earlier request with the same key. */
  replayed: "idempotent-replayed",
} as const;

export const pgPaths = {
  authorize: "/v1/authorizations",
  capture: (authorizationId: string) => `${authorizationPath(authorizationId)}/capture`,
  refund: (authorizationId: string) => `${authorizationPath(authorizationId)}/refund`,
  cancel: (authorizationId: string) => `${authorizationPath(authorizationId)}/cancel`,
  settlements: "/v1/settlements",
  /** GET: the authorization asked for with this idempotency key. */
  authorizationLookup: (idempotencyKey: string) =>
    `/v1/authorizations?idempotencyKey=${encodeURIComponent(idempotencyKey)}`,
} as const;

function authorizationPath(authorizationId: string): string {
  return `/v1/authorizations/${encodeURIComponent(authorizationId)}`;
}

export interface AuthorizeWireBody {
  readonly merchantId: string;
  readonly amount: number;
  readonly currency: string;
  readonly paymentMethod: string;
  readonly reference: string;
}

/** Body of a capture or a refund. */
export interface AmountWireBody {
  readonly amount: number;
  readonly currency: string;
  readonly reference: string;
}

export interface CancelWireBody {
  readonly reference?: string;
}

export function authorizeWireBody(request: PgAuthorizeRequest): AuthorizeWireBody {
  const { merchantId, amount, currency, paymentMethod, reference } = request;
  return { merchantId, amount, currency, paymentMethod, reference };
}

export function amountWireBody(request: PgCaptureRequest | PgRefundRequest): AmountWireBody {
  const { amount, currency, reference } = request;
  return { amount, currency, reference };
}

export function cancelWireBody(request: PgCancelRequest): CancelWireBody {
  return { reference: request.reference };
}

/** Stable codes of the PG's error answers. */
export type PgErrorCode =
  | "validation_error"
  | "unauthorized"
  | "not_found"
  | "payload_too_large"
  | "authorization_not_found"
  | "authorization_declined"
  | "authorization_cancelled"
  | "already_captured"
  | "already_cancelled"
  | "not_captured"
  | "currency_mismatch"
  | "amount_exceeds_authorized"
  | "amount_exceeds_captured"
  | "idempotency_key_mismatch"
  | "service_unavailable"
  | "internal_error";

/** Decline codes of a 402 answer to authorize. */
export type PgDeclineCode = "card_declined" | "insufficient_funds";

const statusAndTitle: Record<PgErrorCode, readonly [number, string]> = {
  validation_error: [400, "Invalid request"],
  unauthorized: [401, "Unauthorized"],
  not_found: [404, "Not found"],
  authorization_not_found: [404, "Authorization not found"],
  authorization_declined: [409, "Authorization was declined"],
  authorization_cancelled: [409, "Authorization was cancelled"],
  already_captured: [409, "Authorization already captured"],
  already_cancelled: [409, "Authorization already cancelled"],
  not_captured: [409, "Authorization not captured"],
  currency_mismatch: [409, "Currency differs from the authorization"],
  amount_exceeds_authorized: [409, "Amount exceeds the authorized amount"],
  amount_exceeds_captured: [409, "Amount exceeds the captured amount not yet refunded"],
  payload_too_large: [413, "Payload too large"],
  idempotency_key_mismatch: [422, "Idempotency key reused with a different request"],
  internal_error: [500, "Internal error"],
  service_unavailable: [503, "Service unavailable"],
};

/** RFC 9457 problem details with the PG's stable `code`. */
export interface PgProblem {
  readonly type: string;
  readonly title: string;
  readonly status: number;
  readonly detail: string;
  readonly code: PgErrorCode;
  readonly param?: string;
}

export const pgProblemContentType = "application/problem+json";

const problemTypeBase = "https://docs.payments.example/pg/problems/";

export function pgProblem(code: PgErrorCode, detail: string, param?: string): PgProblem {
  const [status, title] = statusAndTitle[code];
  return {
    type: problemTypeBase + code.replaceAll("_", "-"),
    title,
    status,
    detail,
    code,
    ...(param === undefined ? {} : { param }),
  };
}

/**
 * What an answer to authorize means: 200 approved, 402 declined; 5xx and 429
 * mean the outcome is unknown (PgUnavailableError); anything else is a
 * PgProtocolError.
 */
export function authorizeResultOf(status: number, text: string): PgAuthorizeResult {
  throwIfUnavailable(status, "authorize");
  if (status === 200) {
    return { outcome: "approved", authorizationId: stringField(status, text, "id") };
  }
  if (status === 402) {
    return {
      outcome: "declined",
      authorizationId: stringField(status, text, "id"),
      declineCode: stringField(status, text, "code"),
    };
  }
  throw unexpected(status, text, "authorize");
}

/**
 * What an answer to capture, refund or cancel means: 200 succeeded; 404, 409
 * and 422 are final refusals (`rejected` with the PG's code); 5xx and 429 mean
 * the outcome is unknown (PgUnavailableError); anything else is a
 * PgProtocolError.
 */
export function operationResultOf(
  status: number,
  text: string,
  operation: string,
): PgOperationResult {
  throwIfUnavailable(status, operation);
  if (status === 200) return { outcome: "succeeded", pgId: stringField(status, text, "id") };
  if (status === 404 || status === 409 || status === 422) {
    return { outcome: "rejected", code: stringField(status, text, "code") };
  }
  throw unexpected(status, text, operation);
}

/** The PG's status words of an authorization, as the lookup and the settlement report send them. */
export const pgAuthorizationStatusOf = {
  APPROVED: "approved",
  DECLINED: "declined",
  CAPTURED: "captured",
  CANCELLED: "voided",
} as const satisfies Record<string, PgAuthorizationStatus>;

/**
 * What an answer to an authorization lookup means: 200 the authorization
 * with its current status, 404 none under that key; 5xx and 429
 * PgUnavailableError; anything else PgProtocolError.
 */
export function authorizationLookupOf(status: number, text: string): PgAuthorizationLookup {
  throwIfUnavailable(status, "authorization lookup");
  if (status === 404) return { found: false };
  if (status !== 200) throw unexpected(status, text, "authorization lookup");
  const body = parseObject(text) ?? {};
  const pgStatus = pgAuthorizationStatusOf[body.status as keyof typeof pgAuthorizationStatusOf];
  const { amount } = body;
  if (pgStatus === undefined || typeof amount !== "number") {
    throw new PgProtocolError(
      `PG answer ${status} to authorization lookup is not an authorization: ${text.slice(0, 200)}`,
      status,
      undefined,
    );
  }
  return {
    found: true,
    authorizationId: stringField(status, text, "id"),
    status: pgStatus,
    amount,
    currency: stringField(status, text, "currency"),
    reference: stringField(status, text, "reference"),
  };
}

function throwIfUnavailable(status: number, operation: string): void {
  if (status >= 500 || status === 429) {
    throw new PgUnavailableError(`PG answered ${status} to ${operation}`);
  }
}

function stringField(status: number, text: string, field: string): string {
  const value = parseObject(text)?.[field];
  if (typeof value !== "string" || value === "") {
    throw new PgProtocolError(
      `PG answer ${status} lacks a string "${field}": ${text.slice(0, 200)}`,
      status,
      undefined,
    );
  }
  return value;
}

function unexpected(status: number, text: string, operation: string): PgProtocolError {
  const code = parseObject(text)?.code;
  return new PgProtocolError(
    `PG answered ${status} to ${operation}: ${text.slice(0, 200)}`,
    status,
    typeof code === "string" ? code : undefined,
  );
}

function parseObject(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === "object" && value !== null
      ? value as Record<string, unknown>
      : undefined;
  } catch {
    return undefined;
  }
}
