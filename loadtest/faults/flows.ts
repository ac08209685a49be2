/**
 * The payment flows the suite drives, keyed and retried like a careful
 * merchant: authorize → capture → (once CAPTURED) partial refund;
 * authorize → cancel; authorize and abandon (left to expire). Every
 * acknowledged operation is recorded for the checks.
 */
import type { LoadHttpClient } from "../http/client.ts";
import type { CompletionTracker } from "../scenario/completion_tracker.ts";
import type { AnswerTally, OpKind } from "./answers.ts";
import { type PostOutcome, postWithRetries } from "./keyed_post.ts";
import type { FaultMerchant } from "./platform.ts";

/** An operation the platform acknowledged (201/202/200): it must reach its final state. */
export interface AckedOp {
  readonly kind: OpKind;
  readonly merchantId: string;
  readonly key: string;
  readonly paymentId: string;
  readonly amount: number;
  /** Wall-clock ms just before the first attempt. */
  readonly sentAtMs: number;
  readonly ackAtMs: number;
}

/** The status that acknowledges each operation. */
export const ackStatusOf: Readonly<Record<OpKind, number>> = {
  authorize: 201,
  capture: 202,
  refund: 202,
  cancel: 200,
};

export type FlowKind = "capture-refund" | "cancel" | "abandon";

/** Six in ten flows capture and refund, three cancel, one is abandoned to expire. */
export function flowKindOf(n: number): FlowKind {
  const slot = n % 10;
  if (slot < 6) return "capture-refund";
  return slot < 9 ? "cancel" : "abandon";
}

/** 1,000 to 50,000 KRW in steps of 1,000, spread over the flows. */
export function amountOf(n: number): number {
  return ((n * 7) % 50 + 1) * 1_000;
}

/** How each operation ended that was not acknowledged: refused (by code) or unresolved. */
export interface NotAcknowledged {
  readonly op: OpKind;
  readonly key: string;
  readonly outcome: string;
}

export interface FlowContext {
  readonly client: LoadHttpClient;
  readonly tally: AnswerTally;
  readonly merchant: FaultMerchant;
  readonly tracker: CompletionTracker;
  /** Unique to the scenario run: idempotency keys never repeat across runs. */
  readonly keyPrefix: string;
  readonly acked: AckedOp[];
  readonly notAcked: NotAcknowledged[];
  /** Payments authorized and left alone: the expiry pass must expire and void them. */
  readonly abandoned: string[];
}

export async function runFlow(ctx: FlowContext, n: number): Promise<void> {
  const kind = flowKindOf(n);
  const amount = amountOf(n);
  const key = `${ctx.keyPrefix}-${n}`;
  const authorized = await operation(ctx, "authorize", key, "/api/payments/authorize", {
    amount,
    currency: "KRW",
  });
  if (!authorized) return;
  const { paymentId } = authorized;
  if (kind === "abandon") {
    ctx.abandoned.push(paymentId);
    return;
  }
  if (kind === "cancel") {
    await operation(ctx, "cancel", `${key}-x`, `/api/payments/cancel/${paymentId}`, {});
    return;
  }
  const captured = await operation(
    ctx,
    "capture",
    `${key}-c`,
    `/api/payments/capture/${paymentId}`,
    {},
  );
  if (!captured) return;
  const settled = await ctx.tracker.wait(paymentId, "capture", captured.sentAtMs);
  if (settled.kind !== "done" || settled.status !== "CAPTURED") return;
  await operation(ctx, "refund", `${key}-r`, `/api/payments/refund/${paymentId}`, {
    amount: Math.floor(amount / 4),
  });
}

async function operation(
  ctx: FlowContext,
  op: OpKind,
  key: string,
  path: string,
  body: Record<string, unknown>,
): Promise<AckedOp | undefined> {
  const outcome = await postWithRetries(ctx.client, ctx.tally, {
    op,
    merchant: ctx.merchant,
    path,
    body,
    key,
  });
  const acked = acknowledged(ctx.merchant, op, key, body, outcome);
  if (acked) ctx.acked.push(acked);
  else ctx.notAcked.push({ op, key, outcome: describe(outcome) });
  return acked;
}

function acknowledged(
  merchant: FaultMerchant,
  op: OpKind,
  key: string,
  body: Record<string, unknown>,
  outcome: PostOutcome,
): AckedOp | undefined {
  if (outcome.kind !== "answered" || outcome.status !== ackStatusOf[op]) return undefined;
  const paymentId = outcome.body?.paymentId;
  if (typeof paymentId !== "string") {
    throw new Error(`${op} ${key} answered ${outcome.status} without a paymentId`);
  }
  const amount = typeof body.amount === "number" ? body.amount : Number(outcome.body.amount);
  return {
    kind: op,
    merchantId: merchant.merchantId,
    key,
    paymentId,
    amount,
    sentAtMs: outcome.firstSentAtMs,
    ackAtMs: outcome.answeredAtMs,
  };
}

function describe(outcome: PostOutcome): string {
  if (outcome.kind === "unresolved") {
    const last = outcome.last.status === 0 ? outcome.last.code : `${outcome.last.status}`;
    return `unresolved after ${outcome.attempts} attempts (last: ${last})`;
  }
  return `refused ${outcome.status} ${outcome.body?.code ?? ""}`.trim();
}
