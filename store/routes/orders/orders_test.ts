import assert from "node:assert/strict";
import { fieldValue, placeOrder, Shopper, startStoreHarness } from "../../testing/harness.ts";

/** The refund form's first step: the shopper enters an amount and is asked to confirm it. */
async function reviewRefund(
  shopper: Shopper,
  orderPath: string,
  csrf: string,
  amount: string,
): Promise<{ response: Response; html: string }> {
  const response = await shopper.post(orderPath, { _csrf: csrf, intent: "review-refund", amount });
  return { response, html: await response.text() };
}

/** The confirmation's form, as the page rendered it. */
function confirmForm(html: string, csrf: string): Record<string, string> {
  return {
    _csrf: csrf,
    intent: "refund",
    amount: fieldValue(html, "amount")!,
    refundKey: fieldValue(html, "refundKey")!,
  };
}

/** Enters `amount`, confirms it, and returns the answer to the confirmation. */
async function refund(
  shopper: Shopper,
  orderPath: string,
  csrf: string,
  amount: string,
): Promise<Response> {
  const { html } = await reviewRefund(shopper, orderPath, csrf, amount);
  return await shopper.post(orderPath, confirmForm(html, csrf));
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
    assert.match(page.html, /Payment completed · ₩1,690,000/);
    assert.match(
      page.html,
      /id="refund-amount"(?![^>]*value=)[^>]*>/,
      "the refund amount starts empty",
    );
    const review = await reviewRefund(shopper, orderPath, page.csrf, "500,000");
    assert.equal(review.response.status, 200);
    assert.match(review.html, /You are about to refund ₩500,000 to the card you paid with/);
    assert.equal(
      [...store.fake.payments.values()][0]!.refundedAmount,
      0,
      "nothing before confirming",
    );
    const partial = await shopper.post(orderPath, confirmForm(review.html, page.csrf));
    assert.equal(partial.status, 303);
    assert.equal(partial.headers.get("location"), `${orderPath}?notice=refund-requested`);
    page = await shopper.page(partial.headers.get("location")!);
    assert.match(page.html, /Your refund was requested/);
    assert.match(page.html, /Refund requested · ₩500,000/);

    store.fake.settleAll();
    page = await shopper.page(partial.headers.get("location")!);
    assert.match(page.html, /Refund completed: ₩500,000 goes back to the card you paid with/);
    assert.doesNotMatch(page.html, /Your refund was requested/);
    assert.match(page.html, /Partial refund completed · ₩500,000/);
    assert.match(page.html, /Up to ₩1,190,000/);
    const rest = await refund(shopper, orderPath, page.csrf, "1190000");
    assert.equal(rest.status, 303);
    store.fake.settleAll();
    page = await shopper.page(orderPath);
    assert.match(page.html, /data-status="REFUNDED"/);
    assert.doesNotMatch(page.html, /name="refund(Key|-amount)"/);
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
    const { html } = await reviewRefund(shopper, orderPath, page.csrf, "100000");
    const form = confirmForm(html, page.csrf);
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
    const tooMuch = await reviewRefund(shopper, orderPath, page.csrf, "1690001");
    assert.equal(tooMuch.response.status, 400);
    assert.match(tooMuch.html, /You can refund at most ₩1,690,000 on this order/);
    assert.doesNotMatch(tooMuch.html, /name="refundKey"/);
    // A confirmation posted with a larger amount than it showed: the gateway refuses it.
    const { html } = await reviewRefund(shopper, orderPath, page.csrf, "1000");
    const forged = await shopper.post(orderPath, {
      ...confirmForm(html, page.csrf),
      amount: "1690001",
    });
    assert.equal(forged.status, 400);
    assert.match(await forged.text(), /more than is left to refund/);
    const zero = await reviewRefund(shopper, orderPath, page.csrf, "0");
    assert.equal(zero.response.status, 400);
    assert.match(zero.html, /at least ₩1/);
    const words = await reviewRefund(shopper, orderPath, page.csrf, "lots");
    assert.equal(words.response.status, 400);
    assert.equal([...store.fake.payments.values()][0]!.refundedAmount, 0);
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
    assert.doesNotMatch(page.html, /Cancel order<\/button>/);

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
    assert.match(html, /Order \d{8}-[0-9A-Z]{8}/);
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

Deno.test("the order page is headed by the order's number, not its id", async () => {
  const store = await startStoreHarness();
  try {
    const shopper = new Shopper(store.handler);
    const orderPath = await placeOrder(shopper);
    const order = await store.state.findOrder(orderPath.split("/").pop()!);
    const { html } = await shopper.page(orderPath);
    const heading = /<h1 id="order-title">([^<]*)<\/h1>/.exec(html)?.[1];
    assert.equal(heading, `Order ${order!.orderNumber}`);
    assert.match(order!.orderNumber!, /^\d{8}-[0-9A-HJKMNP-TV-Z]{8}$/);
    assert.match(html, /<title>Order \d{8}-/);
  } finally {
    await store.close();
  }
});

Deno.test("an order is found from another browser by its number and email, and only so", async () => {
  const store = await startStoreHarness();
  try {
    const owner = new Shopper(store.handler);
    const orderPath = await placeOrder(owner);
    const { orderNumber } = (await store.state.findOrder(orderPath.split("/").pop()!))!;
    const elsewhere = new Shopper(store.handler);
    const { csrf, html } = await elsewhere.page("/orders/lookup");
    assert.match(html, /name="orderNumber"/);
    assert.equal((await elsewhere.get(orderPath)).status, 404);

    const wrongEmail = await elsewhere.post("/orders/lookup", {
      _csrf: csrf,
      orderNumber: orderNumber!,
      email: "someone@example.kr",
    });
    assert.equal(wrongEmail.status, 404);
    assert.match(await wrongEmail.text(), /No order matches that order number and email/);
    const wrongNumber = await elsewhere.post("/orders/lookup", {
      _csrf: csrf,
      orderNumber: "20200101-AAAAAAAA",
      email: "jiwoo@example.kr",
    });
    assert.equal(wrongNumber.status, 404);
    await wrongNumber.body?.cancel();
    assert.equal((await elsewhere.get(orderPath)).status, 404);

    const found = await elsewhere.post("/orders/lookup", {
      _csrf: csrf,
      orderNumber: ` ${orderNumber!.toLowerCase().replace("-", " ")} `,
      email: "JiWoo@Example.kr",
    });
    assert.equal(found.status, 303);
    assert.equal(found.headers.get("location"), orderPath);
    assert.equal((await elsewhere.get(orderPath)).status, 200);
    const list = await elsewhere.page("/orders");
    assert.match(list.html, new RegExp(`href="${orderPath}"`));
  } finally {
    await store.close();
  }
});

Deno.test("a Korean browser reads the order in Korean, won after the number, times in Seoul", async () => {
  const store = await startStoreHarness();
  try {
    const shopper = new Shopper(store.handler);
    const orderPath = await placeOrder(shopper);
    store.fake.settleAll();
    const response = await shopper.get(orderPath, { "accept-language": "ko-KR,ko;q=0.9,en;q=0.8" });
    assert.equal(response.headers.get("content-language"), "ko");
    const html = await response.text();
    assert.match(html, /<html lang="ko">/);
    assert.match(html, /주문번호 \d{8}-/);
    assert.match(html, /결제 완료 · 1,690,000원/);
    assert.match(html, /\d{4}년 \d{1,2}월 \d{1,2}일 (오전|오후) [^<]* GMT\+9/);
    assert.match(html, /환불 요청/);
    assert.doesNotMatch(html, /₩|CAPTURED<|Capture requested/);
  } finally {
    await store.close();
  }
});
