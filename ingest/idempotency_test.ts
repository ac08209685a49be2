import assert from "node:assert/strict";
import {
  outboxEventsOf,
  testAuthorizesWithoutCache,
  testConcurrentIdenticalAuthorizes,
  testStripeSemantics,
} from "./testing/idempotency_cases.ts";
import { countRows, ingestHarness } from "./testing/harness.ts";

// The scale-out variants (Redis up and down) are in idempotency_redis_test.ts.
testStripeSemantics("embedded");
testConcurrentIdenticalAuthorizes("embedded");
testAuthorizesWithoutCache("none (embedded)");

Deno.test("20 concurrent captures of one payment: exactly one wins, the rest are 409", async () => {
  const h = await ingestHarness("ingest_capture_race");
  try {
    const body = { merchantId: "M123", amount: 10000, currency: "KRW", idempotencyKey: "abc-123" };
    const created = await (await h.call("POST", "/api/payments/authorize", { body })).json();
    const responses = await Promise.all(
      Array.from(
        { length: 20 },
        () => h.call("POST", `/api/payments/capture/${created.paymentId}`),
      ),
    );
    const statuses = responses.map((r) => r.status);
    await Promise.all(responses.map((r) => r.body?.cancel()));
    assert.equal(statuses.filter((s) => s === 202).length, 1, `statuses: ${statuses}`);
    assert.equal(statuses.filter((s) => s === 409).length, 19, `statuses: ${statuses}`);
    assert.equal(await countRows(h.db, "settlement_request"), 1);
    assert.equal(await outboxEventsOf(h, created.paymentId, "payment.capture-requested"), 1);
  } finally {
    await h.close();
  }
});
