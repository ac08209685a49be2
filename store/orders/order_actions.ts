/**
 * What a shopper can do to a placed order: capture (when the checkout could
 * not), cancel (void an authorization), refund all or part. Each is one
 * gateway call with its own idempotency key, so a double click acts once.
 */
import { captureKeyOf } from "../checkout/checkout.ts";
import type { GatewayClient, GatewayFailure } from "../gateway/client.ts";
import type { Order } from "../state/port.ts";

export type OrderIntent = "capture" | "cancel" | "refund";

export function isOrderIntent(value: unknown): value is OrderIntent {
  return value === "capture" || value === "cancel" || value === "refund";
}

export interface RefundInput {
  readonly amount: number;
  readonly reason?: string;
  /** Fresh per rendering of the order page (carried in its form). */
  readonly formKey: string;
}

export type ActionOutcome =
  | { readonly ok: true; readonly notice: string }
  | {
    readonly ok: false;
    readonly status: number;
    readonly message: string;
    readonly retryAfterSeconds?: number;
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
  if (result.ok) {
    const notice = intent === "capture"
      ? "capture-requested"
      : intent === "cancel"
      ? "cancelled"
      : "refund-requested";
    return { ok: true, notice };
  }
  return { ok: false, ...describeActionFailure(intent, result.failure) };
}

const intentNames: Readonly<Record<OrderIntent, string>> = {
  capture: "charged",
  cancel: "cancelled",
  refund: "refunded",
};

export function describeActionFailure(
  intent: OrderIntent,
  failure: GatewayFailure,
): { status: number; message: string; retryAfterSeconds?: number } {
  switch (failure.code) {
    case "invalid_state":
      return {
        status: 409,
        message: `This order cannot be ${intentNames[intent]} in its current state.`,
      };
    case "amount_exceeds_refundable":
      return { status: 400, message: "That is more than is left to refund on this order." };
    case "validation_error":
      return { status: 400, message: `The request was not valid: ${failure.detail}` };
    case "idempotency_key_mismatch":
      return {
        status: 409,
        message:
          "This form was already used for a different amount. Reload the page and try again.",
      };
    case "rate_limited":
      return {
        status: 429,
        message: `Too many requests right now. Please wait ${
          failure.retryAfterSeconds ?? 60
        } seconds and try again.`,
        ...(failure.retryAfterSeconds === undefined
          ? {}
          : { retryAfterSeconds: failure.retryAfterSeconds }),
      };
    case "pg_unavailable":
      return {
        status: 503,
        message: "The payment network is not responding. Please try again in a moment.",
      };
    default:
      return {
        status: failure.status >= 400 ? 502 : 503,
        message: failure.outcomeUnknown
          ? "The payment service did not answer. Try again: the same request is never applied twice."
          : "The payment service refused the request. Please try again later.",
      };
  }
}

export const noticeMessages: Readonly<Record<string, string>> = {
  "capture-pending":
    "Your payment is authorized, but we could not start the charge yet. Use “Charge now” below.",
  "capture-requested": "The charge was requested. The status below updates by itself.",
  "cancelled": "The order was cancelled and the authorization released. You were not charged.",
  "refund-requested": "Your refund was requested. The status below updates by itself.",
};
