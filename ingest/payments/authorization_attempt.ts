import {
  type AuthorizationAttempt,
  authorizationVoidedAnswer,
  type Db,
  type NewAuthorizationAttempt,
  openAuthorizationAttempt,
  reopenAuthorizationAttempt,
} from "@pay/lib/db";
import { DomainError } from "@pay/lib/domain";
import { asDependencyError } from "@pay/lib/resilience";

/** What presenting an attempt before the PG call allows. */
export type AttemptPresentation =
  /** Ask the PG (a new attempt, or a retry of one whose outcome is still open). */
  | { readonly kind: "proceed" }
  /** The janitor voided this key's hold: the key answers 409 `authorization_voided`. */
  | { readonly kind: "voided"; readonly httpStatus: number; readonly body: string };

/**
 * Records the attempt (DESIGN §10) before the PG is asked, so an outcome
 * that never reaches the database is resolved by the janitor. The database
 * unreachable here is a 503 and the PG is not called: nothing happened.
 *
 * A retry of the key finds the earlier attempt:
 * - still PENDING (its answer was lost): proceed; the PG replays its answer;
 * - closed without a hold (the PG never authorized it, or declined it):
 *   reopened to PENDING, then proceed as a fresh attempt;
 * - VOIDING or VOIDED (the janitor voided the orphan hold): the key's answer
 *   is 409 `authorization_voided`, for good — approving it now would hand the
 *   merchant a payment on a hold that no longer exists;
 * - AUTHORIZED or DECLINED (the payment exists, its idempotency record
 *   expired): proceed; the payment insert then meets the payment's unique
 *   key and the guard answers as for any reused key;
 * - a different request under the same key: 422 `idempotency_key_mismatch`.
 */
export async function presentAuthorizationAttempt(
  pool: Db,
  attempt: NewAuthorizationAttempt,
  now: Date,
): Promise<AttemptPresentation> {
  try {
    const opening = await openAuthorizationAttempt(pool, attempt);
    if (opening.kind === "new") return { kind: "proceed" };
    return await presentAgain(pool, attempt, opening.attempt, now);
  } catch (error) {
    throw asDependencyError("database", error);
  }
}

async function presentAgain(
  pool: Db,
  attempt: NewAuthorizationAttempt,
  earlier: AuthorizationAttempt,
  now: Date,
): Promise<AttemptPresentation> {
  if (earlier.fingerprint !== attempt.fingerprint) {
    throw new DomainError(
      "idempotency_key_mismatch",
      `This idempotency key was used with a different request: ${attempt.idempotencyKey}`,
    );
  }
  if (earlier.status === "VOIDING" || earlier.outcome === "VOIDED") {
    return { kind: "voided", ...authorizationVoidedAnswer(attempt.idempotencyKey) };
  }
  if (
    earlier.status === "PENDING" || earlier.outcome === "AUTHORIZED" ||
    earlier.outcome === "DECLINED"
  ) {
    return { kind: "proceed" };
  }
  if (await reopenAuthorizationAttempt(pool, earlier, now)) return { kind: "proceed" };
  throw new DomainError(
    "idempotency_key_in_use",
    `A request with this idempotency key is still being processed: ${attempt.idempotencyKey}`,
  );
}
