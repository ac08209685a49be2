import assert from "node:assert/strict";
import { startFakeGateway } from "./fake_gateway.ts";

const apiKey = "pk_test_fake";

async function call(url: string, path: string, body: unknown, key?: string) {
  const response = await fetch(url + path, {
    method: "POST",
    headers: {
      authorization: `Bearer ${apiKey}`,
      "content-type": "application/json",
      ...(key ? { "idempotency-key": key } : {}),
    },
    body: JSON.stringify(body),
  });
  return {
    status: response.status,
    replayed: response.headers.get("idempotent-replayed"),
    body: await response.json(),
  };
}

Deno.test("the fake gateway keeps the idempotency contract of the real one", async () => {
  const fake = startFakeGateway({ apiKey, settle: "manual" });
  try {
    const order = { amount: 1000, currency: "KRW", paymentMethod: "tok_visa" };
    assert.equal(
      (await call(fake.url, "/api/payments/authorize", order)).body.code,
      "validation_error",
    );
    const first = await call(fake.url, "/api/payments/authorize", order, "k1");
    assert.equal(first.status, 201);
    const replay = await call(fake.url, "/api/payments/authorize", order, "k1");
    assert.equal(replay.replayed, "true");
    assert.equal(replay.body.paymentId, first.body.paymentId);
    const mismatch = await call(
      fake.url,
      "/api/payments/authorize",
      { ...order, amount: 2000 },
      "k1",
    );
    assert.equal(mismatch.status, 422);
    assert.equal(mismatch.body.code, "idempotency_key_mismatch");
    const unauthorized = await fetch(`${fake.url}/api/payments/${first.body.paymentId}`);
    assert.equal(unauthorized.status, 401);
    await unauthorized.body?.cancel();
  } finally {
    await fake.close();
  }
});

Deno.test("the fake gateway captures and refunds asynchronously", async () => {
  const fake = startFakeGateway({ apiKey, settle: "manual" });
  try {
    const { body: p } = await call(fake.url, "/api/payments/authorize", {
      amount: 5000,
      currency: "KRW",
    }, "a");
    const capture = await call(fake.url, `/api/payments/capture/${p.paymentId}`, {}, "c");
    assert.equal(capture.status, 202);
    assert.equal(capture.body.status, "CAPTURE_REQUESTED");
    fake.settleAll();
    assert.equal(fake.payments.get(p.paymentId)!.status, "CAPTURED");
    const refund = await call(
      fake.url,
      `/api/payments/refund/${p.paymentId}`,
      { amount: 2000 },
      "r",
    );
    assert.equal(refund.body.status, "REFUND_REQUESTED");
    const busy = await call(fake.url, `/api/payments/refund/${p.paymentId}`, { amount: 1 }, "r2");
    assert.equal(busy.body.code, "invalid_state");
    fake.settleAll();
    const view = fake.payments.get(p.paymentId)!;
    assert.equal(view.status, "PARTIALLY_REFUNDED");
    assert.deepEqual(view.events.map((e) => e.to), [
      "AUTHORIZED",
      "CAPTURE_REQUESTED",
      "CAPTURED",
      "REFUND_REQUESTED",
      "PARTIALLY_REFUNDED",
    ]);
    const declined = await call(fake.url, "/api/payments/authorize", {
      amount: 5000,
      currency: "KRW",
      paymentMethod: "tok_decline",
    }, "d");
    assert.equal(declined.status, 402);
    assert.equal(fake.payments.get(declined.body.paymentId)!.status, "AUTH_FAILED");
  } finally {
    await fake.close();
  }
});
