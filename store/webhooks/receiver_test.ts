import assert from "node:assert/strict";
import { Webhook } from "standardwebhooks";
import { paymentView } from "../gateway/payment.ts";
import { placeOrder, Shopper, startStoreHarness, type StoreHarness } from "../testing/harness.ts";
import { webhookPath } from "./receiver.ts";

const secret = `whsec_${btoa("store-webhook-test-secret-0123")}`;

async function withOrder(
  run: (h: StoreHarness, orderId: string, shopper: Shopper) => Promise<void>,
): Promise<void> {
  const h = await startStoreHarness({ webhookSecret: secret });
  try {
    const shopper = new Shopper(h.handler);
    const location = await placeOrder(shopper);
    await run(h, new URL(location, "http://store.test").pathname.split("/").pop()!, shopper);
  } finally {
    await h.close();
  }
}

/** The event the platform would deliver for the fake gateway's payment as it is now. */
async function eventFor(h: StoreHarness, orderId: string, id: string, type: string) {
  const order = (await h.state.findOrder(orderId))!;
  const fake = h.fake.payments.get(order.paymentId)!;
  const payment = { ...paymentView(fakePayment(fake)), orderId, updatedAt: fake.updatedAt };
  return JSON.stringify({ id, type, createdAt: fake.updatedAt, data: { payment } });
}

function fakePayment(fake: NonNullable<ReturnType<StoreHarness["fake"]["payments"]["get"]>>) {
  return { ...fake, events: [] };
}

function deliver(
  h: StoreHarness,
  id: string,
  body: string,
  signWith = secret,
  at = new Date(),
): Promise<Response> {
  const signature = new Webhook(signWith).sign(id, at, body);
  return h.handler(
    new Request(`http://store.test${webhookPath}`, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "webhook-id": id,
        "webhook-timestamp": String(Math.floor(at.getTime() / 1000)),
        "webhook-signature": signature,
      },
      body,
    }),
  );
}

async function captureAndSettle(h: StoreHarness, orderId: string): Promise<void> {
  const order = (await h.state.findOrder(orderId))!;
  const fake = h.fake.payments.get(order.paymentId)!;
  fake.status = "CAPTURED";
  fake.capturedAmount = fake.amount;
  fake.updatedAt = new Date(Date.parse(fake.updatedAt) + 1_000).toISOString();
}

Deno.test("a verified delivery moves the order to the payment's status", async () => {
  await withOrder(async (h, orderId) => {
    await captureAndSettle(h, orderId);
    const body = await eventFor(h, orderId, "evt_1", "payment.captured");
    const response = await deliver(h, "evt_1", body);
    assert.equal(response.status, 204);
    const order = await h.state.findOrder(orderId);
    assert.equal(order?.payment?.status, "CAPTURED");
    assert.equal(order?.payment?.eventId, "evt_1");
  });
});

Deno.test("a forged or stale signature is refused with 400 and changes nothing", async () => {
  await withOrder(async (h, orderId) => {
    await captureAndSettle(h, orderId);
    const body = await eventFor(h, orderId, "evt_1", "payment.captured");
    const forged = await deliver(h, "evt_1", body, `whsec_${btoa("someone-else-secret-000000")}`);
    assert.equal(forged.status, 400);
    await forged.body?.cancel();
    const stale = await deliver(h, "evt_1", body, secret, new Date(Date.now() - 3_600_000));
    assert.equal(stale.status, 400);
    await stale.body?.cancel();
    assert.equal((await h.state.findOrder(orderId))?.payment, undefined);
    // Refused deliveries are not remembered: the genuine one still applies.
    assert.equal((await deliver(h, "evt_1", body)).status, 204);
    assert.equal((await h.state.findOrder(orderId))?.payment?.status, "CAPTURED");
  });
});

Deno.test("a redelivered webhook-id is answered 2xx without a second effect", async () => {
  await withOrder(async (h, orderId) => {
    const authorized = await eventFor(h, orderId, "evt_auth", "payment.authorized");
    assert.equal((await deliver(h, "evt_auth", authorized)).status, 204);
    await captureAndSettle(h, orderId);
    const captured = await eventFor(h, orderId, "evt_cap", "payment.captured");
    assert.equal((await deliver(h, "evt_cap", captured)).status, 204);
    // The same id again, even with a body that would move the order: remembered, no effect.
    const again = await deliver(h, "evt_auth", captured);
    assert.equal(again.status, 204);
    assert.equal(again.headers.get("webhook-duplicate"), "true");
    assert.equal((await h.state.findOrder(orderId))?.payment?.eventId, "evt_cap");
  });
});

Deno.test("an older event arriving late does not move the order backwards", async () => {
  await withOrder(async (h, orderId) => {
    const authorized = await eventFor(h, orderId, "evt_auth", "payment.authorized");
    await captureAndSettle(h, orderId);
    const captured = await eventFor(h, orderId, "evt_cap", "payment.captured");
    assert.equal((await deliver(h, "evt_cap", captured)).status, 204);
    assert.equal((await deliver(h, "evt_auth", authorized)).status, 204);
    const order = await h.state.findOrder(orderId);
    assert.equal(order?.payment?.status, "CAPTURED");
    assert.equal(order?.payment?.eventId, "evt_cap");
  });
});

Deno.test("the order page shows the state a verified webhook moved the order to, ahead of the gateway", async () => {
  await withOrder(async (h, orderId, shopper) => {
    const order = (await h.state.findOrder(orderId))!;
    const fake = h.fake.payments.get(order.paymentId)!;
    assert.equal(fake.status, "CAPTURE_REQUESTED");
    // The platform captured and notified; the gateway read the page makes still trails.
    const later = new Date(Date.parse(fake.updatedAt) + 1_000).toISOString();
    const payment = {
      ...paymentView(fakePayment(fake)),
      status: "CAPTURED",
      capturedAmount: fake.amount,
      orderId,
      updatedAt: later,
    };
    const body = JSON.stringify({
      id: "evt_cap",
      type: "payment.captured",
      createdAt: later,
      data: { payment },
    });
    assert.equal((await deliver(h, "evt_cap", body)).status, 204);
    const page = await shopper.get(`/orders/${orderId}`, { "accept-language": "ko-KR,ko" });
    const html = await page.text();
    assert.match(html, /class="status-badge status-badge--good" data-status="CAPTURED"/);
    assert.match(html, /결제 완료/);
    const list = await (await shopper.get("/orders", { "accept-language": "ko" })).text();
    assert.match(list, /data-status="CAPTURED">결제 완료</);
  });
});

Deno.test("without a webhook secret the store serves no webhook route", async () => {
  const h = await startStoreHarness();
  try {
    const response = await deliver(h, "evt_1", "{}");
    assert.equal(response.status, 404);
    await response.body?.cancel();
  } finally {
    await h.close();
  }
});
