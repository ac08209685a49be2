import { PgUnavailableError, sortableId } from "../domain/mod.ts";
import type { PgClient } from "./port.ts";
import { processSimRequest, type SimRequest } from "./sim/engine.ts";
import { createMemorySimDb } from "./sim/memory_db.ts";
import type { SimOperation } from "./sim/records.ts";
import { testCardBehaviour } from "./test_cards.ts";
import {
  amountWireBody,
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
 * 503), and nothing is recorded.
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
        if (testCardBehaviour(request.paymentMethod) === "timeout") {
          callCount++;
          throw new PgUnavailableError("Fake PG timed out (tok_timeout)");
        }
        const { idempotencyKey } = request;
        const a = answer({ type: "authorize", idempotencyKey, body: authorizeWireBody(request) });
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
    setAvailable(value) {
      available = value;
    },
    operations: () => db.listOperations({ limit: fakePgRecordsMax }),
    get callCount() {
      return callCount;
    },
  };
}
