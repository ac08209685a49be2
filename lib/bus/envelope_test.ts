import assert from "node:assert/strict";
import { topics } from "../domain/events.ts";
import { parsePaymentEvent } from "./envelope.ts";
import { MalformedMessageError } from "./errors.ts";

const valid = {
  eventId: "evt_01",
  type: "captured",
  paymentId: "pay_01",
  merchantId: "M123",
  amount: 10_000,
  currency: "KRW",
  occurredAt: "2024-01-01T00:00:00.000Z",
  data: { from: "CAPTURE_REQUESTED", to: "CAPTURED" },
};

function parse(value: unknown, topic: string = topics.captured) {
  return parsePaymentEvent({
    topic,
    key: "pay_01",
    value: typeof value === "string" ? value : JSON.stringify(value),
    headers: {},
  });
}

Deno.test("a well-formed envelope parses with its topic", () => {
  const { topic, envelope } = parse(valid);
  assert.equal(topic, topics.captured);
  assert.equal(envelope.amount, 10_000);
});

Deno.test("malformed envelopes are refused with what is wrong", () => {
  const cases: Array<[unknown, RegExp, string?]> = [
    ["{oops", /Payload is not JSON/],
    [[1, 2], /not a JSON object/],
    [{ ...valid, amount: -5 }, /amount is not positive minor units: -5/],
    [{ ...valid, amount: "100" }, /amount/],
    [{ ...valid, currency: "XXX" }, /currency is not supported: "XXX"/],
    [{ ...valid, merchantId: "bad id!" }, /merchantId is invalid/],
    [{ ...valid, eventId: "" }, /eventId/],
    [{ ...valid, occurredAt: "yesterday" }, /occurredAt/],
    [valid, /Not a payment topic: payment.dlq/, topics.dlq],
  ];
  for (const [value, pattern, topic] of cases) {
    assert.throws(() => parse(value, topic), (e: unknown) => {
      assert.ok(e instanceof MalformedMessageError);
      assert.match(e.message, pattern);
      return true;
    });
  }
});
