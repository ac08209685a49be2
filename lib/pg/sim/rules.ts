/**
 * The simulated PG's business rules, as pure decisions: given what the PG
 * remembers and a request, the answer and the records to write. No I/O, no
 * idempotency (engine.ts), no faults (pgsim).
 */
import { testCardBehaviour } from "../test_cards.ts";
import {
  type AmountWireBody,
  type AuthorizeWireBody,
  type CancelWireBody,
  type PgDeclineCode,
  type PgErrorCode,
  pgProblem,
} from "../wire.ts";
import type { SimAuthorization, SimOperation } from "./records.ts";

export const simIdPrefixes = {
  authorization: "auth_",
  capture: "cap_",
  refund: "rfd_",
  cancel: "cnl_",
} as const;

export interface SimContext {
  readonly nowMs: number;
  /** A new unique id with this prefix. */
  newId(prefix: string): string;
  /** Asked once per fresh authorization of an approving card: true declines it (card_declined). */
  randomDecline(): boolean;
}

export interface SimDecision {
  readonly status: number;
  readonly body: unknown;
  readonly authorization?: SimAuthorization;
  readonly operation?: SimOperation;
}

export function decideAuthorize(
  idempotencyKey: string,
  input: AuthorizeWireBody,
  ctx: SimContext,
): SimDecision {
  const behaviour = testCardBehaviour(input.paymentMethod);
  if (behaviour === undefined) {
    return rejection(
      "validation_error",
      `Unknown payment method: ${input.paymentMethod}`,
      "paymentMethod",
    );
  }
  if (behaviour === "fail") {
    return rejection("service_unavailable", `Test card fails: ${input.paymentMethod}`);
  }
  const declineCode = declineCodeOf(behaviour, ctx);
  const status = declineCode === undefined ? "APPROVED" : "DECLINED";
  const code = declineCode === undefined ? {} : { code: declineCode };
  const id = ctx.newId(simIdPrefixes.authorization);
  const { merchantId, amount, currency, paymentMethod, reference } = input;
  return {
    status: declineCode === undefined ? 200 : 402,
    body: { id, status, ...code, amount, currency, reference },
    authorization: {
      id,
      merchantId,
      amount,
      currency,
      paymentMethod,
      reference,
      status,
      ...(declineCode === undefined ? {} : { declineCode }),
      capturedAmount: 0,
      refundedAmount: 0,
      createdAtMs: ctx.nowMs,
    },
    operation: {
      pgId: id,
      type: "authorize",
      status,
      idempotencyKey,
      authorizationId: id,
      reference,
      amount,
      currency,
      atMs: ctx.nowMs,
    },
  };
}

function declineCodeOf(
  behaviour: "approve" | "decline" | "insufficient_funds" | "timeout",
  ctx: SimContext,
): PgDeclineCode | undefined {
  switch (behaviour) {
    case "decline":
      return "card_declined";
    case "insufficient_funds":
      return "insufficient_funds";
    case "approve":
      return ctx.randomDecline() ? "card_declined" : undefined;
    case "timeout":
      return undefined;
  }
}

export function decideCapture(
  authorization: SimAuthorization | undefined,
  authorizationId: string,
  idempotencyKey: string,
  input: AmountWireBody,
  ctx: SimContext,
): SimDecision {
  if (authorization === undefined) return notFound(authorizationId);
  const refusal = captureRefusal(authorization, input);
  if (refusal !== undefined) return refusal;
  return succeeded(
    { ...authorization, status: "CAPTURED", capturedAmount: input.amount },
    operationOf("capture", simIdPrefixes.capture, idempotencyKey, authorization, input, ctx),
  );
}

function captureRefusal(a: SimAuthorization, input: AmountWireBody): SimDecision | undefined {
  switch (a.status) {
    case "DECLINED":
      return rejection("authorization_declined", `Authorization was declined: ${a.id}`);
    case "CANCELLED":
      return rejection("authorization_cancelled", `Authorization was cancelled: ${a.id}`);
    case "CAPTURED":
      return rejection("already_captured", `Authorization already captured: ${a.id}`);
    case "APPROVED":
      return currencyRefusal(a, input) ??
        (input.amount > a.amount
          ? rejection(
            "amount_exceeds_authorized",
            `Capture amount exceeds the authorized ${a.amount}: ${input.amount}`,
          )
          : undefined);
  }
}

export function decideRefund(
  authorization: SimAuthorization | undefined,
  authorizationId: string,
  idempotencyKey: string,
  input: AmountWireBody,
  ctx: SimContext,
): SimDecision {
  if (authorization === undefined) return notFound(authorizationId);
  const refusal = refundRefusal(authorization, input);
  if (refusal !== undefined) return refusal;
  const refundedAmount = authorization.refundedAmount + input.amount;
  return succeeded(
    { ...authorization, refundedAmount },
    operationOf("refund", simIdPrefixes.refund, idempotencyKey, authorization, input, ctx),
    { refundedAmount },
  );
}

function refundRefusal(a: SimAuthorization, input: AmountWireBody): SimDecision | undefined {
  switch (a.status) {
    case "DECLINED":
      return rejection("authorization_declined", `Authorization was declined: ${a.id}`);
    case "CANCELLED":
      return rejection("authorization_cancelled", `Authorization was cancelled: ${a.id}`);
    case "APPROVED":
      return rejection("not_captured", `Authorization is not captured: ${a.id}`);
    case "CAPTURED": {
      const refundable = a.capturedAmount - a.refundedAmount;
      return currencyRefusal(a, input) ??
        (input.amount > refundable
          ? rejection(
            "amount_exceeds_captured",
            `Refund amount exceeds the ${refundable} captured and not yet refunded: ${input.amount}`,
          )
          : undefined);
    }
  }
}

export function decideCancel(
  authorization: SimAuthorization | undefined,
  authorizationId: string,
  idempotencyKey: string,
  input: CancelWireBody,
  ctx: SimContext,
): SimDecision {
  if (authorization === undefined) return notFound(authorizationId);
  const a = authorization;
  switch (a.status) {
    case "DECLINED":
      return rejection("authorization_declined", `Authorization was declined: ${a.id}`);
    case "CANCELLED":
      return rejection("already_cancelled", `Authorization already cancelled: ${a.id}`);
    case "CAPTURED":
      return rejection("already_captured", `Authorization already captured: ${a.id}`);
    case "APPROVED": {
      const amounts = {
        amount: a.amount,
        currency: a.currency,
        reference: input.reference ?? a.reference,
      };
      return succeeded(
        { ...a, status: "CANCELLED" },
        operationOf("cancel", simIdPrefixes.cancel, idempotencyKey, a, amounts, ctx),
      );
    }
  }
}

function currencyRefusal(a: SimAuthorization, input: AmountWireBody): SimDecision | undefined {
  return input.currency === a.currency ? undefined : rejection(
    "currency_mismatch",
    `Currency differs from the authorization's ${a.currency}: ${input.currency}`,
  );
}

function operationOf(
  type: "capture" | "refund" | "cancel",
  prefix: string,
  idempotencyKey: string,
  authorization: SimAuthorization,
  input: AmountWireBody,
  ctx: SimContext,
): SimOperation {
  return {
    pgId: ctx.newId(prefix),
    type,
    status: "SUCCEEDED",
    idempotencyKey,
    authorizationId: authorization.id,
    reference: input.reference,
    amount: input.amount,
    currency: input.currency,
    atMs: ctx.nowMs,
  };
}

function succeeded(
  authorization: SimAuthorization,
  operation: SimOperation,
  extra: Record<string, unknown> = {},
): SimDecision {
  const { pgId, authorizationId, amount, currency, reference } = operation;
  return {
    status: 200,
    body: { id: pgId, status: "SUCCEEDED", authorizationId, amount, currency, reference, ...extra },
    authorization,
    operation,
  };
}

function notFound(authorizationId: string): SimDecision {
  return rejection("authorization_not_found", `Unknown authorization: ${authorizationId}`);
}

function rejection(code: PgErrorCode, detail: string, param?: string): SimDecision {
  const body = pgProblem(code, detail, param);
  return { status: body.status, body };
}
