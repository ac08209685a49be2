/**
 * `PROFILE=embedded deno task start`: the real supervisor, every service with
 * its real permissions, REDIS_URL pointing at a listener that counts
 * connections (a Redis that is "there" would be found and used by mistake).
 * MariaDB is still needed until the SQLite storage adapter lands.
 */
import assert from "node:assert/strict";
import { devApiKeyDefault } from "@pay/lib/config";
import { connectionCounter, freshTestDatabase } from "@pay/lib/testing";
import type { PlatformPorts } from "./services.ts";
import { startTestPlatform, type TestPlatform, until } from "./testing.ts";

/** Settlement and ledger postings take well under a second; this only bounds the wait. */
const settledDeadlineMs = 30_000;

const headers = { authorization: `Bearer ${devApiKeyDefault}`, "content-type": "application/json" };

function api(ports: PlatformPorts): string {
  return `http://127.0.0.1:${ports.gateway}/api/payments`;
}

async function post(url: string, body: unknown, idempotencyKey?: string): Promise<Response> {
  return await fetch(url, {
    method: "POST",
    headers: idempotencyKey ? { ...headers, "idempotency-key": idempotencyKey } : headers,
    body: JSON.stringify(body),
  });
}

interface PaymentView {
  readonly paymentId: string;
  readonly status: string;
  readonly capturedAmount: number;
  readonly refundedAmount: number;
  readonly ledger: ReadonlyArray<{ entryType: string; direction: string; amount: number }>;
}

async function authorize(ports: PlatformPorts, key: string): Promise<string> {
  const res = await post(
    `${api(ports)}/authorize`,
    { merchantId: "M123", amount: 10000, currency: "KRW" },
    key,
  );
  const body = await res.json();
  assert.equal(res.status, 201, JSON.stringify(body));
  return body.paymentId;
}

function paymentReaches(
  ports: PlatformPorts,
  paymentId: string,
  status: string,
  ledgerRows: number,
): Promise<PaymentView> {
  return until(
    `${paymentId} ${status} with ${ledgerRows} ledger rows`,
    settledDeadlineMs,
    async () => {
      const got: PaymentView = await (await fetch(`${api(ports)}/${paymentId}`, { headers }))
        .json();
      return got.status === status && got.ledger.length === ledgerRows ? got : undefined;
    },
  );
}

/** Every service's /ready answers 200: none waits for a Redis it does not have. */
async function assertAllReady(ports: PlatformPorts): Promise<void> {
  const all = [ports.pgsim, ...ports.ingest, ports.gateway, ports.workers, ports.store, ports.ops];
  for (const port of all) {
    const res = await fetch(`http://127.0.0.1:${port}/ready`);
    const body = await res.text();
    assert.equal(res.status, 200, `:${port}/ready ${body}`);
    assert.doesNotMatch(body, /redis/i, `:${port}/ready ${body}`);
  }
}

/** The sum of a Prometheus metric's samples whose labels contain `labels`; undefined without any. */
async function metricSum(url: string, name: string, labels = ""): Promise<number | undefined> {
  const text = await (await fetch(url)).text();
  const samples = text.split("\n")
    .filter((line) => line.startsWith(`${name}{`) || line.startsWith(`${name} `))
    .filter((line) => line.includes(labels));
  if (samples.length === 0) return undefined;
  return samples.reduce((sum, line) => sum + Number(line.slice(line.lastIndexOf(" ") + 1)), 0);
}

Deno.test("PROFILE=embedded deno task start: every service ready without Redis, a payment settles, refunds and survives a restart of the whole platform", async () => {
  const redis = connectionCounter();
  const db = await freshTestDatabase("ops_start_embedded");
  await db.close();
  const dataDir = await Deno.makeTempDir({ prefix: "start_embedded_" });
  const env = {
    PROFILE: "embedded",
    DATA_DIR: dataDir,
    DB_NAME: db.config.database,
    REDIS_URL: redis.url,
  };
  let platform: TestPlatform | undefined;
  try {
    platform = await startTestPlatform("ops_start_embedded", { env });
    let { ports } = platform;
    assert.match(
      platform.output(),
      new RegExp(`\\[supervisor\\] profile embedded, data in ${dataDir}\\n`),
    );
    await assertAllReady(ports);

    // A: authorize → capture → partial refund, through the gateway.
    const settled = await authorize(ports, "embedded-start-a");
    const captured = await post(`${api(ports)}/capture/${settled}`, {});
    assert.equal(captured.status, 202);
    await captured.body?.cancel();
    await paymentReaches(ports, settled, "CAPTURED", 2);
    const refunded = await post(
      `${api(ports)}/refund/${settled}`,
      { amount: 3000 },
      "embedded-start-r",
    );
    assert.equal(refunded.status, 202, await refunded.clone().text());
    await refunded.body?.cancel();
    const before = await paymentReaches(ports, settled, "PARTIALLY_REFUNDED", 4);
    assert.deepEqual([before.capturedAmount, before.refundedAmount], [10000, 3000]);
    // B: authorized now, captured after the restart (pgsim must still know its authorization).
    const authorizedOnly = await authorize(ports, "embedded-start-b");

    assert.equal(await platform.stop(), 0, platform.output().slice(-4000));
    platform = await startTestPlatform("ops_start_embedded", { env });
    ports = platform.ports;
    await assertAllReady(ports);

    const after = await paymentReaches(ports, settled, "PARTIALLY_REFUNDED", 4);
    assert.deepEqual(after.ledger, before.ledger);
    const capturedAfter = await post(`${api(ports)}/capture/${authorizedOnly}`, {});
    assert.equal(capturedAfter.status, 202, await capturedAfter.clone().text());
    await capturedAfter.body?.cancel();
    await paymentReaches(ports, authorizedOnly, "CAPTURED", 2);

    // The bus kept its position and its epoch: nothing from before the restart came again.
    const metrics = `http://127.0.0.1:${ports.workers}/metrics`;
    await until(
      "the ledger group to catch up",
      settledDeadlineMs,
      async () =>
        await metricSum(metrics, "bus_consumer_lag_messages", 'group="ledger"') === 0
          ? true
          : undefined,
    );
    assert.equal(await metricSum(metrics, "ledger_events_total", 'result="posted"'), 1);
    assert.equal(await metricSum(metrics, "ledger_events_total", 'result="duplicate"') ?? 0, 0);
    assert.equal(await metricSum(metrics, "bus_epoch_changes_total"), 0);
    assert.equal(await metricSum(metrics, "outbox_replayed_total"), 0);

    assert.equal(redis.count, 0, "no Redis connection was attempted");
  } finally {
    const running = platform;
    const code = running ? await running.stop() : 0;
    redis.close();
    await Deno.remove(dataDir, { recursive: true }).catch(() => {});
    assert.equal(code, 0, running?.output().slice(-4000));
  }
});
