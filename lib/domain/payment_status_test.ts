import assert from "node:assert/strict";
import {
  assertTransition,
  canTransition,
  finalStatuses,
  nextStatus,
  type PaymentAction,
  type PaymentStatus,
  paymentStatuses,
  sourcesOf,
  targetOf,
} from "./payment_status.ts";

const allowed: ReadonlyArray<[PaymentStatus, PaymentStatus]> = [
  ["AUTHORIZED", "CAPTURE_REQUESTED"],
  ["AUTHORIZED", "CANCELLED"],
  ["AUTHORIZED", "EXPIRED"],
  ["CAPTURE_REQUESTED", "CAPTURED"],
  ["CAPTURE_REQUESTED", "CAPTURE_FAILED"],
  ["CAPTURED", "REFUND_REQUESTED"],
  ["PARTIALLY_REFUNDED", "REFUND_REQUESTED"],
  ["REFUND_REQUESTED", "PARTIALLY_REFUNDED"],
  ["REFUND_REQUESTED", "REFUNDED"],
  ["REFUND_REQUESTED", "REFUND_FAILED"],
];

Deno.test("the state machine has exactly the eleven states of DESIGN §4", () => {
  assert.equal(paymentStatuses.length, 11);
  assert.equal(new Set(paymentStatuses).size, 11);
});

for (const from of paymentStatuses) {
  for (const to of paymentStatuses) {
    const expected = allowed.some(([f, t]) => f === from && t === to);
    Deno.test(`transition ${from} -> ${to} is ${expected ? "allowed" : "forbidden"}`, () => {
      assert.equal(canTransition(from, to), expected);
      if (expected) assertTransition(from, to);
      else assert.throws(() => assertTransition(from, to), /Forbidden payment transition/);
    });
  }
}

Deno.test("final states are exactly those no action leaves", () => {
  assert.deepEqual(
    [...finalStatuses].sort(),
    [
      "AUTH_FAILED",
      "CANCELLED",
      "CAPTURED",
      "CAPTURE_FAILED",
      "EXPIRED",
      "REFUNDED",
      "REFUND_FAILED",
    ].filter((s) => s !== "CAPTURED").sort(),
  );
  assert.ok(!finalStatuses.has("CAPTURED"), "a captured payment can still be refunded");
});

Deno.test("actions lead to their single target from each source state", () => {
  const cases: ReadonlyArray<[PaymentAction, PaymentStatus[], PaymentStatus]> = [
    ["capture", ["AUTHORIZED"], "CAPTURE_REQUESTED"],
    ["cancel", ["AUTHORIZED"], "CANCELLED"],
    ["expire", ["AUTHORIZED"], "EXPIRED"],
    ["refund", ["CAPTURED", "PARTIALLY_REFUNDED"], "REFUND_REQUESTED"],
    ["refund_succeeded_fully", ["REFUND_REQUESTED"], "REFUNDED"],
  ];
  for (const [action, sources, target] of cases) {
    assert.deepEqual(sourcesOf(action), sources);
    assert.equal(targetOf(action), target);
    for (const source of sources) assert.equal(nextStatus(source, action), target);
  }
  assert.equal(nextStatus("CANCELLED", "capture"), undefined);
  assert.equal(nextStatus("REFUNDED", "refund"), undefined);
});
