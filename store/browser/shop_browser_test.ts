/**
 * The shop in real headless Chromium (Debian's /usr/bin/chromium driven by
 * playwright-core; never a downloaded browser). Screenshots of every page go
 * to test-output/store/.
 *
 * By default the store runs in-process against the fake gateway. Point it at
 * real processes with GATEWAY_URL (the store runs in-process against that
 * gateway, with STORE_API_KEY) or STORE_E2E_URL (an already running store).
 */
import { chromiumExecutablePath, chromiumLaunchArgs } from "@pay/lib/testing";
import assert from "node:assert/strict";
import { readStoreConfig } from "@pay/lib/config";
import { buildIslands } from "../build/build_islands.ts";
import { createGatewayClient } from "../gateway/client.ts";
import { buildDir, buildPublicPath, createStoreApp, storeDir } from "../server/create_store.ts";
import { createMemoryState } from "../state/memory.ts";
import { type FakeGateway, startFakeGateway } from "../testing/fake_gateway.ts";
import { testApiKey } from "../testing/harness.ts";

// playwright-core probes a WSL file at load that only -A may read.
Deno.env.set("__IS_WSL_TEST__", "1");
const { chromium } = await import("playwright-core");
type Page = import("playwright-core").Page;

/** The fake settles captures and refunds after this long, so the timeline visibly moves. */
const fakeSettleDelayMs = 400;
/** Real workers settle within seconds; this bounds a wait, it is not a measured time. */
const statusWaitMs = 30_000;
/** STORE_SCREENSHOT_DIR lets the real-platform run keep its screenshots apart from the fake run's. */
const screenshotDir = Deno.env.get("STORE_SCREENSHOT_DIR")
  ? new URL(`file://${Deno.env.get("STORE_SCREENSHOT_DIR")!.replace(/\/?$/, "/")}`)
  : new URL("../../test-output/store/", import.meta.url);

interface Shop {
  readonly url: string;
  readonly fake?: FakeGateway;
  close(): Promise<void>;
}

async function startShop(): Promise<Shop> {
  const running = Deno.env.get("STORE_E2E_URL");
  if (running) return { url: running.replace(/\/$/, ""), close: () => Promise.resolve() };
  const realGateway = Deno.env.get("GATEWAY_URL");
  const fake = realGateway
    ? undefined
    : startFakeGateway({ apiKey: testApiKey, settle: { delayMs: fakeSettleDelayMs } });
  const config = readStoreConfig(
    fake
      ? { GATEWAY_URL: fake.url, STORE_API_KEY: testApiKey, STORE_STATUS_POLL_MS: "100" }
      : Deno.env.toObject(),
  );
  const { manifest } = await buildIslands({
    storeDir,
    outDir: buildDir,
    publicPath: buildPublicPath,
  });
  const state = createMemoryState(config.sessionTtlMs);
  const handler = await createStoreApp({
    config,
    state,
    islands: manifest,
    gateway: createGatewayClient({
      baseUrl: config.gatewayUrl,
      apiKey: config.apiKey,
      timeoutMs: config.gatewayTimeoutMs,
    }),
  });
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, handler);
  return {
    url: `http://127.0.0.1:${server.addr.port}`,
    fake,
    async close() {
      await server.shutdown();
      await fake?.close();
      await state.close();
    },
  };
}

async function requireChromium(): Promise<void> {
  try {
    await Deno.stat(chromiumExecutablePath);
  } catch {
    throw new Error(
      `Chromium is missing at ${chromiumExecutablePath}: install it with apt-get install -y chromium`,
    );
  }
}

async function screenshot(page: Page, name: string): Promise<void> {
  await Deno.mkdir(screenshotDir, { recursive: true });
  await page.screenshot({ path: new URL(`${name}.png`, screenshotDir).pathname, fullPage: true });
}

async function addToCart(page: Page, shop: Shop, slug: string, colour: string, quantity = 1) {
  await page.goto(`${shop.url}/products/${slug}`);
  await page.getByRole("button", { name: "One more" }).waitFor(); // hydrated
  await page.getByLabel(colour).check();
  for (let i = 1; i < quantity; i++) await page.getByRole("button", { name: "One more" }).click();
  await page.getByRole("button", { name: "Add to cart" }).click();
  await page.waitForURL(/\/cart/);
}

async function orderCount(page: Page, shop: Shop): Promise<number> {
  await page.goto(`${shop.url}/orders`);
  return await page.locator(".order-list__item").count();
}

/** The email every checkout here is paid with; the lookup step finds the order by it. */
const email = "jiwoo.kim@example.kr";

Deno.test("shoppers browse, pay, watch the capture settle and refund, in Chromium", async (t) => {
  await requireChromium();
  const shop = await startShop();
  const browser = await chromium.launch({
    executablePath: chromiumExecutablePath,
    args: [...chromiumLaunchArgs],
  });
  try {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    page.setDefaultTimeout(statusWaitMs);
    const violations: string[] = [];
    // Pages answered 402 or 503 on purpose (decline, PG timeout) are logged as failed loads.
    const expectedFailure = /^Failed to load resource: .* status of (402|503) /;
    page.on("console", (m) => {
      if (m.type() === "error" && !expectedFailure.test(m.text())) violations.push(m.text());
    });
    page.on("pageerror", (e) => violations.push(String(e)));

    await t.step("browse to a product and add two to the cart", async () => {
      await page.goto(shop.url);
      assert.equal(await page.locator("script").count(), 0, "the home page ships no JavaScript");
      await screenshot(page, "home");
      await page.getByRole("link", { name: /iPhone 16 Pro/ }).click();
      await page.getByRole("button", { name: "One more" }).waitFor();
      await page.getByLabel("Black Titanium").check();
      await page.getByRole("button", { name: "One more" }).click();
      await page.getByText("₩3,380,000").waitFor();
      assert.equal(
        await page.locator(".swatches__current").textContent(),
        "Colour: Black Titanium",
      );
      await screenshot(page, "product");
      await page.getByRole("button", { name: "Add to cart" }).click();
      await page.waitForURL(/\/cart/);
      await page.getByText("iPhone 16 Pro was added to your cart.").waitFor();
      assert.match(await page.locator(".summary__total").textContent() ?? "", /₩3,380,000/);
      await screenshot(page, "cart");
    });

    await t.step("pay and see the order reach CAPTURED without a reload", async () => {
      await page.getByRole("link", { name: "Go to checkout" }).click();
      await page.waitForURL(/\/checkout/);
      await page.getByLabel("Email").fill(email);
      await screenshot(page, "checkout");
      await page.getByRole("button", { name: "Pay ₩3,380,000" }).click();
      await page.waitForURL(/\/orders\/ord_/);
      await page.locator('.status-badge[data-status="CAPTURED"]').waitFor();
      await page.locator('.timeline__item[data-status="CAPTURED"]').waitFor();
      assert.match(
        await page.locator(".timeline").textContent() ?? "",
        /Payment completed · ₩3,380,000/,
      );
      assert.match(await page.locator("h1").textContent() ?? "", /^Order \d{8}-[0-9A-Z]{8}$/);
      assert.match(await page.locator(".eyebrow").first().textContent() ?? "", /GMT\+9$/);
      await screenshot(page, "order");
    });

    await t.step(
      "refund part of it: confirm, then the finished refund replaces the notice",
      async () => {
        assert.equal(await page.getByLabel("Amount to refund").inputValue(), "");
        await page.getByLabel("Amount to refund").fill("1,000,000");
        await page.getByLabel("Reason (optional)").fill("One phone returned");
        await page.getByRole("button", { name: "Review refund" }).click();
        await page.getByText("You are about to refund ₩1,000,000 to the card you paid with.")
          .waitFor();
        await screenshot(page, "order-refund-confirm");
        await page.getByRole("button", { name: "Confirm refund" }).click();
        // "Requested" shows only while the refund is in flight, which may end before the page
        // is shown (orders_test.ts checks the hand-over step by step); the end state is certain.
        await page.locator('.status-badge[data-status="PARTIALLY_REFUNDED"]').waitFor();
        await page.getByText("Refund completed: ₩1,000,000 goes back to the card you paid with.")
          .waitFor();
        assert.equal(await page.getByText("Your refund was requested.").count(), 0);
        assert.match(
          await page.locator(".timeline").textContent() ?? "",
          /Partial refund completed · ₩1,000,000/,
        );
        assert.match(await page.locator(".amounts").textContent() ?? "", /Refunded₩1,000,000/);
        await screenshot(page, "order-refunded");
      },
    );

    await t.step("another browser finds the order by its number and email", async () => {
      const orderUrl = page.url().split("?")[0]!;
      const number = (await page.locator("h1").textContent() ?? "").replace("Order ", "");
      const other = await browser.newContext();
      const elsewhere = await other.newPage();
      elsewhere.setDefaultTimeout(statusWaitMs);
      await elsewhere.goto(`${shop.url}/orders`);
      await elsewhere.getByRole("link", { name: "Find an order" }).click();
      await elsewhere.getByLabel("Order number").fill(number.toLowerCase());
      await elsewhere.getByLabel("Email").fill(email);
      await screenshot(elsewhere, "order-lookup");
      await elsewhere.getByRole("button", { name: "Find order" }).click();
      await elsewhere.waitForURL(orderUrl);
      await elsewhere.locator('.status-badge[data-status="PARTIALLY_REFUNDED"]').waitFor();
      await other.close();
    });

    await t.step("a declined card says so, and another card then pays", async () => {
      const paymentsBefore = shop.fake?.payments.size ?? 0;
      await addToCart(page, shop, "balmuda-air-purifier", "Gray");
      await page.goto(`${shop.url}/checkout`);
      await page.getByLabel("Email").fill(email);
      await page.getByLabel("Test card that is declined").check();
      await page.getByRole("button", { name: "Pay ₩849,000" }).click();
      await page.getByRole("alert").getByText("Your card was declined").waitFor();
      await screenshot(page, "checkout-declined");
      if (shop.fake) {
        assert.equal(shop.fake.payments.size, paymentsBefore + 1);
        assert.equal([...shop.fake.payments.values()].at(-1)!.status, "AUTH_FAILED");
      }
      await page.getByLabel("Test card whose bank times out").check();
      await page.getByRole("button", { name: "Pay ₩849,000" }).click();
      await page.getByRole("alert").getByText("The payment network is not responding").waitFor();
      await page.getByLabel("Visa test card: approved").check();
      await page.getByRole("button", { name: "Pay ₩849,000" }).click();
      await page.waitForURL(/\/orders\/ord_/);
      await page.locator('.status-badge[data-status="CAPTURED"]').waitFor();
    });

    await t.step("submitting one checkout twice pays once", async () => {
      const before = await orderCount(page, shop);
      const paymentsBefore = shop.fake?.payments.size ?? 0;
      await addToCart(page, shop, "breville-barista-pro", "Sea Salt");
      await page.goto(`${shop.url}/checkout`);
      await page.getByLabel("Email").fill(email);
      // Two posts of the same form at once, as a double click without the button's guard would send.
      const landed = await page.evaluate(async () => {
        const form = document.querySelector<HTMLFormElement>("#checkout-form")!;
        const send = () =>
          fetch(form.action, {
            method: "POST",
            body: new URLSearchParams(new FormData(form) as never),
          })
            .then((r) => r.url);
        return await Promise.all([send(), send()]);
      });
      assert.equal(landed[0], landed[1]);
      assert.match(landed[0]!, /\/orders\/ord_/);
      assert.equal(await orderCount(page, shop), before + 1);
      if (shop.fake) assert.equal(shop.fake.payments.size, paymentsBefore + 1);

      await addToCart(page, shop, "dyson-gen5", "Purple");
      await page.goto(`${shop.url}/checkout`);
      await page.getByLabel("Email").fill(email);
      await page.getByRole("button", { name: /^Pay / }).dblclick();
      await page.waitForURL(/\/orders\/ord_/);
      assert.equal(await orderCount(page, shop), before + 2);
    });

    await t.step("shopping and paying work with JavaScript turned off", async () => {
      const plain = await browser.newContext({ javaScriptEnabled: false });
      const noJs = await plain.newPage();
      noJs.setDefaultTimeout(statusWaitMs);
      await noJs.goto(`${shop.url}/products/ipad-pro-13`);
      await noJs.getByLabel("Silver").check();
      await noJs.getByLabel("Quantity").fill("2");
      await noJs.getByRole("button", { name: "Add to cart" }).click();
      await noJs.getByText("₩3,680,000").first().waitFor();
      await noJs.getByRole("link", { name: "Go to checkout" }).click();
      await noJs.getByLabel("Email").fill(email);
      await noJs.getByRole("button", { name: "Pay ₩3,680,000" }).click();
      await noJs.waitForURL(/\/orders\/ord_/);
      await noJs.locator(".status-badge").waitFor();
      const deadline = Date.now() + statusWaitMs;
      while (await noJs.locator('.status-badge[data-status="CAPTURED"]').count() === 0) {
        if (Date.now() > deadline) throw new Error("The order never showed CAPTURED on reload");
        await noJs.getByRole("link", { name: "Reload to refresh the payment status" }).click();
      }
      await plain.close();
    });

    await t.step("pages work on a phone-sized screen", async () => {
      const phone = await browser.newContext({ viewport: { width: 390, height: 844 } });
      const small = await phone.newPage();
      await small.goto(`${shop.url}/products/galaxy-s25-ultra`);
      await small.getByRole("button", { name: "Add to cart" }).waitFor();
      await screenshot(small, "product-phone");
      const overflow = await small.evaluate(() =>
        document.documentElement.scrollWidth - document.documentElement.clientWidth
      );
      assert.equal(overflow, 0, "no horizontal scrolling on a phone");
      await phone.close();
    });

    await t.step("a Korean browser shops, pays and refunds in Korean", async () => {
      const korean = await browser.newContext({
        locale: "ko-KR",
        viewport: { width: 1280, height: 900 },
      });
      const ko = await korean.newPage();
      ko.setDefaultTimeout(statusWaitMs);
      ko.on("pageerror", (e) => violations.push(String(e)));
      await ko.goto(shop.url);
      assert.equal(await ko.locator("html").getAttribute("lang"), "ko");
      await ko.getByRole("heading", { name: "잘 고른 물건, 결제는 한 번에." }).waitFor();
      await screenshot(ko, "home-ko");
      await ko.getByRole("link", { name: /iPhone 16 Pro/ }).click();
      await ko.getByRole("button", { name: "수량 늘리기" }).waitFor();
      await ko.getByLabel("블랙 티타늄").check();
      await ko.getByRole("button", { name: "수량 늘리기" }).click();
      await ko.getByText("3,380,000원").first().waitFor();
      assert.equal(await ko.locator(".swatches__current").textContent(), "색상: 블랙 티타늄");
      await screenshot(ko, "product-ko");
      await ko.getByRole("button", { name: "장바구니 담기" }).click();
      await ko.getByText("iPhone 16 Pro 상품을 장바구니에 담았습니다.").waitFor();
      await screenshot(ko, "cart-ko");
      await ko.getByRole("link", { name: "주문하기" }).click();
      await ko.getByLabel("이메일").fill(email);
      await screenshot(ko, "checkout-ko");
      await ko.getByRole("button", { name: "3,380,000원 결제하기" }).click();
      await ko.waitForURL(/\/orders\/ord_/);
      await ko.locator('.status-badge[data-status="CAPTURED"]').waitFor();
      assert.equal(await ko.locator(".status-badge").textContent(), "결제 상태:결제 완료");
      assert.match(await ko.locator(".timeline").textContent() ?? "", /결제 완료 · 3,380,000원/);
      assert.match(await ko.locator("h1").textContent() ?? "", /^주문번호 \d{8}-[0-9A-Z]{8}$/);
      assert.match(await ko.locator(".eyebrow").first().textContent() ?? "", /^주문일시 .*GMT\+9$/);
      await screenshot(ko, "order-ko");
      await ko.getByLabel("환불 금액").fill("1000000");
      await ko.getByRole("button", { name: "환불 요청" }).click();
      await ko.getByText("결제하신 카드로 1,000,000원 환불을 요청합니다.").waitFor();
      await screenshot(ko, "order-refund-confirm-ko");
      await ko.getByRole("button", { name: "환불하기" }).click();
      await ko.locator('.status-badge[data-status="PARTIALLY_REFUNDED"]').waitFor();
      await ko.getByText("환불이 완료되었습니다. 결제하신 카드로 1,000,000원을 돌려드립니다.")
        .waitFor();
      assert.match(
        await ko.locator(".timeline").textContent() ?? "",
        /부분 환불 완료 · 1,000,000원/,
      );
      await screenshot(ko, "order-refunded-ko");
      await ko.goto(`${shop.url}/orders`);
      await screenshot(ko, "orders-ko");

      await ko.goto(`${shop.url}/products/balmuda-air-purifier`);
      await ko.getByLabel("그레이").check();
      await ko.getByRole("button", { name: "장바구니 담기" }).click();
      await ko.getByRole("link", { name: "주문하기" }).click();
      await ko.getByLabel("이메일").fill(email);
      await ko.getByLabel("승인이 거절되는 테스트 카드").check();
      await ko.getByRole("button", { name: /결제하기$/ }).click();
      await ko.getByRole("alert").getByText("카드 승인이 거절되었습니다").waitFor();
      await screenshot(ko, "checkout-declined-ko");

      // Switching to English is remembered although the browser still asks for Korean.
      await ko.getByRole("link", { name: "English" }).click();
      await ko.getByRole("heading", { name: "Checkout" }).waitFor();
      await ko.goto(`${shop.url}/cart`);
      assert.equal(await ko.locator("html").getAttribute("lang"), "en");
      await korean.close();
    });

    assert.deepEqual(violations, [], "no console errors or CSP violations");
    await context.close();
  } finally {
    await browser.close();
    await shop.close();
  }
});
