/**
 * Expected failures, as typed errors with a stable `code`.
 *
 * They are mapped to HTTP problem+json once, at the edge (lib/http/problem.ts).
 */
export type DomainErrorCode =
  | "validation_error"
  | "invalid_state"
  | "not_found"
  | "card_declined"
  | "pg_unavailable"
  | "service_unavailable"
  | "idempotency_key_mismatch"
  | "idempotency_key_in_use"
  /** The authorization of this idempotency key was voided after its answer was lost. */
  | "authorization_voided"
  | "amount_exceeds_authorized"
  | "amount_exceeds_refundable"
  | "forbidden"
  /** The operation has no object in the running profile (e.g. Redis rate limits under embedded). */
  | "not_in_profile";

export class DomainError extends Error {
  constructor(
    readonly code: DomainErrorCode,
    message: string,
    readonly details: { param?: string; paymentId?: string } = {},
  ) {
    super(message);
    this.name = "DomainError";
  }
}

export class ValidationError extends DomainError {
  constructor(message: string, param?: string) {
    super("validation_error", message, { param });
    this.name = "ValidationError";
  }
}

export class NotFoundError extends DomainError {
  constructor(message: string, paymentId?: string) {
    super("not_found", message, { paymentId });
    this.name = "NotFoundError";
  }
}

export class InvalidStateError extends DomainError {
  constructor(message: string, paymentId: string) {
    super("invalid_state", message, { paymentId });
    this.name = "InvalidStateError";
  }
}

/**
 * A dependency (database, Redis, bus) is unreachable or overloaded: the
 * request may succeed if repeated later. The message is for logs only; the
 * public answer never carries it (driver text names hosts and users).
 */
export class DependencyUnavailableError extends DomainError {
  constructor(readonly dependency: string, message: string, options?: { cause?: unknown }) {
    super("service_unavailable", message);
    this.name = "DependencyUnavailableError";
    if (options?.cause !== undefined) this.cause = options.cause;
  }
}

/**
 * What was asked for does not exist in the running profile (DESIGN §1): the
 * embedded profile has no Redis, so there is no shared rate-limit bucket or
 * cache to read. A stable answer, not an outage: 409, no retry helps.
 */
export class NotInProfileError extends DomainError {
  constructor(message: string) {
    super("not_in_profile", message);
    this.name = "NotInProfileError";
  }
}

/** The PG could not be reached, timed out, or the breaker is open. Nothing was stored. */
export class PgUnavailableError extends DomainError {
  constructor(message: string) {
    super("pg_unavailable", message);
    this.name = "PgUnavailableError";
  }
}
