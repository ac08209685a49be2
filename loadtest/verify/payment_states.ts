import type { PaymentExpectation, UncertainOperation } from "../scenario/expectation.ts";
import { type Check, formatCounts } from "./verdict.ts";

/** States a payment waits in while the workers settle its capture or refund. */
export const pendingStatuses = ["CAPTURE_REQUESTED", "REFUND_REQUESTED"] as const;

export function isPending(status: string): boolean {
  return (pendingStatuses as readonly string[]).includes(status);
}

/** How the uncertain operations of a run turned out. */
export interface UncertainOutcome {
  /** The payment reached the operation's final state: it took effect. */
  applied: number;
  /** The payment stayed where it was: it did not. */
  notApplied: number;
}

/** Every payment of the run, judged against what the client knows about it. */
export interface StatesJudgement {
  readonly checked: number;
  /** Payments whose every request got a clear answer. */
  readonly acknowledged: number;
  readonly uncertain: ReadonlyMap<UncertainOperation, UncertainOutcome>;
  /** Still CAPTURE_REQUESTED or REFUND_REQUESTED after the drain wait. */
  readonly stuck: number;
  /** Contradictions, by `<expected>→<actual>`. */
  readonly wrong: ReadonlyMap<string, number>;
}

/**
 * Judges each payment: an acknowledged one must be in its state; an
 * uncertain one in the state before or after its operation (counted as
 * uncertain, never as wrong); anything else, a pending state included, is a
 * contradiction.
 */
export function judgeStates(
  expected: ReadonlyMap<string, PaymentExpectation>,
  statuses: ReadonlyMap<string, string>,
): StatesJudgement {
  const wrong = new Map<string, number>();
  const uncertain = new Map<UncertainOperation, UncertainOutcome>();
  let acknowledgedCount = 0;
  let stuck = 0;
  for (const [id, expectation] of expected) {
    const actual = statuses.get(id) ?? "missing";
    if (isPending(actual)) stuck++;
    if (expectation.kind === "acknowledged") {
      acknowledgedCount++;
      if (actual !== expectation.status) count(wrong, `${expectation.status}→${actual}`);
      continue;
    }
    const outcome = uncertain.get(expectation.operation) ?? { applied: 0, notApplied: 0 };
    uncertain.set(expectation.operation, outcome);
    if (actual === expectation.after) outcome.applied++;
    else if (actual === expectation.before) outcome.notApplied++;
    else {
      count(
        wrong,
        `${expectation.before}|${expectation.after} (${expectation.operation} unanswered)→${actual}`,
      );
    }
  }
  return { checked: expected.size, acknowledged: acknowledgedCount, uncertain, stuck, wrong };
}

function count(map: Map<string, number>, key: string): void {
  map.set(key, (map.get(key) ?? 0) + 1);
}

/** Payments of the run's merchants the client has no id for: their authorize got no clear answer. */
export interface UnseenPayments {
  readonly count: number;
  /** Of those, still pending after the drain wait. */
  readonly stuck: number;
}

/** The `payment states` check: passes when nothing contradicts what the client was told. */
export function statesCheck(judgement: StatesJudgement, unseen: UnseenPayments): Check {
  const wrong = new Map(judgement.wrong);
  if (unseen.stuck > 0) wrong.set("unanswered authorize→pending", unseen.stuck);
  const parts = [`${judgement.checked} payments checked`];
  const uncertainTotal = [...judgement.uncertain.values()].reduce(
    (sum, o) => sum + o.applied + o.notApplied,
    0,
  );
  if (uncertainTotal > 0) {
    const byOperation = [...judgement.uncertain].map(([op, o]) =>
      `${op} without a clear answer: ${o.applied} took effect, ${o.notApplied} did not`
    );
    parts.push(`${uncertainTotal} uncertain (${byOperation.join("; ")})`);
  }
  if (unseen.count > 0) parts.push(`${unseen.count} created without a clear answer`);
  const stuck = judgement.stuck + unseen.stuck;
  if (stuck > 0) parts.push(`${stuck} stuck in *_REQUESTED`);
  if (wrong.size > 0) parts.push(`wrong: ${formatCounts(wrong)}`);
  return {
    name: "payment states",
    ok: wrong.size === 0 && judgement.checked > 0,
    detail: parts.join("; "),
  };
}
