import { createHash } from "node:crypto";
import {
  insertOutboxEventStatement,
  insertPaymentEventStatement,
  insertPaymentStatement,
  type PaymentRecord,
  resolveAuthorizationAttemptStatement,
  runTransactionBatch,
  type Statement,
} from "@pay/lib/db";
import {
  type Currency,
  eventTypeOf,
  type MerchantId,
  newEventId,
  newPaymentId,
  type PaymentMetadata,
  type PaymentMode,
  PgUnavailableError,
  topics,
} from "@pay/lib/domain";
import { problem } from "@pay/lib/http";
import type { PgAuthorizeResult } from "@pay/lib/pg";
import { asDependencyError } from "@pay/lib/resilience";
import type { CommandOutcome, RecordStatement } from "../idempotency/guard.ts";
import { presentAuthorizationAttempt } from "./authorization_attempt.ts";
import { paymentJson } from "./payment_json.ts";
import { defaultPaymentMethod } from "./schemas.ts";

export interface AuthorizeInput {
  readonly merchantId: string;
  /** The mode of the merchant's key: the payment's. */
  readonly mode: PaymentMode;
  readonly idempotencyKey: string;
  readonly amount: number;
  readonly currency: Currency;
  readonly orderId?: string;
  readonly description?: string;
  readonly paymentMethod?: string;
  readonly metadata?: PaymentMetadata;
  /** The request's idempotency fingerprint and path: the janitor binds the key to its answer with them. */
  readonly fingerprint: string;
  readonly requestPath: string;
}

export interface AuthorizeDeps {
  readonly pool: import("@pay/lib/db").Db;
  readonly authorizeAtPg: (
    request: import("@pay/lib/pg").PgAuthorizeRequest,
  ) => Promise<PgAuthorizeResult>;
  readonly now: () => Date;
  readonly authExpiryMs: number;
  readonly onCreated: (payment: PaymentRecord) => void;
}

/**
 * The PG idempotency key of an authorization: the same (merchant, key)
 * always maps to the same value, so two racing requests with one key get one
 * authorization at the PG too.
 */
export function pgAuthorizeKey(merchantId: string, idempotencyKey: string): string {
  return "az_" +
    createHash("sha256").update(`${merchantId}\n${idempotencyKey}`).digest("hex").slice(0, 40);
}

/**
 * Records the attempt (one statement), authorizes at the PG, then writes
 * the attempt's resolution, payment, history, outbox event and idempotency
 * record in ONE transaction (one round trip). Database down before the PG
 * call: 503, the PG is not asked. PG unreachable: PgUnavailableError, no
 * payment stored. Declined: the payment is stored AUTH_FAILED (with a
 * `payment.declined` event) and the 402 is
 * the idempotent answer. Database down after the PG answered: 503; the
 * attempt stays PENDING and the authorization janitor voids the hold
 * (workers/schedulers/authorization_janitor.ts).
 */
export async function authorize(
  deps: AuthorizeDeps,
  input: AuthorizeInput,
  record: RecordStatement,
): Promise<CommandOutcome> {
  const pgKey = pgAuthorizeKey(input.merchantId, input.idempotencyKey);
  const paymentMethod = input.paymentMethod ?? defaultPaymentMethod;
  const presented = await presentAuthorizationAttempt(deps.pool, {
    pgKey,
    merchantId: input.merchantId,
    idempotencyKey: input.idempotencyKey,
    amount: input.amount,
    currency: input.currency,
    paymentMethod,
    fingerprint: input.fingerprint,
    requestPath: input.requestPath,
    createdAt: deps.now(),
  }, deps.now());
  if (presented.kind === "voided") return await bindVoidedAnswer(deps, presented, record);
  const result = await deps.authorizeAtPg({
    idempotencyKey: pgKey,
    merchantId: input.merchantId,
    amount: input.amount,
    currency: input.currency,
    paymentMethod,
    // Not the payment id: that is minted only after the PG answers, and a
    // retry (after a crash, or racing without Redis) must present the very
    // same request to get the same authorization back.
    reference: pgKey,
  });
  const paymentId = newPaymentId();
  const now = deps.now();
  const approved = result.outcome === "approved";
  const payment: PaymentRecord = {
    id: paymentId,
    merchantId: input.merchantId as MerchantId,
    idempotencyKey: input.idempotencyKey,
    status: approved ? "AUTHORIZED" : "AUTH_FAILED",
    amount: input.amount,
    currency: input.currency,
    capturedAmount: 0,
    refundedAmount: 0,
    orderId: input.orderId ?? null,
    description: input.description ?? null,
    pgAuthorizationId: result.authorizationId,
    declineCode: result.outcome === "declined" ? result.declineCode : null,
    authExpiresAt: approved ? new Date(now.getTime() + deps.authExpiryMs) : null,
    createdAt: now,
    updatedAt: now,
    mode: input.mode,
    metadata: input.metadata ?? {},
  };
  const outcome = approved ? approvedOutcome(payment) : declinedOutcome(payment);
  const statements: Statement[] = [
    // First: it takes the attempt's row lock before the payment rows, as the janitor does.
    resolveAuthorizationAttemptStatement({
      pgKey,
      outcome: approved ? "AUTHORIZED" : "DECLINED",
      pgAuthorizationId: result.authorizationId,
      at: now,
    }),
    insertPaymentStatement(payment),
    insertPaymentEventStatement({
      paymentId,
      from: null,
      to: payment.status,
      amount: payment.amount,
      requestId: null,
      reason: payment.declineCode,
      at: now,
    }),
  ];
  statements.push(outcomeEvent(payment));
  statements.push(record(outcome));
  try {
    await runTransactionBatch(deps.pool, statements);
  } catch (error) {
    throw asDependencyError("database", error);
  }
  deps.onCreated(payment);
  return outcome;
}

/**
 * The key's hold was voided: its answer is the 409, stored like any answer.
 * The janitor stored it already unless it expired, so the insert usually
 * meets a duplicate key and the guard replays the stored one.
 */
async function bindVoidedAnswer(
  deps: AuthorizeDeps,
  voided: { readonly httpStatus: number; readonly body: string },
  record: RecordStatement,
): Promise<CommandOutcome> {
  const outcome = { httpStatus: voided.httpStatus, body: voided.body, paymentId: null };
  try {
    await runTransactionBatch(deps.pool, [record(outcome)]);
  } catch (error) {
    throw asDependencyError("database", error);
  }
  return outcome;
}

function approvedOutcome(payment: PaymentRecord): CommandOutcome {
  return { httpStatus: 201, body: JSON.stringify(paymentJson(payment, [])), paymentId: payment.id };
}

function declinedOutcome(payment: PaymentRecord): CommandOutcome {
  const body = problem("card_declined", `The card was declined: ${payment.declineCode}`, {
    paymentId: payment.id,
  });
  return {
    httpStatus: 402,
    body: JSON.stringify({
      ...body,
      declineCode: payment.declineCode,
      payment: paymentJson(payment, []),
    }),
    paymentId: payment.id,
  };
}

/**
 * `payment.authorized`, or `payment.declined` for a stored decline (merchant
 * webhooks announce both; no consumer of the platform moves money on a decline).
 */
function outcomeEvent(payment: PaymentRecord): Statement {
  const topic = payment.status === "AUTHORIZED" ? topics.authorized : topics.declined;
  return insertOutboxEventStatement(topic, {
    eventId: newEventId(),
    type: eventTypeOf(topic),
    paymentId: payment.id,
    merchantId: payment.merchantId,
    amount: payment.amount,
    currency: payment.currency,
    occurredAt: payment.createdAt.toISOString(),
    data: {
      from: null,
      to: payment.status,
      pgAuthorizationId: payment.pgAuthorizationId,
      orderId: payment.orderId,
      ...(payment.declineCode ? { declineCode: payment.declineCode } : {}),
    },
  });
}

/** Maps breaker rejections and timeouts to PgUnavailableError; answers pass through. */
export function asPgUnavailable(error: unknown): unknown {
  if (error instanceof PgUnavailableError) return error;
  const code = (error as { code?: string })?.code;
  if (code === "EOPENBREAKER") return new PgUnavailableError("The PG circuit breaker is open");
  if (code === "ETIMEDOUT") return new PgUnavailableError("The PG did not answer in time");
  return error;
}
