import {
  type Db,
  type Decision,
  insertRefundRequestStatement,
  insertSettlementRequestStatement,
  type KeyClaim,
  type LockedPayment,
  type PaymentOwner,
  type PaymentRecord,
  planTransition,
  type RefundRecord,
  runLockedCommand,
} from "@pay/lib/db";
import {
  DomainError,
  InvalidStateError,
  newCaptureRequestId,
  newRefundRequestId,
  type PaymentAction,
  type PaymentStatus,
  sourcesOf,
} from "@pay/lib/domain";
import type { CommandOutcome, RecordStatement } from "../idempotency/guard.ts";
import { paymentJson } from "./payment_json.ts";

export interface CommandDeps {
  readonly pool: Db;
  readonly now: () => Date;
  readonly onTransition: (from: PaymentStatus, to: PaymentStatus) => void;
}

export interface PaymentCommand {
  /** The merchant and mode of the key: a payment of another merchant or mode is not found. */
  readonly owner: PaymentOwner;
  readonly paymentId: string;
}

/**
 * The idempotency record of a keyed command: claimed first in its
 * transaction, completed with its answer in the same commit, so the record
 * decides a concurrent repeat (it waits, then replays) whether or not Redis
 * is up.
 */
export interface CommandKey extends KeyClaim {
  readonly complete: RecordStatement;
}

function requireState(payment: PaymentRecord, action: PaymentAction, verb: string): void {
  if (!sourcesOf(action).includes(payment.status)) {
    throw new InvalidStateError(
      `Cannot ${verb} a payment in state ${payment.status}: ${payment.id}`,
      payment.id,
    );
  }
}

/** What a command answers: the payment as it is after the command, and the refund it made. */
interface CommandAnswer {
  readonly payment: PaymentRecord;
  readonly refunds: readonly RefundRecord[];
  readonly refundId?: string;
}

/** The locked payment as it is after `to`, for the response body. */
function after(locked: LockedPayment, to: PaymentStatus, at: Date): CommandAnswer {
  return { payment: { ...locked.payment, status: to, updatedAt: at }, refunds: locked.refunds };
}

function answerBody(answer: CommandAnswer): string {
  const payment = paymentJson(answer.payment, answer.refunds);
  return JSON.stringify(answer.refundId ? { ...payment, refundId: answer.refundId } : payment);
}

async function run(
  deps: CommandDeps,
  command: PaymentCommand,
  httpStatus: number,
  decide: (locked: LockedPayment, at: Date) => Decision<CommandAnswer>,
  key: CommandKey | undefined,
): Promise<CommandOutcome> {
  const at = deps.now();
  let outcome: CommandOutcome | undefined;
  const { decision } = await runLockedCommand(
    deps.pool,
    command.owner,
    command.paymentId,
    (locked) => {
      const d = decide(locked, at);
      outcome = { httpStatus, body: answerBody(d.result), paymentId: locked.payment.id };
      return { ...d, extra: key ? [...d.extra, key.complete(outcome)] : d.extra };
    },
    key,
  );
  deps.onTransition(decision.transition.from, decision.transition.to);
  return outcome!;
}

/**
 * AUTHORIZED → CAPTURE_REQUESTED, with a PENDING settlement_request the
 * settlement worker completes at the PG. Partial capture: amount ≤ authorized.
 */
export function capture(
  deps: CommandDeps,
  command: PaymentCommand & { amount?: number },
  key?: CommandKey,
): Promise<CommandOutcome> {
  return run(deps, command, 202, (locked, at) => {
    const { payment } = locked;
    requireState(payment, "capture", "capture");
    if (payment.authExpiresAt && payment.authExpiresAt <= at) {
      throw new InvalidStateError(`The authorization has expired: ${payment.id}`, payment.id);
    }
    const amount = command.amount ?? payment.amount;
    if (amount > payment.amount) {
      throw new DomainError(
        "amount_exceeds_authorized",
        `Capture amount exceeds the authorized amount ${payment.amount}: ${amount}`,
        { param: "amount", paymentId: payment.id },
      );
    }
    const requestId = newCaptureRequestId();
    const transition = planTransition({ payment, action: "capture", amount, requestId, at });
    return {
      transition,
      extra: [insertSettlementRequestStatement({
        id: requestId,
        paymentId: payment.id,
        merchantId: payment.merchantId,
        amount,
        currency: payment.currency,
        at,
      })],
      result: after(locked, transition.to, at),
    };
  }, key);
}

/**
 * CAPTURED or PARTIALLY_REFUNDED → REFUND_REQUESTED, with a PENDING
 * refund_request: the refund, whose id the answer carries as `refundId`.
 * One refund is in flight at a time; the amount may not exceed what is
 * captured and not yet refunded.
 */
export function refund(
  deps: CommandDeps,
  command: PaymentCommand & { amount?: number; reason?: string },
  key?: CommandKey,
): Promise<CommandOutcome> {
  return run(deps, command, 202, (locked, at) => {
    const { payment } = locked;
    requireState(payment, "refund", "refund");
    const refundable = payment.capturedAmount - payment.refundedAmount;
    const amount = command.amount ?? refundable;
    if (amount > refundable) {
      throw new DomainError(
        "amount_exceeds_refundable",
        `Refund amount exceeds the refundable amount ${refundable}: ${amount}`,
        { param: "amount", paymentId: payment.id },
      );
    }
    const requestId = newRefundRequestId();
    const transition = planTransition({
      payment,
      action: "refund",
      amount,
      requestId,
      reason: command.reason,
      data: { reason: command.reason ?? null },
      at,
    });
    const requested: RefundRecord = {
      id: requestId,
      paymentId: payment.id,
      amount,
      currency: payment.currency,
      reason: command.reason ?? null,
      status: "PENDING",
      failureCode: null,
      createdAt: at,
      completedAt: null,
    };
    const answer = after(locked, transition.to, at);
    return {
      transition,
      extra: [insertRefundRequestStatement({ ...requested, merchantId: payment.merchantId, at })],
      result: { ...answer, refunds: [...answer.refunds, requested], refundId: requestId },
    };
  }, key);
}

/**
 * AUTHORIZED → CANCELLED (a void). The `payment.cancelled` event lets the
 * settlement worker release the authorization at the PG asynchronously, so a
 * PG outage never blocks a merchant from cancelling.
 */
export function cancel(
  deps: CommandDeps,
  command: PaymentCommand & { reason?: string },
  key?: CommandKey,
): Promise<CommandOutcome> {
  return run(deps, command, 200, (locked, at) => {
    const { payment } = locked;
    requireState(payment, "cancel", "cancel");
    const transition = planTransition({
      payment,
      action: "cancel",
      amount: payment.amount,
      reason: command.reason,
      at,
    });
    return { transition, extra: [], result: after(locked, transition.to, at) };
  }, key);
}
