/**
 * The simulated PG's answer to "what became of the authorization I asked for
 * with this idempotency key?": the janitor's question about an authorization
 * whose answer was lost (DESIGN §10). A read: nothing is written or remembered.
 */
import { pgProblem } from "../wire.ts";
import type { SimAnswer } from "./engine.ts";
import type { SimAuthorization, SimDb } from "./records.ts";
import { simIdPrefixes } from "./rules.ts";

/**
 * 200 with the authorization and its current status (APPROVED, DECLINED,
 * CAPTURED, CANCELLED), or 404 `authorization_not_found` when the key never
 * authorized anything (a call abandoned before the PG acted, a key used for
 * a capture, or a record forgotten past the cap).
 */
export function lookupSimAuthorization(db: SimDb, idempotencyKey: string): SimAnswer {
  const authorization = authorizationOfKey(db, idempotencyKey);
  if (authorization === undefined) {
    const problem = pgProblem(
      "authorization_not_found",
      `No authorization under this idempotency key: ${idempotencyKey}`,
    );
    return { status: problem.status, body: JSON.stringify(problem), replayed: false };
  }
  return {
    status: 200,
    body: JSON.stringify(simAuthorizationJson(authorization)),
    replayed: false,
  };
}

function authorizationOfKey(db: SimDb, idempotencyKey: string): SimAuthorization | undefined {
  const record = db.findIdempotencyRecord(idempotencyKey);
  if (record === undefined || (record.status !== 200 && record.status !== 402)) return undefined;
  const id = (JSON.parse(record.body) as { id?: unknown }).id;
  if (typeof id !== "string" || !id.startsWith(simIdPrefixes.authorization)) return undefined;
  return db.findAuthorization(id);
}

/** An authorization as the lookup answers it. */
export function simAuthorizationJson(a: SimAuthorization): Record<string, unknown> {
  return {
    id: a.id,
    status: a.status,
    ...(a.declineCode === undefined ? {} : { code: a.declineCode }),
    merchantId: a.merchantId,
    amount: a.amount,
    currency: a.currency,
    reference: a.reference,
    capturedAmount: a.capturedAmount,
    refundedAmount: a.refundedAmount,
    createdAt: new Date(a.createdAtMs).toISOString(),
  };
}
