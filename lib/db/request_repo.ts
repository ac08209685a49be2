import { sql, type Statement } from "./batch.ts";

/** A PG call to make (capture or refund), tracked from request to outcome (DESIGN §5). */
export interface PgRequestRecord {
  readonly id: string;
  readonly paymentId: string;
  readonly merchantId: string;
  readonly amount: number;
  readonly currency: string;
  readonly at: Date;
}

export function insertSettlementRequestStatement(r: PgRequestRecord): Statement {
  return sql(
    `INSERT INTO settlement_request (id, payment_id, merchant_id, amount, currency, status, attempts,
       next_attempt_at, created_at, updated_at)
     VALUES (?, ?, ?, ?, ?, 'PENDING', 0, ?, ?, ?)`,
    r.id,
    r.paymentId,
    r.merchantId,
    r.amount,
    r.currency,
    r.at,
    r.at,
    r.at,
  );
}

export function insertRefundRequestStatement(
  r: PgRequestRecord & { reason: string | null },
): Statement {
  return sql(
    `INSERT INTO refund_request (id, payment_id, merchant_id, amount, currency, reason, status,
       attempts, next_attempt_at, created_at, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, 'PENDING', 0, ?, ?, ?)`,
    r.id,
    r.paymentId,
    r.merchantId,
    r.amount,
    r.currency,
    r.reason,
    r.at,
    r.at,
    r.at,
  );
}
