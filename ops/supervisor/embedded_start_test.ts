/**
 * A fresh machine: `deno task start` with nothing but Deno. No PROFILE (the
 * embedded default), no STORAGE (the rows in DATA_DIR/platform.sqlite3), and
 * DB_PORT and REDIS_URL pointing at listeners that count connections (a
 * MariaDB or Redis that is "there" would be found and used by mistake; here
 * any attempt shows). A merchant's payments go through the gateway, the books
 * balance, `deno task reconcile` finds nothing to report, and everything
 * survives a restart of the whole platform.
 */
import assert from "node:assert/strict";
import { devApiKeyDefault } from "@pay/lib/config";
import { connectionCounter } from "@pay/lib/testing";
import type { PlatformPorts } from "./services.ts";
import { repoDataDir, repoRoot, startTestPlatform, type TestPlatform, until } from "./testing.ts";

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

/** The ops service's check of the books: every entry balances, payables match the payments. */
async function assertLedgerBalanced(ports: PlatformPorts, entries: number): Promise<void> {
  const check = await (await fetch(`http://127.0.0.1:${ports.ops}/api/ops/ledger/check`)).json();
  assert.deepEqual(
    [check.ok, check.entries, check.unbalancedEntries, check.payableMismatches],
    [true, entries, [], []],
    JSON.stringify(check),
  );
}

/**
 * `deno task reconcile --json` (the task as deno.json defines it, with its
 * permissions) on the platform's data folder and its pgsim.
 */
async function reconcile(
  env: Record<string, string>,
  ports: PlatformPorts,
): Promise<{ code: number; report: { clean: boolean; counts: Record<string, number> } }> {
  const { code, stdout, stderr } = await new Deno.Command(Deno.execPath(), {
    args: ["task", "--quiet", "reconcile", "--json"],
    cwd: repoRoot,
    env: { ...env, PG_URL: `http://127.0.0.1:${ports.pgsim}`, NO_COLOR: "1" },
    stdout: "piped",
    stderr: "piped",
  }).output();
  const out = new TextDecoder().decode(stdout);
  assert.ok(out.trim().startsWith("{"), `${out}${new TextDecoder().decode(stderr)}`);
  return { code, report: JSON.parse(out) };
}

Deno.test("a fresh machine: deno task start with no MariaDB and no Redis serves a merchant's payments, balances its books, reconciles clean and keeps everything across a restart", async () => {
  const mariadb = connectionCounter();
  const redis = connectionCounter();
  const dataDir = await repoDataDir("start_embedded_");
  const env = {
    DATA_DIR: dataDir,
    DB_HOST: "127.0.0.1",
    DB_PORT: new URL(mariadb.url).port,
    DB_SOCKET: "",
    REDIS_URL: redis.url,
  };
  let platform: TestPlatform | undefined;
  try {
    platform = await startTestPlatform("ops_start_embedded", { env });
    let { ports } = platform;
    const where =
      `profile embedded, data in ${dataDir}, rows in SQLite ${dataDir}/platform.sqlite3`;
    assert.ok(platform.output().includes(`[supervisor] ${where}\n`), platform.output());
    await assertAllReady(ports);

    // A: authorize → capture → a partial refund, through the gateway.
    const refunded = await authorize(ports, "embedded-start-a");
    const captured = await post(`${api(ports)}/capture/${refunded}`, {});
    assert.equal(captured.status, 202);
    await captured.body?.cancel();
    await paymentReaches(ports, refunded, "CAPTURED", 2);
    const firstRefund = await post(
      `${api(ports)}/refund/${refunded}`,
      { amount: 3000 },
      "embedded-start-r1",
    );
    assert.equal(firstRefund.status, 202, await firstRefund.clone().text());
    await firstRefund.body?.cancel();
    const before = await paymentReaches(ports, refunded, "PARTIALLY_REFUNDED", 4);
    assert.deepEqual([before.capturedAmount, before.refundedAmount], [10000, 3000]);
    // B: authorized now, captured after the restart (pgsim must still know its authorization).
    const capturedLater = await authorize(ports, "embedded-start-b");

    assert.equal(await platform.stop(), 0, platform.output().slice(-4000));
    platform = await startTestPlatform("ops_start_embedded", { env });
    ports = platform.ports;
    await assertAllReady(ports);

    const after = await paymentReaches(ports, refunded, "PARTIALLY_REFUNDED", 4);
    assert.deepEqual(after.ledger, before.ledger);
    const secondRefund = await post(
      `${api(ports)}/refund/${refunded}`,
      { amount: 7000 },
      "embedded-start-r2",
    );
    assert.equal(secondRefund.status, 202, await secondRefund.clone().text());
    await secondRefund.body?.cancel();
    const done = await paymentReaches(ports, refunded, "REFUNDED", 6);
    assert.deepEqual([done.capturedAmount, done.refundedAmount], [10000, 10000]);
    const capturedAfter = await post(`${api(ports)}/capture/${capturedLater}`, {});
    assert.equal(capturedAfter.status, 202, await capturedAfter.clone().text());
    await capturedAfter.body?.cancel();
    await paymentReaches(ports, capturedLater, "CAPTURED", 2);

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
    assert.equal(await metricSum(metrics, "ledger_events_total", 'result="posted"'), 2);
    assert.equal(await metricSum(metrics, "ledger_events_total", 'result="duplicate"') ?? 0, 0);
    assert.equal(await metricSum(metrics, "bus_epoch_changes_total"), 0);
    assert.equal(await metricSum(metrics, "outbox_replayed_total"), 0);

    // Two captures and two refunds: four entries, each balanced, payables as the payments say.
    await assertLedgerBalanced(ports, 4);
    const reconciled = await reconcile(env, ports);
    assert.equal(reconciled.code, 0, JSON.stringify(reconciled.report));
    assert.equal(reconciled.report.clean, true, JSON.stringify(reconciled.report));
    assert.equal(
      reconciled.report.counts.matched,
      4,
      "both captures and both refunds, at the PG too",
    );

    assert.equal(mariadb.count, 0, "no MariaDB connection was attempted");
    assert.equal(redis.count, 0, "no Redis connection was attempted");
  } finally {
    const running = platform;
    const code = running ? await running.stop() : 0;
    mariadb.close();
    redis.close();
    await Deno.remove(dataDir, { recursive: true }).catch(() => {});
    assert.equal(code, 0, running?.output().slice(-4000));
  }
});
