import assert from "node:assert/strict";
import {
  fieldValue,
  openCheckout,
  Shopper,
  shopperEmail,
  startStoreHarness,
  waitFor,
} from "../testing/harness.ts";

Deno.test("rendering the checkout again reuses its idempotency key until the cart changes", async () => {
  const store = await startStoreHarness();
  try {
    const shopper = new Shopper(store.handler);
    const first = await openCheckout(shopper);
    assert.match(first.attempt, /^[0-9a-f-]{36}$/);
    const again = await shopper.page("/checkout");
    assert.equal(fieldValue(again.html, "attempt"), first.attempt);
    await shopper.post("/cart/add", {
      _csrf: first.csrf,
      slug: "ipad-pro-13",
      colour: "silver",
      quantity: "1",
    });
    const changed = await shopper.page("/checkout");
    assert.notEqual(fieldValue(changed.html, "attempt"), first.attempt);
    assert.match(changed.html, /₩3,530,000/);
  } finally {
    await store.close();
  }
});

Deno.test("paying authorizes and captures once, and a resubmitted form lands on the same order", async () => {
  const store = await startStoreHarness();
  try {
    const shopper = new Shopper(store.handler);
    const { csrf, attempt } = await openCheckout(shopper, [
      { slug: "iphone-16-pro", colour: "black-titanium", quantity: 2 },
      { slug: "balmuda-air-purifier", colour: "white", quantity: 1 },
    ]);
    const paid = await shopper.post("/checkout", {
      _csrf: csrf,
      attempt,
      email: shopperEmail,
      card: "tok_visa",
    });
    assert.equal(paid.status, 303);
    const location = paid.headers.get("location")!;
    assert.match(location, /^\/orders\/ord_[0-9a-z]{26}$/);

    const [payment] = [...store.fake.payments.values()];
    assert.equal(store.fake.payments.size, 1);
    assert.equal(payment!.amount, 4_229_000);
    assert.equal(payment!.currency, "KRW");
    assert.equal(payment!.status, "CAPTURE_REQUESTED");
    assert.equal(payment!.orderId, location.split("/").pop());

    const again = await shopper.post("/checkout", {
      _csrf: csrf,
      attempt,
      email: shopperEmail,
      card: "tok_visa",
    });
    assert.equal(again.status, 303);
    assert.equal(again.headers.get("location"), location);
    assert.equal(store.fake.payments.size, 1);
    assert.equal(store.fake.authorizeCalls(), 1);
    assert.match((await shopper.page("/cart")).html, /Your cart is empty/);
  } finally {
    await store.close();
  }
});

Deno.test("two submissions of one checkout at the same time pay once", async () => {
  const store = await startStoreHarness();
  try {
    const shopper = new Shopper(store.handler);
    const { csrf, attempt } = await openCheckout(shopper);
    const release = store.fake.holdAuthorizations();
    const form = { _csrf: csrf, attempt, email: shopperEmail, card: "tok_visa" };
    const first = shopper.post("/checkout", form);
    const second = shopper.post("/checkout", form);
    await waitFor(() => store.fake.authorizeCalls() >= 2, "both submissions to reach the gateway");
    release();
    const answers = await Promise.all([first, second]);
    assert.deepEqual(answers.map((r) => r.status), [303, 303]);
    assert.equal(answers[0]!.headers.get("location"), answers[1]!.headers.get("location"));
    assert.equal(store.fake.payments.size, 1);
    const orders = await shopper.page("/orders");
    assert.equal(orders.html.match(/class="panel order-list__item"/g)?.length, 1);
  } finally {
    await store.close();
  }
});

Deno.test("a declined card explains itself, keeps the cart and starts a new attempt", async () => {
  const store = await startStoreHarness();
  try {
    const shopper = new Shopper(store.handler);
    const { csrf, attempt } = await openCheckout(shopper);
    const declined = await shopper.post("/checkout", {
      _csrf: csrf,
      attempt,
      email: shopperEmail,
      card: "tok_decline",
    });
    assert.equal(declined.status, 402);
    const html = await declined.text();
    assert.match(html, /role="alert"/);
    assert.match(html, /Your card was declined/);
    assert.match(html, /no money was taken/);
    const next = fieldValue(html, "attempt")!;
    assert.notEqual(next, attempt);
    assert.equal([...store.fake.payments.values()][0]!.status, "AUTH_FAILED");

    const paid = await shopper.post("/checkout", {
      _csrf: csrf,
      attempt: next,
      email: shopperEmail,
      card: "tok_visa",
    });
    assert.equal(paid.status, 303);
    assert.equal(store.fake.payments.size, 2);
  } finally {
    await store.close();
  }
});

Deno.test("a PG timeout says the card network is not responding and charges nothing", async () => {
  const store = await startStoreHarness();
  try {
    const shopper = new Shopper(store.handler);
    const { csrf, attempt } = await openCheckout(shopper);
    const timedOut = await shopper.post("/checkout", {
      _csrf: csrf,
      attempt,
      email: shopperEmail,
      card: "tok_timeout",
    });
    assert.equal(timedOut.status, 503);
    const html = await timedOut.text();
    assert.match(html, /The payment network is not responding/);
    assert.match(html, /you have not been charged/);
    assert.equal(store.fake.payments.size, 0);
    assert.match(html, /value="tok_timeout" checked/);
  } finally {
    await store.close();
  }
});

Deno.test("a rate-limited checkout asks to wait, keeps its key and the retry pays once", async () => {
  const store = await startStoreHarness();
  try {
    const shopper = new Shopper(store.handler);
    const { csrf, attempt } = await openCheckout(shopper);
    store.fake.failNext("authorize", { code: "rate_limited", retryAfterSeconds: 7 });
    const limited = await shopper.post("/checkout", {
      _csrf: csrf,
      attempt,
      email: shopperEmail,
      card: "tok_visa",
    });
    assert.equal(limited.status, 429);
    assert.equal(limited.headers.get("retry-after"), "7");
    const html = await limited.text();
    assert.match(html, /Too many payment attempts/);
    assert.match(html, /wait 7 seconds/);
    assert.equal(fieldValue(html, "attempt"), attempt);
    const paid = await shopper.post("/checkout", {
      _csrf: csrf,
      attempt,
      email: shopperEmail,
      card: "tok_visa",
    });
    assert.equal(paid.status, 303);
    assert.equal(store.fake.payments.size, 1);
  } finally {
    await store.close();
  }
});

Deno.test("a checkout form from before a cart change is stale and pays nothing", async () => {
  const store = await startStoreHarness();
  try {
    const shopper = new Shopper(store.handler);
    const { csrf, attempt } = await openCheckout(shopper);
    await shopper.post("/cart/add", {
      _csrf: csrf,
      slug: "dyson-gen5",
      colour: "nickel-gold",
      quantity: "1",
    });
    const stale = await shopper.post("/checkout", {
      _csrf: csrf,
      attempt,
      email: shopperEmail,
      card: "tok_visa",
    });
    assert.equal(stale.status, 409);
    const html = await stale.text();
    assert.match(html, /Your cart changed/);
    assert.match(html, /₩2,980,000/);
    assert.equal(store.fake.authorizeCalls(), 0);
  } finally {
    await store.close();
  }
});

Deno.test("an unreachable gateway keeps the key so pressing Pay again is safe", async () => {
  const store = await startStoreHarness({ env: { GATEWAY_URL: "http://127.0.0.1:9" } });
  try {
    const shopper = new Shopper(store.handler);
    const { csrf, attempt } = await openCheckout(shopper);
    const failed = await shopper.post("/checkout", {
      _csrf: csrf,
      attempt,
      email: shopperEmail,
      card: "tok_visa",
    });
    assert.equal(failed.status, 503);
    const html = await failed.text();
    assert.match(html, /We could not confirm your payment/);
    assert.equal(fieldValue(html, "attempt"), attempt);
  } finally {
    await store.close();
  }
});

Deno.test("malformed checkout forms are 400s", async () => {
  const store = await startStoreHarness();
  try {
    const shopper = new Shopper(store.handler);
    const { csrf, attempt } = await openCheckout(shopper);
    for (
      const fields of [
        { attempt: "x", email: shopperEmail, card: "tok_visa" },
        { attempt, email: shopperEmail, card: "tok_amex" },
        { attempt, email: "not an email", card: "tok_visa" },
        { attempt, card: "tok_visa" },
        { attempt },
      ]
    ) {
      const response = await shopper.post(
        "/checkout",
        { _csrf: csrf, ...fields } as Record<string, string>,
      );
      assert.equal(response.status, 400, JSON.stringify(fields));
      await response.body?.cancel();
    }
    assert.equal(store.fake.authorizeCalls(), 0);
  } finally {
    await store.close();
  }
});
