import { chromiumExecutablePath, chromiumLaunchArgs, fixtureWrite } from "@pay/lib/testing";
import assert from "node:assert/strict";
import { chromium } from "playwright-core";
import { topics } from "@pay/lib/domain";
import { createRegistry } from "@pay/lib/metrics";
import { archiveDlqMessage } from "@pay/workers/dlq";
import { buildOpsApp } from "../app.ts";
import {
  insertPayment,
  metricsText,
  type OpsHarness,
  opsHarness,
  postCapture,
} from "../testing/harness.ts";

const token = "browser-test-token-0123456789abcdef";
const screenshotDir = new URL("../../test-output/ops/", import.meta.url).pathname;

/** Scrapes with changing traffic so the overview's charts have a shape. */
async function seedMetrics(h: OpsHarness): Promise<void> {
  let ok = 0;
  let failed = 0;
  let fast = 0;
  let slow = 0;
  let state = 0;
  h.network.metrics("ingest-1.test:8181", () =>
    metricsText({
      breaker: "pg-authorize",
      state,
      calls: { success: ok, failure: failed },
      requests: [{ status: 201, count: ok }, { status: 503, count: failed }],
      buckets: [["0.01", fast], ["0.1", fast + slow], ["+Inf", fast + slow]],
    }));
  for (let i = 0; i < 24; i++) {
    const load = 40 + Math.round(30 * Math.sin(i / 3));
    ok += load * 5;
    failed += i > 16 ? 20 + i : 1;
    fast += load * 4;
    slow += load + (i > 16 ? 60 : 5);
    state = i > 20 ? 1 : 0;
    await h.ctx.sampler.scrapeAll();
    h.tick(5_000);
  }
}

async function seedData(h: OpsHarness): Promise<string> {
  const pool = h.db.pool;
  const captured = await insertPayment(pool, {
    status: "CAPTURED",
    amount: 25_000,
    capturedAmount: 25_000,
  });
  await postCapture(pool, captured, 25_000);
  await fixtureWrite(
    pool,
    `INSERT INTO payment_event (payment_id, from_status, to_status, amount, request_id, created_at)
     VALUES (?, 'AUTHORIZED', 'CAPTURE_REQUESTED', 25000, 'cap_1', NOW(3)), (?, 'CAPTURE_REQUESTED', 'CAPTURED', 25000, 'cap_1', NOW(3))`,
    captured.id,
    captured.id,
  );
  await insertPayment(pool, { currency: "USD", amount: 1_999 });
  await insertPayment(pool, { status: "AUTH_FAILED", amount: 5_000 });
  await fixtureWrite(
    pool,
    `INSERT INTO outbox_event (event_id, aggregate_id, topic, payload, status, attempts, next_attempt_at, last_error, created_at)
     VALUES ('evt_dead1', ?, 'payment.captured', '{}', 'DEAD', 20, NOW(3), 'Redis bus is not reachable', NOW(3)),
            ('evt_new1', ?, 'payment.authorized', '{}', 'NEW', 0, NOW(3), NULL, ?)`,
    captured.id,
    captured.id,
    new Date(Date.now() - 40_000),
  );
  for (const [i, topic] of [[1, topics.captured], [2, topics.refundRequested]] as const) {
    await archiveDlqMessage(pool, {
      topic: topics.dlq,
      key: captured.id,
      value: JSON.stringify({
        originalTopic: topic,
        partition: 0,
        offset: `${i}-0`,
        payload: JSON.stringify({ eventId: `evt_${i}`, paymentId: captured.id, amount: 25_000 }),
        errorType: "PgUnavailableError",
        errorMessage: "PG answered 503 to capture",
        timestamp: new Date().toISOString(),
      }),
      headers: { dlqId: `d-${i}`, eventId: `evt_${i}` },
      partition: 0,
      offset: `${i}-0`,
      deliveryCount: 1,
    });
  }
  const date = "2030-01-15";
  h.reports.set(date, {
    date,
    captures: [{
      pgId: "pgc_9",
      idempotencyKey: "cap_only_at_pg",
      authorizationId: "pga_9",
      reference: "ref",
      amount: 7_000,
      currency: "KRW",
      at: `${date}T09:00:00Z`,
    }],
    refunds: [],
  });
  return captured.id;
}

Deno.test("the console works in Chromium: pages, login, DLQ replay and reconciliation", async () => {
  await Deno.mkdir(screenshotDir, { recursive: true });
  const h = await opsHarness("ops_console_browser");
  const app = buildOpsApp({
    ctx: h.ctx,
    registry: createRegistry("ops"),
    token,
    refreshSeconds: 3_600,
  });
  const server = Deno.serve({ port: 0, hostname: "127.0.0.1", onListen: () => {} }, app.fetch);
  const base = `http://127.0.0.1:${server.addr.port}`;
  const browser = await chromium.launch({
    executablePath: chromiumExecutablePath,
    args: [...chromiumLaunchArgs],
  });
  try {
    await seedMetrics(h);
    const paymentId = await seedData(h);
    const page = await browser.newPage({ viewport: { width: 1360, height: 900 } });
    const shot = (name: string) =>
      page.screenshot({ path: `${screenshotDir}${name}.png`, fullPage: true });

    await page.goto(`${base}/`);
    assert.equal(await page.locator("svg.chart").count(), 6, "three charts per service");
    assert.match(await page.locator("main").innerText(), /outbox DEAD/);
    await shot("01-overview");

    await page.goto(`${base}/payments`);
    await page.selectOption("select[name=status]", "CAPTURED");
    await page.click("form.inline button[type=submit]");
    assert.equal(await page.locator("tbody tr").count(), 1);
    await shot("02-payments");
    await page.click(`a[href="/payments/${paymentId}"]`);
    assert.match(await page.locator("ol.timeline").innerText(), /CAPTURE_REQUESTED → CAPTURED/);
    assert.match(await page.locator("main").innerText(), /merchant_payable:M123/);
    await shot("03-payment-detail");

    await page.goto(`${base}/dlq`);
    assert.match(await page.locator("main").innerText(), /Log in/);
    await page.goto(`${base}/login`);
    await page.fill("input[name=token]", token);
    await page.click("button[type=submit]");
    await page.waitForURL(`${base}/?notice=Logged+in`);
    await page.goto(`${base}/dlq`);
    await shot("04-dlq");
    await page.check("input[name=ids] >> nth=0");
    await page.click("text=Replay selected");
    await page.waitForURL(/\/dlq\?notice=/);
    assert.match(await page.locator(".notice").innerText(), /Replayed 1 dead letter/);
    await shot("05-dlq-replayed");

    await page.goto(`${base}/outbox`);
    await shot("06-outbox");
    await page.goto(`${base}/breakers`);
    assert.match(await page.locator("main").innerText(), /pg-authorize/);
    await shot("07-breakers");
    // The rate-limits page with a Redis's buckets: ops/operations/redis_ops_test.ts.
    await page.goto(`${base}/rate-limits`);
    assert.match(
      await page.locator("main").innerText(),
      /Not applicable in the embedded profile: rate limits live in each gateway process/,
    );
    await shot("08-rate-limits");

    await page.goto(`${base}/reconciliation`);
    await page.fill("input[name=date]", "2030-01-15");
    await page.click("text=Run reconciliation now");
    await page.waitForURL(/\/reconciliation\?notice=/);
    assert.match(await page.locator(".notice").innerText(), /mismatches found/);
    assert.match(await page.locator("main").innerText(), /cap_only_at_pg/);
    await shot("09-reconciliation");

    await page.goto(`${base}/ledger?paymentId=${paymentId}`);
    assert.match(await page.locator("main").innerText(), /balanced/);
    await shot("10-ledger");

    // The same console in Korean, for an operator whose browser asks for it.
    const korean = await browser.newContext({
      locale: "ko-KR",
      viewport: { width: 1360, height: 900 },
    });
    const ko = await korean.newPage();
    const shotKo = (name: string) =>
      ko.screenshot({ path: `${screenshotDir}${name}.png`, fullPage: true });
    await ko.goto(`${base}/`);
    assert.equal(await ko.locator("html").getAttribute("lang"), "ko");
    assert.match(await ko.locator("main").innerText(), /아웃박스 DEAD/);
    await shotKo("11-overview-ko");
    await ko.goto(`${base}/payments/${paymentId}`);
    assert.match(await ko.locator("main").innerText(), /매입 금액/);
    assert.match(await ko.locator("main").innerText(), /원/);
    assert.match(await ko.locator("main").innerText(), /GMT\+9/);
    await shotKo("12-payment-detail-ko");
    await ko.goto(`${base}/reconciliation`);
    assert.match(await ko.locator("main").innerText(), /최근 실행/);
    await shotKo("13-reconciliation-ko");
    await ko.getByRole("link", { name: "English" }).click();
    await ko.waitForURL(/lang=en/);
    await ko.goto(`${base}/outbox`);
    assert.equal(await ko.locator("h1").innerText(), "Outbox");
    await korean.close();
  } finally {
    await browser.close();
    await server.shutdown();
    await h.close();
  }
});
