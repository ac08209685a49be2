import type { LoadAnswer } from "../http/client.ts";

/** The final states a run drives a payment to. */
export type DrivenStatus = "AUTHORIZED" | "CAPTURED" | "REFUNDED";

/** Operations whose effect the client may not learn (it has the payment id already). */
export type UncertainOperation = "capture" | "refund";

/**
 * What the client knows about one payment, for the correctness check.
 *
 * - `acknowledged`: every request on it got a clear answer (a 2xx, or a
 *   refusal such as 429 or 409 invalid_state); the payment must end in `status`.
 * - `uncertain`: its last capture (refund) got no clear answer (timeout,
 *   reset, 5xx, the key still in use, or still in flight when the run ended):
 *   it may or may not have taken effect, so it must end in `before` or `after`.
 */
export type PaymentExpectation =
  | { readonly kind: "acknowledged"; readonly status: DrivenStatus }
  | {
    readonly kind: "uncertain";
    readonly operation: UncertainOperation;
    readonly before: DrivenStatus;
    readonly after: DrivenStatus;
  };

export function acknowledged(status: DrivenStatus): PaymentExpectation {
  return { kind: "acknowledged", status };
}

export function uncertain(
  operation: UncertainOperation,
  before: DrivenStatus,
  after: DrivenStatus,
): PaymentExpectation {
  return { kind: "uncertain", operation, before, after };
}

/**
 * True when an answer leaves open whether the request took effect: no
 * answer at all, a server error (the server may have committed before it
 * failed), a 408, or 409 `idempotency_key_in_use` (an earlier attempt with
 * the same key, e.g. the gateway's failover, is still running and may succeed).
 */
export function answerIsUnclear(answer: LoadAnswer, problemCode?: string): boolean {
  if (answer.kind === "error") return true;
  if (answer.status >= 500 || answer.status === 408) return true;
  return answer.status === 409 && problemCode === "idempotency_key_in_use";
}
