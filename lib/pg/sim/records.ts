/**
 * What a simulated PG remembers, and the db port that keeps it. pgsim keeps
 * it in memory or in SQLite; the fake client in memory.
 */

export type SimAuthorizationStatus = "APPROVED" | "DECLINED" | "CAPTURED" | "CANCELLED";

export interface SimAuthorization {
  readonly id: string;
  readonly merchantId: string;
  readonly amount: number;
  readonly currency: string;
  readonly paymentMethod: string;
  readonly reference: string;
  readonly status: SimAuthorizationStatus;
  /** Set when status is DECLINED. */
  readonly declineCode?: string;
  readonly capturedAmount: number;
  readonly refundedAmount: number;
  readonly createdAtMs: number;
}

export type SimOperationType = "authorize" | "capture" | "refund" | "cancel";

export const simOperationTypes = Object.freeze(
  ["authorize", "capture", "refund", "cancel"] as const satisfies readonly SimOperationType[],
);

/** One thing the PG did: the list tests and reconciliation read. */
export interface SimOperation {
  /** The PG's id of what it created: `auth_…` (authorize), `cap_…`, `rfd_…`, `cnl_…`. */
  readonly pgId: string;
  readonly type: SimOperationType;
  readonly status: "APPROVED" | "DECLINED" | "SUCCEEDED";
  readonly idempotencyKey: string;
  readonly authorizationId: string;
  readonly reference: string;
  readonly amount: number;
  readonly currency: string;
  readonly atMs: number;
}

/** The first answer given to an idempotency key, replayed to every repeat. */
export interface SimIdempotencyRecord {
  readonly key: string;
  /** Digest of the operation, authorization id and canonical body. */
  readonly fingerprint: string;
  readonly status: number;
  /** The answer's JSON text, replayed byte for byte. */
  readonly body: string;
  readonly atMs: number;
}

/** Everything one request changes; a db writes it atomically. */
export interface SimChange {
  readonly idempotency: SimIdempotencyRecord;
  readonly authorization?: SimAuthorization;
  readonly operation?: SimOperation;
}

export interface SimOperationFilter {
  readonly reference?: string;
  readonly types?: readonly SimOperationType[];
  /** Inclusive lower bound of `atMs`. */
  readonly fromMs?: number;
  /** Exclusive upper bound of `atMs`. */
  readonly toMs?: number;
  /** At most this many, oldest first. */
  readonly limit: number;
}

/**
 * Storage of a simulated PG. Every method is synchronous, so one request's
 * read-decide-write runs without interleaving with another's.
 *
 * Each kind of record (authorizations, operations, idempotency records) is
 * capped at `recordsMax`; beyond it the oldest is forgotten first.
 */
export interface SimDb {
  findAuthorization(id: string): SimAuthorization | undefined;
  findIdempotencyRecord(key: string): SimIdempotencyRecord | undefined;
  write(change: SimChange): void;
  listOperations(filter: SimOperationFilter): SimOperation[];
  /** Forgets everything (tests only). */
  clear(): void;
  /** Throws when the db cannot serve (readiness). */
  check(): void;
  close(): void;
}
