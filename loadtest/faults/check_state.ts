/**
 * The money invariants after a fault, as one pure function over a scenario's
 * state and the operations the platform acknowledged (DESIGN §10: the
 * database is the truth; every effect is derivable from it).
 */
import type { AckedOp } from "./flows.ts";
import type { PaymentRow, PgOperationRow, RequestRow, ScenarioState } from "./state.ts";
import type { Violation } from "./violations.ts";

export interface StateCheckOptions {
  /** An AUTHORIZED payment this long past its expiry should have been expired. */
  readonly expiryGraceMs: number;
}

/** Codes the workers write on a request they failed themselves (not a refusal by the PG). */
const localFailureCodes: ReadonlySet<string> = new Set(["pg_unavailable", "authorization_missing"]);

export function checkState(
  state: ScenarioState,
  acked: readonly AckedOp[],
  options: StateCheckOptions,
): Violation[] {
  const index = indexOf(state);
  return [
    ...acknowledgedOperations(state, acked, index),
    ...duplicatePayments(state),
    ...missingVoids(state, index),
    ...orphanHolds(state, index),
    ...pgDisagreements(state, index),
    ...unfinished(state, options),
    ...ledgerViolations(state),
    ...[...state.outboxPending].map((row) => ({
      invariant: "outbox-drained",
      subject: row.paymentId,
      detail: `outbox ${row.id} ${row.topic} ${row.status} after ${row.attempts} attempts`,
    })),
    ...[...state.deadLetters].map((row) => ({
      invariant: "dlq-empty",
      subject: row.paymentId,
      detail: `dlq ${row.id} ${row.originalTopic} ${row.errorType}: ${row.errorMessage}`,
    })),
  ];
}

interface StateIndex {
  readonly paymentById: Map<string, PaymentRow>;
  readonly eventsByPayment: Map<string, Set<string>>;
  readonly requestsByPayment: Map<string, RequestRow[]>;
  readonly pgOpsByAuthorization: Map<string, PgOperationRow[]>;
  readonly paymentsByAuthorization: Map<string, PaymentRow[]>;
}

function indexOf(state: ScenarioState): StateIndex {
  const group = <T>(rows: readonly T[], key: (row: T) => string | null) => {
    const map = new Map<string, T[]>();
    for (const row of rows) {
      const k = key(row);
      if (k === null) continue;
      const list = map.get(k) ?? [];
      list.push(row);
      map.set(k, list);
    }
    return map;
  };
  const eventsByPayment = new Map<string, Set<string>>();
  for (const event of state.finalEvents) {
    const set = eventsByPayment.get(event.paymentId) ?? new Set();
    set.add(event.toStatus);
    eventsByPayment.set(event.paymentId, set);
  }
  return {
    paymentById: new Map(state.payments.map((p) => [p.id, p])),
    eventsByPayment,
    requestsByPayment: group(state.requests, (r) => r.paymentId),
    pgOpsByAuthorization: group(state.pgOperations, (o) => o.authorizationId),
    paymentsByAuthorization: group(state.payments, (p) => p.pgAuthorizationId),
  };
}

function refusedByPg(index: StateIndex, paymentId: string, kind: RequestRow["kind"]): boolean {
  return (index.requestsByPayment.get(paymentId) ?? []).some((r) =>
    r.kind === kind && r.status === "FAILED" && r.pgCode !== null &&
    !localFailureCodes.has(r.pgCode)
  );
}

function acknowledgedOperations(
  state: ScenarioState,
  acked: readonly AckedOp[],
  index: StateIndex,
): Violation[] {
  const violations: Violation[] = [];
  const merchants = new Set(state.merchantIds);
  for (const op of acked) {
    if (!merchants.has(op.merchantId)) continue;
    const payment = index.paymentById.get(op.paymentId);
    const reached = index.eventsByPayment.get(op.paymentId) ?? new Set<string>();
    const fail = (detail: string) =>
      violations.push({ invariant: `${op.kind}-acknowledged`, subject: op.paymentId, detail });
    if (!payment) {
      fail(`${op.kind} ${op.key} was acknowledged but the payment does not exist`);
      continue;
    }
    switch (op.kind) {
      case "authorize":
        if (payment.idempotencyKey !== op.key || payment.merchantId !== op.merchantId) {
          fail(`acknowledged for key ${op.key}, stored with key ${payment.idempotencyKey}`);
        }
        break;
      case "capture":
        if (
          !reached.has("CAPTURED") &&
          !(payment.status === "CAPTURE_FAILED" && refusedByPg(index, payment.id, "capture"))
        ) fail(`capture answered 202, payment is ${payment.status}`);
        break;
      case "refund":
        if (
          !reached.has("PARTIALLY_REFUNDED") && !reached.has("REFUNDED") &&
          !(payment.status === "REFUND_FAILED" && refusedByPg(index, payment.id, "refund"))
        ) fail(`refund answered 202, payment is ${payment.status}`);
        break;
      case "cancel":
        if (payment.status !== "CANCELLED") {
          fail(`cancel answered 200, payment is ${payment.status}`);
        }
        break;
    }
  }
  return violations;
}

function duplicatePayments(state: ScenarioState): Violation[] {
  const byKey = new Map<string, string[]>();
  for (const p of state.payments) {
    const key = `${p.merchantId}/${p.idempotencyKey}`;
    byKey.set(key, [...(byKey.get(key) ?? []), p.id]);
  }
  return [...byKey].filter(([, ids]) => ids.length > 1).map(([key, ids]) => ({
    invariant: "one-payment-per-key",
    subject: key,
    detail: `${ids.length} payments: ${ids.join(", ")}`,
  }));
}

function missingVoids(state: ScenarioState, index: StateIndex): Violation[] {
  return state.payments
    .filter((p) => p.status === "CANCELLED" || p.status === "EXPIRED")
    .filter((p) =>
      p.pgAuthorizationId === null ||
      !(index.pgOpsByAuthorization.get(p.pgAuthorizationId) ?? []).some((o) => o.type === "cancel")
    )
    .map((p) => ({
      invariant: "voided-at-pg",
      subject: p.id,
      detail: `${p.status} but authorization ${
        p.pgAuthorizationId ?? "(none)"
      } not voided at the PG`,
    }));
}

/** PG authorizations holding (or having taken) money that no payment of ours knows of. */
function orphanHolds(state: ScenarioState, index: StateIndex): Violation[] {
  return state.pgAuthorizations
    .filter((a) => a.status === "APPROVED" || a.status === "CAPTURED")
    .filter((a) => !index.paymentsByAuthorization.has(a.id))
    .map((a) => ({
      invariant: "no-orphan-hold",
      subject: a.id,
      detail: `PG authorization ${a.status} for ${a.amount} (reference ${a.reference}) ` +
        `${index.paymentById.has(a.reference) ? "not recorded on its payment" : "has no payment"}`,
    }));
}

/** The PG's captures and refunds of each payment's authorization equal the payment's amounts. */
function pgDisagreements(state: ScenarioState, index: StateIndex): Violation[] {
  const violations: Violation[] = [];
  for (const p of state.payments) {
    const ops = p.pgAuthorizationId === null
      ? []
      : index.pgOpsByAuthorization.get(p.pgAuthorizationId) ?? [];
    const sum = (type: PgOperationRow["type"]) =>
      ops.filter((o) => o.type === type).reduce((total, o) => total + o.amount, 0);
    const captured = sum("capture");
    const refunded = sum("refund");
    if (captured !== p.capturedAmount || refunded !== p.refundedAmount) {
      violations.push({
        invariant: "pg-matches-payment",
        subject: p.id,
        detail: `${p.status}: captured ${p.capturedAmount}/refunded ${p.refundedAmount} here, ` +
          `${captured}/${refunded} at the PG`,
      });
    }
  }
  return violations;
}

function unfinished(state: ScenarioState, options: StateCheckOptions): Violation[] {
  const stuck = state.payments
    .filter((p) => p.status === "CAPTURE_REQUESTED" || p.status === "REFUND_REQUESTED")
    .map((p) => ({ invariant: "no-payment-stuck", subject: p.id, detail: p.status }));
  const pending = state.requests
    .filter((r) => r.status === "PENDING")
    .map((r) => ({
      invariant: "requests-complete",
      subject: r.paymentId,
      detail: `${r.kind} request ${r.id} PENDING`,
    }));
  const overdue = state.payments
    .filter((p) =>
      p.status === "AUTHORIZED" && p.authExpiresAtMs !== null &&
      p.authExpiresAtMs < state.readAtMs - options.expiryGraceMs
    )
    .map((p) => ({
      invariant: "expired-on-time",
      subject: p.id,
      detail: `AUTHORIZED ${
        Math.round((state.readAtMs - p.authExpiresAtMs!) / 1000)
      } s past expiry`,
    }));
  return [...stuck, ...pending, ...overdue];
}

function ledgerViolations(state: ScenarioState): Violation[] {
  const violations: Violation[] = state.unbalancedEntries.map((e) => ({
    invariant: "ledger-balanced",
    subject: e.paymentId,
    detail: `entry ${e.entryId}: net ${e.net} over ${e.lineCount} lines`,
  }));
  const payable = new Map(state.ledgerByPayment.map((l) => [l.paymentId, l.payable]));
  for (const p of state.payments) {
    const expected = p.capturedAmount - p.refundedAmount;
    const posted = payable.get(p.id) ?? 0;
    if (posted !== expected) {
      violations.push({
        invariant: "ledger-matches-payment",
        subject: p.id,
        detail: `${p.status}: payable ${posted} in the ledger, captured − refunded = ${expected}`,
      });
    }
  }
  for (const merchantId of state.merchantIds) {
    const settled = (kind: RequestRow["kind"]) =>
      state.requests
        .filter((r) => r.merchantId === merchantId && r.kind === kind && r.status === "SUCCESS")
        .reduce((total, r) => total + r.amount, 0);
    const expected = settled("capture") - settled("refund");
    const balance = state.merchantPayables.find((m) => m.merchantId === merchantId)?.balance ?? 0;
    if (balance !== expected) {
      violations.push({
        invariant: "ledger-matches-settlements",
        subject: merchantId,
        detail: `merchant_payable ${balance}, settled captures − refunds = ${expected}`,
      });
    }
  }
  return violations;
}
