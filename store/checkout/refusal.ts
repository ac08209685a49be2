import type { GatewayFailure } from "../gateway/client.ts";

export interface RefusalView {
  readonly status: number;
  readonly title: string;
  readonly message: string;
  /**
   * Whether the next press of Pay reuses the same idempotency key: yes when
   * nothing was decided (rate limited, no answer, twin still running), so a
   * retry can only replay; no when the gateway decided (declined) or stored
   * nothing for the key and the shopper may now pick another card.
   */
  readonly keepAttempt: boolean;
}

/** What to tell a shopper whose payment did not go through, by the gateway's problem code. */
export function describeRefusal(failure: GatewayFailure): RefusalView {
  switch (failure.code) {
    case "card_declined":
      return {
        status: 402,
        title: "Your card was declined",
        message:
          "The bank declined this card and no money was taken. Choose another card and try again.",
        keepAttempt: false,
      };
    case "rate_limited": {
      const wait = failure.retryAfterSeconds ?? 60;
      return {
        status: 429,
        title: "Too many payment attempts",
        message: `The payment service is busy. Please wait ${wait} second${
          wait === 1 ? "" : "s"
        } and press Pay again; you will not be charged twice.`,
        keepAttempt: true,
      };
    }
    case "pg_unavailable":
      return {
        status: 503,
        title: "The payment network is not responding",
        message:
          "The card network did not answer in time and you have not been charged. Please try again in a moment.",
        keepAttempt: false,
      };
    case "idempotency_key_in_use":
      return {
        status: 409,
        title: "Your payment is still being processed",
        message:
          "This order is already being paid. Check your orders in a moment before paying again.",
        keepAttempt: true,
      };
    case "idempotency_key_mismatch":
      return {
        status: 409,
        title: "This checkout was already submitted",
        message:
          "This checkout form was already used with different details. Please review your order and pay again.",
        keepAttempt: false,
      };
    default:
      if (failure.outcomeUnknown) {
        return {
          status: 503,
          title: "We could not confirm your payment",
          message:
            "The payment service did not answer. Press Pay again to retry safely: the same payment is never made twice.",
          keepAttempt: true,
        };
      }
      return {
        status: 502,
        title: "The payment could not be made",
        message: "The payment service refused this payment. You have not been charged.",
        keepAttempt: false,
      };
  }
}
