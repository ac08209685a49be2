/**
 * What a shopper can do to a placed order: capture (when the checkout could
 * not), cancel (void an authorization), refund all or part. Each is one
 * gateway call with its own idempotency key, so a double click acts once.
 */
import { captureKeyOf } from "../checkout/checkout.ts";
import type { GatewayClient, GatewayFailure } from "../gateway/client.ts";
import { message, type StoreMessage } from "../i18n/i18n.ts";
import type { Order } from "../state/port.ts";
import type { NoticeKind } from "./status_view.ts";

export type OrderIntent = "capture" | "cancel" | "refund";

export function isOrderIntent(value: unknown): value is OrderIntent {
  return value === "capture" || value === "cancel" || value === "refund";
}

export interface RefundInput {
  readonly amount: number;
  readonly reason?: string;
  /** Fresh per confirmation shown (carried in its form). */
  readonly formKey: string;
}

export type ActionOutcome =
  | { readonly ok: true; readonly notice: NoticeKind }
  | {
    readonly ok: false;
    readonly status: number;
    readonly message: StoreMessage;
    readonly retryAfterSeconds?: number;
  };

const noticeOf: Readonly<Record<OrderIntent, NoticeKind>> = {
  capture: "capture-requested",
  cancel: "cancelled",
  refund: "refund-requested",
};

export async function performOrderAction(
  gateway: GatewayClient,
  order: Order,
  intent: OrderIntent,
  refund?: RefundInput,
): Promise<ActionOutcome> {
  const result = intent === "capture"
    ? await gateway.capture(order.paymentId, captureKeyOf(order.attemptKey))
    : intent === "cancel"
    ? await gateway.cancel(order.paymentId, `${order.orderId}:cancel`)
    : await gateway.refund(order.paymentId, `${order.orderId}:refund:${refund!.formKey}`, {
      amount: refund!.amount,
      ...(refund!.reason ? { reason: refund!.reason } : {}),
    });
  if (result.ok) return { ok: true, notice: noticeOf[intent] };
  return { ok: false, ...describeActionFailure(intent, result.failure) };
}

export function describeActionFailure(
  intent: OrderIntent,
  failure: GatewayFailure,
): { status: number; message: StoreMessage; retryAfterSeconds?: number } {
  switch (failure.code) {
    case "invalid_state":
      return { status: 409, message: message("action.invalidState", { intent }) };
    case "amount_exceeds_refundable":
      return { status: 400, message: message("action.tooMuch") };
    case "validation_error":
      return {
        status: 400,
        message: message("action.invalid", { detail: failure.detail.slice(0, 200) }),
      };
    case "idempotency_key_mismatch":
      return { status: 409, message: message("action.mismatch") };
    case "rate_limited":
      return {
        status: 429,
        message: message("action.rateLimited", { seconds: failure.retryAfterSeconds ?? 60 }),
        ...(failure.retryAfterSeconds === undefined
          ? {}
          : { retryAfterSeconds: failure.retryAfterSeconds }),
      };
    case "pg_unavailable":
      return { status: 503, message: message("action.network") };
    default:
      return {
        status: failure.status >= 400 ? 502 : 503,
        message: message(failure.outcomeUnknown ? "action.unknown" : "action.refused"),
      };
  }
}
