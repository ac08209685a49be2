/**
 * The payment gateway (PG) as ingest and the workers see it. pgsim implements
 * the HTTP side; `lib/pg/http_client.ts` is the adapter. Every call carries an
 * idempotency key: the PG answers a repeated key with the first answer, so a
 * retry never authorizes, captures or refunds twice.
 */
export interface PgAuthorizeRequest {
  /** PG idempotency key: the same merchant + idempotency key always maps to the same value. */
  readonly idempotencyKey: string;
  readonly merchantId: string;
  readonly amount: number;
  readonly currency: string;
  /** Test-card token, e.g. `tok_visa` (approve), `tok_decline` (decline). */
  readonly paymentMethod: string;
  /** Our payment id, echoed in the PG's settlement report. */
  readonly reference: string;
}

export type PgAuthorizeResult =
  | { readonly outcome: "approved"; readonly authorizationId: string }
  | {
    readonly outcome: "declined";
    readonly authorizationId: string;
    readonly declineCode: string;
  };

export interface PgCaptureRequest {
  /** Our settlement request id. */
  readonly idempotencyKey: string;
  readonly authorizationId: string;
  readonly amount: number;
  readonly currency: string;
  readonly reference: string;
}

export interface PgRefundRequest {
  /** Our refund request id. */
  readonly idempotencyKey: string;
  readonly authorizationId: string;
  readonly amount: number;
  readonly currency: string;
  readonly reference: string;
}

export interface PgCancelRequest {
  readonly idempotencyKey: string;
  readonly authorizationId: string;
  readonly reference: string;
}

/** What became of an authorization at the PG: approved (a live hold), declined, captured, or voided. */
export type PgAuthorizationStatus = "approved" | "declined" | "captured" | "voided";

/**
 * What the PG knows of the authorization it was asked for with an
 * idempotency key: `found: false` when it never authorized anything under
 * that key (or has forgotten it).
 */
export type PgAuthorizationLookup =
  | { readonly found: false }
  | {
    readonly found: true;
    readonly authorizationId: string;
    readonly status: PgAuthorizationStatus;
    readonly amount: number;
    readonly currency: string;
    readonly reference: string;
  };

/** A capture, refund or cancel the PG answered. `rejected` is a final business refusal (not retryable). */
export type PgOperationResult =
  | { readonly outcome: "succeeded"; readonly pgId: string }
  | { readonly outcome: "rejected"; readonly code: string };

/**
 * Every method throws `PgUnavailableError` (lib/domain) when the PG cannot be
 * reached, times out, or answers 5xx: the outcome is then unknown and the
 * caller may retry with the same idempotency key.
 */
export interface PgClient {
  authorize(request: PgAuthorizeRequest): Promise<PgAuthorizeResult>;
  capture(request: PgCaptureRequest): Promise<PgOperationResult>;
  refund(request: PgRefundRequest): Promise<PgOperationResult>;
  cancel(request: PgCancelRequest): Promise<PgOperationResult>;
  /** The authorization asked for with this idempotency key (a read: safe to repeat). */
  lookupAuthorization(idempotencyKey: string): Promise<PgAuthorizationLookup>;
}
