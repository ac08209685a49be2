import { PgUnavailableError, sortableId } from "../domain/mod.ts";
import type { PgClient } from "./port.ts";
import { processSimRequest, type SimRequest } from "./sim/engine.ts";
import { lookupSimAuthorization } from "./sim/lookup.ts";
import { createMemorySimDb } from "./sim/memory_db.ts";
import type { SimOperation } from "./sim/records.ts";
import { testCardBehaviour } from "./test_cards.ts";
import {
  amountWireBody,
  authorizationLookupOf,
  authorizeResultOf,
  authorizeWireBody,
  cancelWireBody,
  operationResultOf,
} from "./wire.ts";

/**
 * Records a fake PG keeps. Unit tests make a few hundred calls; the cap only
 * guards a test that loops by mistake.
 */
export const fakePgRecordsMax = 100_000;

export interface FakePgClientOptions {
  /** Declines every approving card with card_declined (pgsim's declineRate at 1). */
  readonly declineAll?: boolean;
  /** Clock of the recorded operations; defaults to Date.now. */
  readonly nowMs?: () => number;
  /**
   * What a `tok_timeout` authorization leaves behind. `none` (default): nothing,
   * as pgsim does when the caller hangs up first. `approved`: the PG approved it
   * but the answer never arrived (a PG that finished the call after the caller
   * gave up): an orphan hold, with the same id a retry with the key replays.
   */
  readonly timeoutOutcome?: "none" | "approved";
}

/** A PgClient for unit tests, with pgsim's semantics and no network. */
export interface FakePgClient extends PgClient {
  /** While false every call throws PgUnavailableError and nothing is recorded. */
  setAvailable(available: boolean): void;
  /** What the fake PG did, oldest first (authorizations, captures, refunds, cancels). */
  operations(): SimOperation[];
  /** How many calls reached the fake, including unavailable ones. */
  readonly callCount: number;
}

/**
 * The same rules, test cards, idempotency and answer mapping as pgsim plus
 * the HTTP client, in memory. `tok_timeout` and `tok_fail` throw
 * PgUnavailableError at once (as the HTTP client does after its timeout or a
 * 503); nothing is recorded unless `timeoutOutcome` is `approved`.
 */
export function createFakePgClient(options: FakePgClientOptions = {}): FakePgClient {
  const db = createMemorySimDb(fakePgRecordsMax);
  const nowMs = options.nowMs ?? Date.now;
  let available = true;
  let callCount = 0;

  function answer(request: SimRequest): { status: number; body: string } {
    callCount++;
    if (!available) throw new PgUnavailableError("Fake PG is unavailable");
    return processSimRequest(db, request, {
      nowMs: nowMs(),
      newId: (prefix) => prefix + sortableId(nowMs()),
      randomDecline: () => options.declineAll === true,
    });
  }

  return {
    authorize(request) {
      return Promise.resolve().then(() => {
        const { idempotencyKey } = request;
        const sim: SimRequest = {
          type: "authorize",
          idempotencyKey,
          body: authorizeWireBody(request),
        };
        if (testCardBehaviour(request.paymentMethod) === "timeout") {
          if (options.timeoutOutcome === "approved") answer(sim);
          else callCount++;
          throw new PgUnavailableError("Fake PG timed out (tok_timeout)");
        }
        const a = answer(sim);
        return authorizeResultOf(a.status, a.body);
      });
    },
    capture(request) {
      return Promise.resolve().then(() => {
        const { idempotencyKey, authorizationId } = request;
        const body = amountWireBody(request);
        const a = answer({ type: "capture", idempotencyKey, authorizationId, body });
        return operationResultOf(a.status, a.body, "capture");
      });
    },
    refund(request) {
      return Promise.resolve().then(() => {
        const { idempotencyKey, authorizationId } = request;
        const body = amountWireBody(request);
        const a = answer({ type: "refund", idempotencyKey, authorizationId, body });
        return operationResultOf(a.status, a.body, "refund");
      });
    },
    cancel(request) {
      return Promise.resolve().then(() => {
        const { idempotencyKey, authorizationId } = request;
        const body = cancelWireBody(request);
        const a = answer({ type: "cancel", idempotencyKey, authorizationId, body });
        return operationResultOf(a.status, a.body, "cancel");
      });
    },
    lookupAuthorization(idempotencyKey) {
      return Promise.resolve().then(() => {
        callCount++;
        if (!available) throw new PgUnavailableError("Fake PG is unavailable");
        const a = lookupSimAuthorization(db, idempotencyKey);
        return authorizationLookupOf(a.status, a.body);
      });
    },
    setAvailable(value) {
      available = value;
    },
    operations: () => db.listOperations({ limit: fakePgRecordsMax }),
    get callCount() {
      return callCount;
    },
  };
}
