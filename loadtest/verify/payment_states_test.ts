import assert from "node:assert/strict";
import { acknowledged, type PaymentExpectation, uncertain } from "../scenario/expectation.ts";
import { judgeStates, statesCheck } from "./payment_states.ts";

const captureUncertain = uncertain("capture", "AUTHORIZED", "CAPTURED");
const none = { count: 0, stuck: 0 };

function judge(cases: Array<[PaymentExpectation, string | undefined]>) {
  const expected = new Map(cases.map(([e], i) => [`p${i}`, e]));
  const statuses = new Map(
    cases.flatMap(([, s], i) => s === undefined ? [] : [[`p${i}`, s] as const]),
  );
  return judgeStates(expected, statuses);
}

Deno.test("a payment CAPTURED after a timed-out capture is uncertain and counted, not wrong", () => {
  const judgement = judge([
    ...Array.from(
      { length: 590 },
      () => [captureUncertain, "CAPTURED"] as [PaymentExpectation, string],
    ),
    [captureUncertain, "AUTHORIZED"],
    [acknowledged("CAPTURED"), "CAPTURED"],
  ]);
  assert.equal(judgement.wrong.size, 0);
  assert.deepEqual(judgement.uncertain.get("capture"), { applied: 590, notApplied: 1 });
  const check = statesCheck(judgement, none);
  assert.equal(check.ok, true, check.detail);
  assert.match(
    check.detail,
    /592 payments checked; 591 uncertain \(capture without a clear answer: 590 took effect, 1 did not\)/,
  );
});

Deno.test("true contradictions are wrong: acknowledged elsewhere, refused but moved, stuck, missing", () => {
  const judgement = judge([
    [acknowledged("CAPTURED"), "AUTHORIZED"],
    [acknowledged("AUTHORIZED"), "CAPTURED"],
    [acknowledged("CAPTURED"), "CAPTURE_REQUESTED"],
    [captureUncertain, "CAPTURE_REQUESTED"],
    [captureUncertain, "CAPTURE_FAILED"],
    [acknowledged("REFUNDED"), undefined],
  ]);
  assert.deepEqual(Object.fromEntries(judgement.wrong), {
    "CAPTURED→AUTHORIZED": 1,
    "AUTHORIZED→CAPTURED": 1,
    "CAPTURED→CAPTURE_REQUESTED": 1,
    "AUTHORIZED|CAPTURED (capture unanswered)→CAPTURE_REQUESTED": 1,
    "AUTHORIZED|CAPTURED (capture unanswered)→CAPTURE_FAILED": 1,
    "REFUNDED→missing": 1,
  });
  assert.equal(judgement.stuck, 2);
  const check = statesCheck(judgement, none);
  assert.equal(check.ok, false);
  assert.match(check.detail, /2 stuck in \*_REQUESTED; wrong: /);
});

Deno.test("unanswered authorizes are reported; one still pending is wrong; no payment fails", () => {
  const judgement = judge([[acknowledged("AUTHORIZED"), "AUTHORIZED"]]);
  assert.match(
    statesCheck(judgement, { count: 3, stuck: 0 }).detail,
    /3 created without a clear answer/,
  );
  assert.equal(statesCheck(judgement, { count: 3, stuck: 1 }).ok, false);
  assert.equal(statesCheck(judge([]), none).ok, false);
});
