import assert from "node:assert/strict";
import { fieldValue, placeOrder, Shopper, startStoreHarness } from "../../testing/harness.ts";

function refundForm(html: string, csrf: string, amount: string): Record<string, string> {
  return { _csrf: csrf, intent: "refund", amount, refundKey: fieldValue(html, "refundKey")! };
}

Deno.test("the order page shows the timeline, refunds part and then the rest", async () => {
  const store = await startStoreHarness();
  try {
    const shopper = new Shopper(store.handler);
    const orderPath = await placeOrder(shopper);
    let page = await shopper.page(orderPath);
    assert.match(page.html, /data-status="CAPTURE_REQUESTED"/);
    assert.match(page.html, /Waiting for the bank to confirm/);
    assert.doesNotMatch(page.html, /name="refundKey"/);

    store.fake.settleAll();
    page = await shopper.page(orderPath);
    assert.match(page.html, /Payment captured · ₩1,690,000/);
    const partial = await shopper.post(orderPath, refundForm(page.html, page.csrf, "500,000"));
    assert.equal(partial.status, 303);
    assert.equal(partial.headers.get("location"), `${orderPath}?notice=refund-requested`);
    page = await shopper.page(partial.headers.get("location")!);
    assert.match(page.html, /Your refund was requested/);
    assert.match(page.html, /Refund requested · ₩500,000/);

    store.fake.settleAll();
    page = await shopper.page(orderPath);
    assert.match(page.html, /Partial refund completed · ₩500,000/);
    assert.match(page.html, /Up to ₩1,190,000/);
    const rest = await shopper.post(orderPath, refundForm(page.html, page.csrf, "1190000"));
    assert.equal(rest.status, 303);
    store.fake.settleAll();
    page = await shopper.page(orderPath);
    assert.match(page.html, /data-status="REFUNDED"/);
    assert.doesNotMatch(page.html, /name="refundKey"/);
    const [payment] = [...store.fake.payments.values()];
    assert.equal(payment!.refundedAmount, 1_690_000);
  } finally {
    await store.close();
  }
});

Deno.test("resubmitting one refund form refunds once", async () => {
  const store = await startStoreHarness();
  try {
    const shopper = new Shopper(store.handler);
    const orderPath = await placeOrder(shopper);
    store.fake.settleAll();
    const page = await shopper.page(orderPath);
    const form = refundForm(page.html, page.csrf, "100000");
    assert.equal((await shopper.post(orderPath, form)).status, 303);
    assert.equal((await shopper.post(orderPath, form)).status, 303);
    store.fake.settleAll();
    assert.equal([...store.fake.payments.values()][0]!.refundedAmount, 100_000);
  } finally {
    await store.close();
  }
});

Deno.test("a refund above what is left, or of nothing, is refused with a clear message", async () => {
  const store = await startStoreHarness();
  try {
    const shopper = new Shopper(store.handler);
    const orderPath = await placeOrder(shopper);
    store.fake.settleAll();
    const page = await shopper.page(orderPath);
    const tooMuch = await shopper.post(orderPath, refundForm(page.html, page.csrf, "1690001"));
    assert.equal(tooMuch.status, 400);
    assert.match(await tooMuch.text(), /more than is left to refund/);
    const zero = await shopper.post(orderPath, refundForm(page.html, page.csrf, "0"));
    assert.equal(zero.status, 400);
    assert.match(await zero.text(), /at least ₩1/);
    const words = await shopper.post(orderPath, refundForm(page.html, page.csrf, "lots"));
    assert.equal(words.status, 400);
    await words.body?.cancel();
  } finally {
    await store.close();
  }
});

Deno.test("when capture fails at checkout the order stays authorized: charge or cancel it later", async () => {
  const store = await startStoreHarness();
  try {
    const shopper = new Shopper(store.handler);
    store.fake.failNext("capture", { code: "pg_unavailable" });
    const location = await placeOrder(shopper);
    assert.match(location, /\?notice=capture-pending$/);
    const orderPath = location.split("?")[0]!;
    let page = await shopper.page(location);
    const csrf = page.csrf;
    assert.match(page.html, /data-status="AUTHORIZED"/);
    assert.match(page.html, /Charge now/);
    assert.match(page.html, /Cancel order/);

    const cancelled = await shopper.post(orderPath, { _csrf: page.csrf, intent: "cancel" });
    assert.equal(cancelled.headers.get("location"), `${orderPath}?notice=cancelled`);
    page = await shopper.page(orderPath);
    assert.match(page.html, /data-status="CANCELLED"/);
    assert.doesNotMatch(page.html, /Cancel order/);

    const again = await shopper.post(orderPath, { _csrf: csrf, intent: "capture" });
    assert.equal(again.status, 409);
    assert.match(await again.text(), /cannot be charged in its current state/);
  } finally {
    await store.close();
  }
});

Deno.test("charging an authorized order later captures it", async () => {
  const store = await startStoreHarness();
  try {
    const shopper = new Shopper(store.handler);
    store.fake.failNext("capture", { code: "rate_limited", retryAfterSeconds: 2 });
    const orderPath = (await placeOrder(shopper)).split("?")[0]!;
    const page = await shopper.page(orderPath);
    const charged = await shopper.post(orderPath, { _csrf: page.csrf, intent: "capture" });
    assert.equal(charged.headers.get("location"), `${orderPath}?notice=capture-requested`);
    assert.equal([...store.fake.payments.values()][0]!.status, "CAPTURE_REQUESTED");
  } finally {
    await store.close();
  }
});

Deno.test("another session can neither see nor change an order", async () => {
  const store = await startStoreHarness();
  try {
    const owner = new Shopper(store.handler);
    const orderPath = await placeOrder(owner);
    const stranger = new Shopper(store.handler);
    const { csrf } = await stranger.page("/products/iphone-16-pro");
    assert.equal((await stranger.get(orderPath)).status, 404);
    const refund = await stranger.post(orderPath, { _csrf: csrf, intent: "cancel" });
    assert.equal(refund.status, 404);
    assert.equal((await stranger.get(`${orderPath}/events`)).status, 404);
    assert.equal((await stranger.get("/orders/ord_nonsense")).status, 404);
  } finally {
    await store.close();
  }
});

Deno.test("the orders page lists this session's orders, newest first", async () => {
  const store = await startStoreHarness();
  try {
    const shopper = new Shopper(store.handler);
    const first = await placeOrder(shopper);
    const second = await placeOrder(shopper);
    const { html } = await shopper.page("/orders");
    const links = [...html.matchAll(/href="(\/orders\/ord_[0-9a-z]+)"/g)].map((m) => m[1]);
    assert.deepEqual(links, [second, first]);
  } finally {
    await store.close();
  }
});

Deno.test("the event stream sends payment changes until the capture settles, then closes", async () => {
  const store = await startStoreHarness();
  try {
    const shopper = new Shopper(store.handler);
    const orderPath = await placeOrder(shopper);
    const response = await shopper.get(`${orderPath}/events`, { accept: "text/event-stream" });
    assert.equal(response.headers.get("content-type"), "text/event-stream; charset=utf-8");
    const events = readEvents(response.body!);
    assert.deepEqual((await events.next()).value, {
      event: "payment",
      status: "CAPTURE_REQUESTED",
    });
    store.fake.settleAll();
    assert.deepEqual((await events.next()).value, { event: "payment", status: "CAPTURED" });
    assert.deepEqual((await events.next()).value, { event: "settled", status: "CAPTURED" });
    assert.equal((await events.next()).done, true);
  } finally {
    await store.close();
  }
});

async function* readEvents(body: ReadableStream<Uint8Array>) {
  let buffer = "";
  const decoder = new TextDecoder();
  for await (const chunk of body) {
    buffer += decoder.decode(chunk, { stream: true });
    let end;
    while ((end = buffer.indexOf("\n\n")) >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const event = /^event: (.+)$/m.exec(block)?.[1];
      const data = /^data: (.+)$/m.exec(block)?.[1];
      if (event && data) yield { event, status: JSON.parse(data).status };
    }
  }
}
