import assert from "node:assert/strict";
import { Webhook } from "standardwebhooks";
import { startReceiver } from "../webhooks/testing.ts";
import { startPlatform, until } from "./platform.ts";

/**
 * Issue 14's "done when", through the real processes: a merchant registers
 * an endpoint, pays, captures, refunds, and receives `payment.authorized`,
 * `payment.captured` and `payment.refunded` signed deliveries that verify
 * with `standardwebhooks`, the first after a 500 from its receiver; and
 * `GET /api/events` shows the same events. A decline is `payment.declined`.
 * On the embedded profile: webhooks work alike on both (nothing of theirs is
 * in Redis).
 */
Deno.test("a merchant receives signed, retried webhooks of its payment's lifecycle", async () => {
  const receiver = startReceiver({ failFirst: 1 });
  const platform = await startPlatform("e2e_webhooks", {
    profile: "embedded",
    env: { WEBHOOK_ALLOW_PRIVATE_URLS: "true", WEBHOOK_DISPATCH_POLL_MS: "20" },
  });
  try {
    const created = await platform.api("POST", "/api/webhook-endpoints", {
      url: receiver.url,
      events: ["*"],
    }, "e2e-endpoint");
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const secret: string = created.body.secret;

    const authorized = await platform.api("POST", "/api/payments/authorize", {
      amount: 30000,
      currency: "KRW",
    }, "e2e-wh-pay");
    assert.equal(authorized.status, 201, JSON.stringify(authorized.body));
    const paymentId: string = authorized.body.paymentId;
    assert.equal(
      (await platform.api("POST", `/api/payments/capture/${paymentId}`, {})).status,
      202,
    );
    await until(
      async () =>
        (await platform.api("GET", `/api/payments/${paymentId}`)).body.status === "CAPTURED",
      "captured",
    );
    const refund = await platform.api("POST", `/api/payments/refund/${paymentId}`, {
      amount: 10000,
    });
    assert.equal(refund.status, 202);
    const declined = await platform.api("POST", "/api/payments/authorize", {
      amount: 5000,
      currency: "KRW",
      paymentMethod: "tok_decline",
    }, "e2e-wh-decline");
    assert.equal(declined.status, 402);

    const wanted = [
      "payment.authorized",
      "payment.captured",
      "payment.refunded",
      "payment.declined",
    ];
    const verifiedTypes = () =>
      receiver.received.filter((r) => r.headers["content-type"] === "application/json")
        .map((r) => new Webhook(secret).verify(r.body, r.headers) as { type: string })
        .map((e) => e.type);
    // The first delivery got a 500 and is retried after ~5 s (the schedule's first delay).
    await until(() => wanted.every((type) => verifiedTypes().includes(type)), "all deliveries");

    const first = receiver.received[0]!;
    const retries = () =>
      receiver.received.filter((r) => r.headers["webhook-id"] === first.headers["webhook-id"]);
    await until(() => retries().length >= 2, "the event answered with a 500 delivered again");
    assert.equal(new Set(retries().map((r) => r.body)).size, 1);

    const refunded = receiver.received.map((r) => JSON.parse(r.body)).find((e) =>
      e.type === "payment.refunded"
    );
    assert.equal(refunded.data.payment.paymentId, paymentId);
    assert.equal(refunded.data.refund.amount, 10000);
    assert.match(refunded.data.refund.id, /^ref_/);

    const events = await platform.api("GET", `/api/events?paymentId=${paymentId}`);
    assert.equal(events.status, 200);
    const listed = events.body.data as Array<{ id: string; type: string }>;
    assert.deepEqual(
      listed.map((e) => e.type).sort(),
      ["payment.authorized", "payment.captured", "payment.refunded"],
    );
    const deliveredIds = new Set(receiver.received.map((r) => r.headers["webhook-id"]));
    for (const e of listed) assert.ok(deliveredIds.has(e.id), e.id);
  } finally {
    await platform.stop();
    await receiver.close();
  }
});
