import { z } from "zod";
import { PgUnavailableError } from "../domain/mod.ts";
import { PgProtocolError } from "./errors.ts";
import { pgPaths } from "./wire.ts";

const settlementEntrySchema = z.object({
  pgId: z.string(),
  idempotencyKey: z.string(),
  authorizationId: z.string(),
  reference: z.string(),
  amount: z.number().int(),
  currency: z.string(),
  /** ISO 8601 UTC instant. */
  at: z.string(),
});

/** An authorization the PG approved that day, with what became of it since. */
const authorizationEntrySchema = settlementEntrySchema.extend({
  status: z.enum(["APPROVED", "CAPTURED", "CANCELLED"]),
});

const settlementReportSchema = z.object({
  date: z.string(),
  captures: z.array(settlementEntrySchema),
  refunds: z.array(settlementEntrySchema),
  /**
   * Approved authorizations of the day (holds). Optional so a PG that does
   * not report them still reconciles captures and refunds; pgsim always does.
   */
  authorizations: z.array(authorizationEntrySchema).optional(),
});

/** One capture or refund the PG settled. */
export type PgSettlementEntry = z.infer<typeof settlementEntrySchema>;

/**
 * One approved authorization: `pgId` and `authorizationId` are its id,
 * `idempotencyKey` the key it was asked with; `status` is its state now
 * (APPROVED: a live hold, CAPTURED, CANCELLED: voided).
 */
export type PgAuthorizationEntry = z.infer<typeof authorizationEntrySchema>;

/** The PG's captures, refunds and approved authorizations of one UTC day: what reconciliation compares with ours. */
export type PgSettlementReport = z.infer<typeof settlementReportSchema>;

/** A UTC calendar date, `YYYY-MM-DD`. */
export const settlementDatePattern = /^\d{4}-\d{2}-\d{2}$/;

/**
 * Fetches the settlement report of `date` (UTC, `YYYY-MM-DD`). Throws
 * PgUnavailableError when the PG cannot answer, PgProtocolError when the
 * answer is not a report.
 */
export async function fetchPgSettlementReport(
  options: { readonly baseUrl: string; readonly timeoutMs: number },
  date: string,
): Promise<PgSettlementReport> {
  const url = new URL(options.baseUrl.replace(/\/$/, "") + pgPaths.settlements);
  url.searchParams.set("date", date);
  let response: Response;
  try {
    response = await fetch(url, { signal: AbortSignal.timeout(options.timeoutMs) });
  } catch (error) {
    throw new PgUnavailableError(`PG settlement report failed: ${error}`);
  }
  const text = await response.text().catch((error) => {
    throw new PgUnavailableError(`PG settlement report failed: ${error}`);
  });
  if (response.status >= 500 || response.status === 429) {
    throw new PgUnavailableError(`PG answered ${response.status} to settlements`);
  }
  const parsed = response.status === 200
    ? settlementReportSchema.safeParse(safeJson(text))
    : undefined;
  if (parsed === undefined || !parsed.success) {
    throw new PgProtocolError(
      `PG answered ${response.status} to settlements: ${text.slice(0, 200)}`,
      response.status,
      undefined,
    );
  }
  return parsed.data;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
