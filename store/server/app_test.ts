import assert from "node:assert/strict";
import {
  fieldValue,
  placeOrder,
  scriptTags,
  Shopper,
  startStoreHarness,
} from "../testing/harness.ts";

Deno.test("every page carries a CSP without inline scripts and the other security headers", async () => {
  const store = await startStoreHarness();
  try {
    const shopper = new Shopper(store.handler);
    for (const path of ["/", "/products/ipad-pro-13", "/cart", "/nowhere", "/static/styles.css"]) {
      const response = await shopper.get(path);
      await response.body?.cancel();
      const csp = response.headers.get("content-security-policy") ?? "";
      assert.match(csp, /script-src 'self'(;|$)/, path);
      assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/, path);
      assert.match(csp, /frame-ancestors 'none'/, path);
      assert.equal(response.headers.get("x-content-type-options"), "nosniff", path);
      assert.equal(response.headers.get("referrer-policy"), "same-origin", path);
    }
  } finally {
    await store.close();
  }
});

Deno.test("pages without islands ship no JavaScript; pages with islands load only their modules", async () => {
  const store = await startStoreHarness();
  try {
    const shopper = new Shopper(store.handler);
    const home = await shopper.page("/");
    assert.deepEqual(scriptTags(home.html), []);
    assert.doesNotMatch(home.html, /modulepreload|<store-island/);
    const cart = await shopper.page("/cart");
    assert.deepEqual(scriptTags(cart.html), []);
    const product = await shopper.page("/products/iphone-16-pro");
    assert.deepEqual(scriptTags(product.html), [
      '<script type="module" src="/static/build/AddToCart-stub.js">',
    ]);
    assert.match(product.html, /<store-island data-island="AddToCart" data-props="\{/);
  } finally {
    await store.close();
  }
});

Deno.test("the session cookie is signed, HttpOnly and SameSite=Lax", async () => {
  const store = await startStoreHarness();
  try {
    const response = await store.handler(new Request("http://store.test/"));
    await response.body?.cancel();
    const cookie = response.headers.get("set-cookie") ?? "";
    assert.match(cookie, /^store_sid=[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43};/);
    assert.match(cookie, /HttpOnly/);
    assert.match(cookie, /SameSite=Lax/);
  } finally {
    await store.close();
  }
});

Deno.test("a form without the session's CSRF token is refused and changes nothing", async () => {
  const store = await startStoreHarness();
  try {
    const shopper = new Shopper(store.handler);
    const { csrf } = await shopper.page("/products/iphone-16-pro");
    assert.ok(csrf.length > 20);
    const fields = { slug: "iphone-16-pro", colour: "black-titanium", quantity: "1" };

    const missing = await shopper.post("/cart/add", fields);
    assert.equal(missing.status, 403);
    assert.match(await missing.text(), /This form has expired/);

    const other = new Shopper(store.handler);
    const { csrf: othersToken } = await other.page("/products/iphone-16-pro");
    const forged = await shopper.post("/cart/add", { ...fields, _csrf: othersToken });
    assert.equal(forged.status, 403);
    await forged.body?.cancel();

    assert.doesNotMatch((await shopper.page("/cart")).html, /iPhone 16 Pro/);
    const accepted = await shopper.post("/cart/add", { ...fields, _csrf: csrf });
    assert.equal(accepted.status, 303);
  } finally {
    await store.close();
  }
});

Deno.test("cart forms add, merge, update and remove lines with totals in won", async () => {
  const store = await startStoreHarness();
  try {
    const shopper = new Shopper(store.handler);
    const { csrf } = await shopper.page("/products/iphone-16-pro");
    const add = (slug: string, colour: string, quantity: string) =>
      shopper.post("/cart/add", { _csrf: csrf, slug, colour, quantity });
    assert.equal(
      (await add("iphone-16-pro", "black-titanium", "1")).headers.get("location"),
      "/cart?added=iphone-16-pro",
    );
    await add("iphone-16-pro", "black-titanium", "1");
    await add("breville-barista-pro", "sea-salt", "1");
    let cart = await shopper.page("/cart?added=breville-barista-pro");
    assert.match(cart.html, /Breville Barista Pro was added to your cart/);
    assert.match(cart.html, /₩3,380,000/); // 2 x 1,690,000
    assert.match(cart.html, /₩4,470,000/); // + 1,090,000
    assert.match(cart.html, /class="cart-link__count" aria-hidden="true">3</);

    await shopper.post("/cart", {
      _csrf: csrf,
      intent: "update",
      slug: "iphone-16-pro",
      colour: "black-titanium",
      quantity: "3",
    });
    cart = await shopper.page("/cart");
    assert.match(cart.html, /₩6,160,000/); // 3 x 1,690,000 + 1,090,000

    await shopper.post("/cart", {
      _csrf: csrf,
      intent: "remove",
      slug: "iphone-16-pro",
      colour: "black-titanium",
    });
    cart = await shopper.page("/cart");
    assert.doesNotMatch(cart.html, /iPhone 16 Pro/);
    assert.match(cart.html, /₩1,090,000/);
  } finally {
    await store.close();
  }
});

Deno.test("bad cart input is a 400 page, never a 500", async () => {
  const store = await startStoreHarness();
  try {
    const shopper = new Shopper(store.handler);
    const { csrf } = await shopper.page("/products/iphone-16-pro");
    const cases = [
      { slug: "iphone-16-pro", colour: "black-titanium", quantity: "11" },
      { slug: "iphone-16-pro", colour: "black-titanium", quantity: "-1" },
      { slug: "iphone-16-pro", colour: "gold", quantity: "1" },
      { slug: "pixel-9", colour: "black", quantity: "1" },
      { slug: "iphone-16-pro", colour: "black-titanium" },
    ];
    for (const fields of cases) {
      const response = await shopper.post(
        "/cart/add",
        { _csrf: csrf, ...fields } as Record<string, string>,
      );
      assert.equal(response.status, 400, JSON.stringify(fields));
      assert.match(await response.text(), /role="alert"/);
    }
    const json = await shopper.get("/products/pixel-9", { accept: "application/json" });
    assert.equal(json.status, 404);
    assert.equal(json.headers.get("content-type"), "application/problem+json");
    assert.equal((await json.json()).code, "not_found");
    const put = await store.handler(new Request("http://store.test/cart", { method: "PUT" }));
    assert.equal(put.status, 405);
    assert.equal(put.headers.get("allow"), "GET, HEAD, POST");
    await put.body?.cancel();
  } finally {
    await store.close();
  }
});

Deno.test("a form that is not url-encoded or too large is refused", async () => {
  const store = await startStoreHarness();
  try {
    const shopper = new Shopper(store.handler);
    const { csrf } = await shopper.page("/products/iphone-16-pro");
    const json = await store.handler(
      new Request("http://store.test/cart/add", {
        method: "POST",
        headers: { "content-type": "application/json", cookie: `store_sid=${shopper.cookie}` },
        body: "{}",
      }),
    );
    assert.equal(json.status, 415);
    await json.body?.cancel();
    const huge = await shopper.post("/cart/add", { _csrf: csrf, slug: "x".repeat(10_000) });
    assert.equal(huge.status, 413);
    await huge.body?.cancel();
  } finally {
    await store.close();
  }
});

Deno.test("static files are served with types and cache headers; unknown ones are 404", async () => {
  const store = await startStoreHarness();
  try {
    const css = await store.handler(new Request("http://store.test/static/styles.css"));
    assert.equal(css.headers.get("content-type"), "text/css; charset=utf-8");
    assert.match(css.headers.get("cache-control") ?? "", /max-age=3600/);
    await css.body?.cancel();
    const svg = await store.handler(
      new Request("http://store.test/static/images/iphone-16-pro.svg"),
    );
    assert.equal(svg.headers.get("content-type"), "image/svg+xml");
    await svg.body?.cancel();
    for (const path of ["/static/../deno.json", "/static/%2e%2e/main.ts", "/static/nothing.css"]) {
      const response = await store.handler(new Request(`http://store.test${path}`));
      assert.equal(response.status, 404, path);
      await response.body?.cancel();
    }
    assert.equal(fieldValue('<input name="a" value="b&amp;c">', "a"), "b&c");
  } finally {
    await store.close();
  }
});

Deno.test("health, readiness and metrics answer for operators", async () => {
  const store = await startStoreHarness();
  try {
    const shopper = new Shopper(store.handler);
    await placeOrder(shopper);
    const health = await store.handler(new Request("http://store.test/health"));
    assert.deepEqual(await health.json(), { status: "ok" });
    const ready = await store.handler(new Request("http://store.test/ready"));
    assert.equal(ready.status, 200);
    assert.equal((await ready.json()).state, "ok");
    const metrics = await (await store.handler(new Request("http://store.test/metrics"))).text();
    assert.match(metrics, /store_checkout_outcomes_total\{outcome="paid",service="store"\} 1/);
    assert.match(
      metrics,
      /store_http_requests_total\{route="\/checkout",method="POST",status="303",service="store"\} 1/,
    );
    assert.match(
      metrics,
      /store_http_request_duration_seconds_bucket\{le="0.5",service="store",route="\/products\/:slug"\}/,
    );
  } finally {
    await store.close();
  }
});
