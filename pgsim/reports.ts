import type {
  PgAuthorizationEntry,
  PgSettlementEntry,
  PgSettlementReport,
  SimDb,
  SimOperation,
} from "@pay/lib/pg";
import { settlementDatePattern } from "@pay/lib/pg";

const dayMs = 86_400_000;

/** An operation as /admin/operations and the settlement report show it. */
export function operationJson(operation: SimOperation): PgSettlementEntry & {
  readonly type: SimOperation["type"];
  readonly status: SimOperation["status"];
} {
  const { pgId, type, status, idempotencyKey, authorizationId, reference, amount, currency } =
    operation;
  return {
    pgId,
    type,
    status,
    idempotencyKey,
    authorizationId,
    reference,
    amount,
    currency,
    at: new Date(operation.atMs).toISOString(),
  };
}

/** Start of a `YYYY-MM-DD` UTC day in epoch ms, or undefined when it is not a real date. */
export function utcDayStartMs(date: string): number | undefined {
  if (!settlementDatePattern.test(date)) return undefined;
  const startMs = Date.parse(`${date}T00:00:00.000Z`);
  if (Number.isNaN(startMs) || new Date(startMs).toISOString().slice(0, 10) !== date) {
    return undefined;
  }
  return startMs;
}

/**
 * The captures and refunds done on one UTC day, and the authorizations
 * approved that day with their status now (a hold still APPROVED, CAPTURED,
 * or CANCELLED: voided). At most `recordsMax` of each exist, which bounds
 * the report.
 */
export function settlementReportOf(
  db: SimDb,
  date: string,
  dayStartMs: number,
  recordsMax: number,
): PgSettlementReport {
  const operations = db.listOperations({
    types: ["authorize", "capture", "refund"],
    fromMs: dayStartMs,
    toMs: dayStartMs + dayMs,
    limit: recordsMax,
  });
  const entry = (operation: SimOperation): PgSettlementEntry => {
    const { type: _type, status: _status, ...rest } = operationJson(operation);
    return rest;
  };
  return {
    date,
    captures: operations.filter((o) => o.type === "capture").map(entry),
    refunds: operations.filter((o) => o.type === "refund").map(entry),
    authorizations: operations
      .filter((o) => o.type === "authorize" && o.status === "APPROVED")
      .flatMap((o) => {
        const status = db.findAuthorization(o.authorizationId)?.status;
        if (status === undefined || status === "DECLINED") return [];
        return [{ ...entry(o), status } satisfies PgAuthorizationEntry];
      }),
  };
}
