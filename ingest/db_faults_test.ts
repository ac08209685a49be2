/**
 * MariaDB failing under ingest: its server killed, a refused login. Every
 * request is a 503 with no driver text. (SQLite, one file in the process,
 * has neither a server to lose nor a login.)
 */
// test-needs: mariadb
import assert from "node:assert/strict";
import { createPool, migrate } from "@pay/lib/db";
import { newPaymentId } from "@pay/lib/domain";
import { freshMariaDatabase, privateMariaDb } from "@pay/lib/testing";
import { type IngestHarness, ingestHarness } from "./testing/harness.ts";

const body = { merchantId: "M123", amount: 10000, currency: "KRW", idempotencyKey: "before" };

/** Driver text that must never reach a client: hosts, users, socket and protocol errors. */
const internals =
  /127\.0\.0\.1|localhost|root|Access denied|ECONN|PROTOCOL_|ER_|errno|mysql|mariadb/i;

async function assertUnavailable(res: Response, what: string): Promise<void> {
  const text = await res.text();
  assert.equal(res.status, 503, `${what}: ${text}`);
  assert.equal(res.headers.get("content-type"), "application/problem+json", what);
  assert.ok(Number(res.headers.get("retry-after")) >= 1, `${what}: Retry-After`);
  assert.equal(JSON.parse(text).code, "service_unavailable", what);
  assert.doesNotMatch(text, internals, what);
}

function outageCalls(h: IngestHarness, paymentId: string): Array<[string, Promise<Response>]> {
  return [
    [
      "keyed authorize",
      h.call("POST", "/api/payments/authorize", { body: { ...body, idempotencyKey: "outage" } }),
    ],
    [
      "keyed capture",
      h.call("POST", `/api/payments/capture/${paymentId}`, { idempotencyKey: "k" }),
    ],
    ["unkeyed cancel", h.call("POST", `/api/payments/cancel/${paymentId}`)],
    ["read", h.call("GET", `/api/payments/${paymentId}`)],
    ["list", h.call("GET", "/api/payments")],
  ];
}

Deno.test("MariaDB killed: every request is 503 with Retry-After and no driver text, then it recovers", async () => {
  const server = await privateMariaDb();
  await server.start().catch(async (error) => {
    await server.remove();
    throw error;
  });
  const config = server.config("pay_t_ingest_db_killed", 4);
  await migrate(config);
  const pool = createPool(config);
  const logged: Array<Record<string, unknown>> = [];
  const h = await ingestHarness("ingest_db_killed", {
    db: { pool, close: () => pool.close() },
    log: (fields) => logged.push(fields),
  });
  try {
    const created = await h.call("POST", "/api/payments/authorize", { body });
    assert.equal(created.status, 201);
    const { paymentId } = await created.json();

    await server.kill();
    for (const [what, call] of outageCalls(h, paymentId)) await assertUnavailable(await call, what);
    const warned = logged.filter((f) => f.msg === "Dependency unavailable");
    assert.ok(warned.length >= 5, JSON.stringify(logged));
    assert.ok(warned.every((f) => typeof f.requestId === "string"), "logged with the request id");

    await server.start();
    // The outage released the key's in-flight marker: the retry runs at once.
    const retried = await h.call("POST", "/api/payments/authorize", {
      body: { ...body, idempotencyKey: "outage" },
    });
    assert.equal(retried.status, 201, await retried.clone().text());
    await retried.body?.cancel();
    const read = await h.call("GET", `/api/payments/${paymentId}`);
    assert.equal(read.status, 200);
    await read.body?.cancel();
  } finally {
    await h.close();
    await server.remove();
  }
});

Deno.test("a wrong database password is a 503 whose body names no user or host", async () => {
  const db = await freshMariaDatabase("ingest_db_password");
  const wrong = createPool({ ...db.config, password: "not-the-password" });
  const logged: Array<Record<string, unknown>> = [];
  const h = await ingestHarness("ingest_db_password", {
    db: {
      pool: wrong,
      close: async () => {
        await wrong.close();
        await db.close();
      },
    },
    log: (fields) => logged.push(fields),
  });
  try {
    for (const [what, call] of outageCalls(h, newPaymentId())) {
      await assertUnavailable(await call, what);
    }
    assert.match(JSON.stringify(logged), /Access denied/, "the driver text goes to the log");
  } finally {
    await h.close();
  }
});
