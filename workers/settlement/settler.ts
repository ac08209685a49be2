import type { SettlementConfig } from "@pay/lib/config";
import {
  type ClaimedPgRequest,
  claimPgRequest,
  type Db,
  type PgRequestKind,
  schedulePgRequestRetry,
} from "@pay/lib/db";
import type { BusMessage, DeliveredMessage } from "@pay/lib/bus";
import { countPaymentTransition, type Registry } from "@pay/lib/metrics";
import type { PgClient, PgOperationResult } from "@pay/lib/pg";
import { backoffDelayMs } from "@pay/lib/resilience";
import { publishFailureRecord } from "./dead_letters.ts";
import type { WorkerLog } from "./log.ts";
import { type SettlementMetrics, settlementMetrics } from "./metrics.ts";
import { type Completion, recordFailure, recordSuccess } from "./outcomes.ts";
import type { PgCallResult, PgOperation, SettlementPg } from "./pg_calls.ts";

export interface SettlerDeps {
  readonly pool: Db;
  readonly pg: SettlementPg;
  /** Publishes to the bus (DLQ records of failed captures and refunds). */
  readonly publish: (messages: readonly BusMessage[]) => Promise<void>;
  readonly config: SettlementConfig;
  readonly registry: Registry;
  readonly log: WorkerLog;
  readonly now?: () => Date;
  /** Jitter source of the retry backoff. */
  readonly random?: () => number;
}

/** What one settle step did with a request. */
export type SettleResult =
  | "succeeded"
  | "failed"
  | "retry_scheduled"
  /** Completed meanwhile by another worker: nothing written. */
  | "already_completed";

export type ClaimResult = SettleResult | "leased" | "missing";

/** Error codes of failures the PG did not give. */
export const localErrorCodes = {
  /** The PG could not answer within SETTLEMENT_ATTEMPTS_MAX calls. */
  pgUnavailable: "pg_unavailable",
  /** The payment has no PG authorization to capture, refund or void. */
  authorizationMissing: "authorization_missing",
} as const;

/** The PG operation each request kind calls. */
const operationOf: Readonly<Record<PgRequestKind, PgOperation>> = {
  capture: "capture",
  refund: "refund",
  void: "cancel",
};

interface Failure {
  readonly errorType: string;
  readonly errorCode: string;
  readonly error: string;
}

/** Claims requests and settles them at the PG: the shared core of the consumer and the retry scheduler. */
export interface Settler {
  /** Claims the request a bus message asks for and, when claimed, settles it. */
  claimAndSettle(
    kind: PgRequestKind,
    requestId: string,
    message: DeliveredMessage,
  ): Promise<ClaimResult>;
  /** Settles a request this worker holds the lease of (one PG call). */
  settle(request: ClaimedPgRequest, message?: DeliveredMessage): Promise<SettleResult>;
  readonly metrics: SettlementMetrics;
}

export function createSettler(deps: SettlerDeps): Settler {
  const now = deps.now ?? (() => new Date());
  const random = deps.random ?? Math.random;
  const metrics = settlementMetrics(deps.registry);

  function counted(
    request: ClaimedPgRequest,
    completion: Completion,
    status: "SUCCESS" | "FAILED",
    at: Date,
  ): void {
    const { transition } = completion;
    if (transition) countPaymentTransition(deps.registry, transition.from, transition.to);
    metrics.completed.inc({ kind: request.kind, status });
    metrics.completionDuration.observe(
      { kind: request.kind, status },
      (at.getTime() - request.createdAt.getTime()) / 1_000,
    );
  }

  async function succeed(request: ClaimedPgRequest, pgId: string): Promise<SettleResult> {
    const at = now();
    const completion = await recordSuccess(deps.pool, request, pgId, at);
    if (!completion) return "already_completed";
    counted(request, completion, "SUCCESS", at);
    return "succeeded";
  }

  /**
   * A final failure. Captures and refunds also go to payment.dlq (the
   * operator's alert); a void is only logged and counted: the payment is
   * CANCELLED either way and no money moved.
   */
  async function fail(
    request: ClaimedPgRequest,
    failure: Failure,
    message: DeliveredMessage | undefined,
  ): Promise<SettleResult> {
    const at = now();
    const completion = await recordFailure(deps.pool, request, failure, at);
    if (!completion) return "already_completed";
    counted(request, completion, "FAILED", at);
    deps.log("request_failed", { kind: request.kind, requestId: request.id, ...failure });
    if (request.kind !== "void") {
      await publishFailureRecord({ ...deps, metrics }, request, failure, message, at);
    }
    return "failed";
  }

  async function retryLater(
    request: ClaimedPgRequest,
    result: Extract<PgCallResult, { outcome: "unavailable" }>,
    message: DeliveredMessage | undefined,
  ): Promise<SettleResult> {
    if (request.attempts >= deps.config.attemptsMax) {
      return await fail(request, {
        errorType: "RetriesExhausted",
        errorCode: localErrorCodes.pgUnavailable,
        error:
          `PG unavailable after ${request.attempts} attempts: ${result.errorType}: ${result.error}`,
      }, message);
    }
    const at = now();
    const delayMs = backoffDelayMs(
      request.attempts - 1,
      deps.config.backoffBaseMs,
      deps.config.backoffCapMs,
      random,
    );
    await schedulePgRequestRetry(deps.pool, request.kind, request.id, {
      nextAttemptAt: new Date(at.getTime() + delayMs),
      error: `${result.errorType}: ${result.error}`,
      now: at,
    });
    metrics.retriesScheduled.inc({ kind: request.kind });
    return "retry_scheduled";
  }

  async function settle(
    request: ClaimedPgRequest,
    message?: DeliveredMessage,
  ): Promise<SettleResult> {
    const authorizationId = request.pgAuthorizationId;
    if (!authorizationId) {
      return await fail(request, {
        errorType: "AuthorizationMissing",
        errorCode: localErrorCodes.authorizationMissing,
        error: `Payment has no PG authorization: ${request.paymentId}`,
      }, message);
    }
    const result = await deps.pg.call(
      operationOf[request.kind],
      (pg) => send(pg, request, authorizationId),
    );
    switch (result.outcome) {
      case "succeeded":
        return await succeed(request, result.pgId);
      case "rejected":
        return await fail(request, {
          errorType: "PgRejected",
          errorCode: result.code,
          error: `PG rejected ${request.kind} ${request.id}: ${result.code}`,
        }, message);
      case "unavailable":
        return await retryLater(request, result, message);
    }
  }

  return {
    metrics,
    settle,
    async claimAndSettle(kind, requestId, message) {
      const claim = await claimPgRequest(deps.pool, kind, requestId, now(), deps.config.leaseMs);
      switch (claim.state) {
        case "claimed":
          return await settle(claim.request, message);
        case "completed":
          return "already_completed";
        case "leased":
        case "missing":
          return claim.state;
      }
    },
  };
}

/** The PG call of a request, with the request id as the PG idempotency key (a retry never repeats it). */
function send(
  pg: PgClient,
  request: ClaimedPgRequest,
  authorizationId: string,
): Promise<PgOperationResult> {
  const reference = request.paymentId;
  if (request.kind === "void") {
    return pg.cancel({ idempotencyKey: request.id, authorizationId, reference });
  }
  const call = {
    idempotencyKey: request.id,
    authorizationId,
    amount: request.amount,
    currency: request.currency,
    reference,
  };
  return request.kind === "capture" ? pg.capture(call) : pg.refund(call);
}
