import assert from "node:assert/strict";
import { isForbiddenAnswer } from "./answers.ts";
import { checkState } from "./check_state.ts";
import { percentile, timesToFinalMs } from "./final_times.ts";
import type { AckedOp } from "./flows.ts";
import { isRetryable } from "./keyed_post.ts";
import { addIncreases, parseCounters } from "./metrics_window.ts";
import type { PaymentRow, ScenarioState } from "./state.ts";
import { describeViolations } from "./violations.ts";

const merchantId = "FLT_S1";
const options = { expiryGraceMs: 15_000 };

function payment(id: string, fields: Partial<PaymentRow> = {}): PaymentRow {
  return {
    id,
    merchantId,
    idempotencyKey: `key-${id}`,
    status: "AUTHORIZED",
    amount: 4_000,
    capturedAmount: 0,
    refundedAmount: 0,
    pgAuthorizationId: `auth_${id}`,
    authExpiresAtMs: 1_000_000,
    ...fields,
  };
}

/** A consistent state: one payment captured and partly refunded, one cancelled and voided. */
function healthyState(): ScenarioState {
  return {
    merchantIds: [merchantId],
    payments: [
      payment("p1", { status: "PARTIALLY_REFUNDED", capturedAmount: 4_000, refundedAmount: 1_000 }),
      payment("p2", { status: "CANCELLED" }),
    ],
    finalEvents: [
      { paymentId: "p1", toStatus: "CAPTURED", atMs: 2_000 },
      { paymentId: "p1", toStatus: "PARTIALLY_REFUNDED", atMs: 3_000 },
      { paymentId: "p2", toStatus: "CANCELLED", atMs: 1_500 },
    ],
    requests: [
      req("capture", "s1", "p1", "SUCCESS", 4_000),
      req("refund", "r1", "p1", "SUCCESS", 1_000),
      req("void", "void_p2", "p2", "SUCCESS", 4_000),
    ],
    ledgerByPayment: [{ paymentId: "p1", payable: 3_000 }],
    unbalancedEntries: [],
    merchantPayables: [{ merchantId, balance: 3_000 }],
    outboxPending: [],
    deadLetters: [],
    pgAuthorizations: [
      pgAuth("auth_p1", "p1", "CAPTURED"),
      pgAuth("auth_p2", "p2", "CANCELLED"),
    ],
    pgOperations: [
      { type: "capture", pgId: "cap_1", authorizationId: "auth_p1", amount: 4_000, atMs: 1_900 },
      { type: "refund", pgId: "rfd_1", authorizationId: "auth_p1", amount: 1_000, atMs: 2_900 },
      { type: "cancel", pgId: "cnl_1", authorizationId: "auth_p2", amount: 4_000, atMs: 1_700 },
    ],
    readAtMs: 10_000,
  };
}

function req(
  kind: "capture" | "refund" | "void",
  id: string,
  paymentId: string,
  status: string,
  amount: number,
  pgCode: string | null = null,
) {
  return { kind, id, paymentId, merchantId, status, amount, pgCode };
}

function pgAuth(id: string, reference: string, status: "APPROVED" | "CAPTURED" | "CANCELLED") {
  return { id, merchantId, reference, status, amount: 4_000 };
}

const acked: AckedOp[] = [
  op("authorize", "p1", 100, 200),
  op("capture", "p1", 300, 400),
  op("refund", "p1", 2_500, 2_600),
  op("authorize", "p2", 100, 200),
  op("cancel", "p2", 1_000, 1_100),
];

function op(kind: AckedOp["kind"], paymentId: string, sentAtMs: number, ackAtMs: number): AckedOp {
  const key = kind === "authorize" ? `key-${paymentId}` : `key-${paymentId}-${kind}`;
  return { kind, merchantId, key, paymentId, amount: 4_000, sentAtMs, ackAtMs };
}

const invariantsOf = (state: ScenarioState, ops: readonly AckedOp[] = acked) =>
  checkState(state, ops, options).map((v) => `${v.invariant} ${v.subject}`);

Deno.test("a consistent state breaks no invariant", () => {
  assert.deepEqual(invariantsOf(healthyState()), []);
});

Deno.test("a cancelled payment whose authorization was never voided at the PG is reported", () => {
  const state = healthyState();
  const broken: ScenarioState = {
    ...state,
    pgAuthorizations: [pgAuth("auth_p1", "p1", "CAPTURED"), pgAuth("auth_p2", "p2", "APPROVED")],
    pgOperations: state.pgOperations.filter((o) => o.type !== "cancel"),
  };
  assert.deepEqual(invariantsOf(broken), ["voided-at-pg p2"]);
});

Deno.test("an approved PG authorization without a payment is an orphan hold", () => {
  const state = healthyState();
  const broken = {
    ...state,
    pgAuthorizations: [...state.pgAuthorizations, pgAuth("auth_lost", "p9", "APPROVED")],
  };
  assert.deepEqual(invariantsOf(broken), ["no-orphan-hold auth_lost"]);
});

Deno.test("a lost ledger posting breaks the payment's and the merchant's ledger invariants", () => {
  const broken = { ...healthyState(), ledgerByPayment: [], merchantPayables: [] };
  assert.deepEqual(invariantsOf(broken), [
    "ledger-matches-payment p1",
    "ledger-matches-settlements FLT_S1",
  ]);
});

Deno.test("an acknowledged capture that never settled is reported with the stuck payment", () => {
  const broken: ScenarioState = {
    ...healthyState(),
    payments: [payment("p3", { status: "CAPTURE_REQUESTED" })],
    finalEvents: [],
    requests: [req("capture", "s3", "p3", "PENDING", 4_000)],
    ledgerByPayment: [],
    merchantPayables: [],
    pgAuthorizations: [pgAuth("auth_p3", "p3", "APPROVED")],
    pgOperations: [],
  };
  assert.deepEqual(invariantsOf(broken, [op("capture", "p3", 0, 10)]), [
    "capture-acknowledged p3",
    "no-payment-stuck p3",
    "requests-complete p3",
  ]);
});

Deno.test("a capture the PG refused may end CAPTURE_FAILED; one the workers gave up on may not", () => {
  const failed = (pgCode: string): ScenarioState => ({
    ...healthyState(),
    payments: [payment("p4", { status: "CAPTURE_FAILED" })],
    finalEvents: [{ paymentId: "p4", toStatus: "CAPTURE_FAILED", atMs: 500 }],
    requests: [req("capture", "s4", "p4", "FAILED", 4_000, pgCode)],
    ledgerByPayment: [],
    merchantPayables: [],
    pgAuthorizations: [pgAuth("auth_p4", "p4", "APPROVED")],
    pgOperations: [],
  });
  const capture = [op("capture", "p4", 0, 10)];
  // The PG's refusal leaves its authorization held until expiry; that is not this check's concern.
  assert.deepEqual(invariantsOf(failed("amount_exceeds_authorized"), capture), []);
  assert.deepEqual(invariantsOf(failed("pg_unavailable"), capture), ["capture-acknowledged p4"]);
});

Deno.test("outbox rows left NEW or DEAD and dead letters are violations", () => {
  const broken = {
    ...healthyState(),
    outboxPending: [{
      id: 7,
      paymentId: "p1",
      topic: "payment.captured",
      status: "DEAD",
      attempts: 20,
    }],
    deadLetters: [{
      id: 3,
      paymentId: "p2",
      originalTopic: "payment.cancelled",
      errorType: "Error",
      errorMessage: "Connection refused",
    }],
  };
  assert.deepEqual(invariantsOf(broken), ["outbox-drained p1", "dlq-empty p2"]);
});

Deno.test("an authorization left AUTHORIZED past its expiry and grace is reported", () => {
  const state = healthyState();
  const overdue = payment("p5", { authExpiresAtMs: state.readAtMs - options.expiryGraceMs - 1 });
  const due = payment("p6", { authExpiresAtMs: state.readAtMs - 1 });
  const broken = {
    ...state,
    payments: [...state.payments, overdue, due],
    pgAuthorizations: [
      ...state.pgAuthorizations,
      pgAuth("auth_p5", "p5", "APPROVED"),
      pgAuth("auth_p6", "p6", "APPROVED"),
    ],
  };
  assert.deepEqual(invariantsOf(broken), ["expired-on-time p5"]);
});

Deno.test("two payments for one idempotency key are reported", () => {
  const state = healthyState();
  const twin = payment("p7", { idempotencyKey: "key-p2", status: "CANCELLED" });
  const broken = {
    ...state,
    payments: [...state.payments, twin],
    pgAuthorizations: [...state.pgAuthorizations, pgAuth("auth_p7", "p7", "CANCELLED")],
    pgOperations: [
      ...state.pgOperations,
      {
        type: "cancel" as const,
        pgId: "cnl_7",
        authorizationId: "auth_p7",
        amount: 4_000,
        atMs: 1,
      },
    ],
  };
  assert.deepEqual(invariantsOf(broken), ["one-payment-per-key FLT_S1/key-p2"]);
});

Deno.test("time to final state runs from the first send to the final event or the void", () => {
  assert.deepEqual(timesToFinalMs(healthyState(), acked).sort((a, b) => a - b), [
    100,
    100,
    500,
    700,
    1_700,
  ]);
  assert.equal(percentile([5, 1, 4, 2, 3], 99), 5);
  assert.equal(percentile([], 99), 0);
});

Deno.test("a 500, and a refusal of a retried keyed request, are forbidden answers", () => {
  assert.equal(isForbiddenAnswer(1, { status: 500, code: "internal_error" }), true);
  assert.equal(isForbiddenAnswer(2, { status: 409, code: "invalid_state" }), true);
  assert.equal(isForbiddenAnswer(3, { status: 409, code: "idempotency_key_in_use" }), true);
  assert.equal(isForbiddenAnswer(1, { status: 409, code: "invalid_state" }), false);
  assert.equal(isForbiddenAnswer(2, { status: 503, code: "service_unavailable" }), false);
  assert.equal(isRetryable({ status: 503, code: "service_unavailable" }), true);
  assert.equal(isRetryable({ status: 0, code: "ECONNREFUSED" }), true);
  assert.equal(isRetryable({ status: 409, code: "invalid_state" }), false);
});

Deno.test("counter increases survive a restart of the process that counted them", () => {
  const before = parseCounters(
    '# TYPE sweeper_repaired_total counter\nsweeper_repaired_total{sweeper="ledger"} 5\nup 1\n',
  );
  const increases = new Map<string, number>();
  addIncreases(increases, before, parseCounters('sweeper_repaired_total{sweeper="ledger"} 8\n'));
  addIncreases(increases, before, parseCounters('sweeper_repaired_total{sweeper="ledger"} 2\n'));
  assert.deepEqual([...increases], [['sweeper_repaired_total{sweeper="ledger"}', 5]]);
});

Deno.test("violations are described per invariant with an exact count and the first subjects", () => {
  const lines = describeViolations([
    { invariant: "voided-at-pg", subject: "p1", detail: "CANCELLED" },
    { invariant: "voided-at-pg", subject: "p2", detail: "EXPIRED" },
    { invariant: "voided-at-pg", subject: "p3", detail: "EXPIRED" },
  ], 2);
  assert.deepEqual(lines, ["voided-at-pg: 3 — p1 (CANCELLED); p2 (EXPIRED); … 1 more"]);
});
