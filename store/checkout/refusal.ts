import type { GatewayFailure } from "../gateway/client.ts";
import { message, type StoreMessage } from "../i18n/i18n.ts";

export interface RefusalView {
  readonly status: number;
  readonly title: StoreMessage;
  readonly message: StoreMessage;
  /**
   * Whether the next press of Pay reuses the same idempotency key: yes when
   * nothing was decided (rate limited, no answer, twin still running), so a
   * retry can only replay; no when the gateway decided (declined) or stored
   * nothing for the key and the shopper may now pick another card.
   */
  readonly keepAttempt: boolean;
}

type RefusalName =
  | "declined"
  | "rateLimited"
  | "network"
  | "inUse"
  | "mismatch"
  | "unknown"
  | "refused";

function refusal(
  status: number,
  name: RefusalName,
  keepAttempt: boolean,
  values?: Record<string, number>,
): RefusalView {
  return {
    status,
    title: message(`refusal.${name}.title` as const),
    message: message(`refusal.${name}.message` as const, values),
    keepAttempt,
  };
}

/** What to tell a shopper whose payment did not go through, by the gateway's problem code. */
export function describeRefusal(failure: GatewayFailure): RefusalView {
  switch (failure.code) {
    case "card_declined":
      return refusal(402, "declined", false);
    case "rate_limited":
      return refusal(429, "rateLimited", true, { seconds: failure.retryAfterSeconds ?? 60 });
    case "pg_unavailable":
      return refusal(503, "network", false);
    case "idempotency_key_in_use":
      return refusal(409, "inUse", true);
    case "idempotency_key_mismatch":
      return refusal(409, "mismatch", false);
    default:
      return failure.outcomeUnknown
        ? refusal(503, "unknown", true)
        : refusal(502, "refused", false);
  }
}
