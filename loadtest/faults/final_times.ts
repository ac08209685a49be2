/**
 * Time from an acknowledged operation's first send to its final state:
 * authorize → its answer; capture → CAPTURED (or CAPTURE_FAILED); refund →
 * (PARTIALLY_)REFUNDED (or REFUND_FAILED); cancel → the void at the PG.
 * Operations that never got there are left out (the checks report them).
 */
import type { AckedOp } from "./flows.ts";
import type { ScenarioState } from "./state.ts";

const finalOf = {
  capture: ["CAPTURED", "CAPTURE_FAILED"],
  refund: ["PARTIALLY_REFUNDED", "REFUNDED", "REFUND_FAILED"],
} as const;

export function timesToFinalMs(state: ScenarioState, acked: readonly AckedOp[]): number[] {
  const authorizationOf = new Map(state.payments.map((p) => [p.id, p.pgAuthorizationId]));
  const voidAt = new Map<string, number>();
  for (const op of state.pgOperations) {
    if (op.type === "cancel") voidAt.set(op.authorizationId, op.atMs);
  }
  const times: number[] = [];
  for (const op of acked) {
    let finalAtMs: number | undefined;
    if (op.kind === "authorize") finalAtMs = op.ackAtMs;
    else if (op.kind === "cancel") {
      const authorization = authorizationOf.get(op.paymentId);
      finalAtMs = authorization ? voidAt.get(authorization) : undefined;
    } else {
      const statuses: readonly string[] = finalOf[op.kind];
      finalAtMs = state.finalEvents
        .filter((e) =>
          e.paymentId === op.paymentId && statuses.includes(e.toStatus) && e.atMs >= op.sentAtMs
        )
        .map((e) => e.atMs)
        .sort((a, b) => a - b)[0];
    }
    if (finalAtMs !== undefined) times.push(Math.max(0, finalAtMs - op.sentAtMs));
  }
  return times;
}

/** The nearest-rank percentile `p` (0–100) of `values`; 0 when there are none. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1]!;
}
