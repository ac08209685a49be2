/**
 * `PROFILE=scale-out deno task start`: the whole platform on MariaDB and
 * Redis, and the one line it prints instead when one of them does not answer.
 * The default (embedded) profile's start: embedded_start_test.ts; refusals
 * that need neither server: start_refused_test.ts.
 */
// test-needs: mariadb, redis
import assert from "node:assert/strict";
import { devApiKeyDefault } from "@pay/lib/config";
import { freePort } from "@pay/lib/testing";
import { portsFree, startRefused, startTestPlatform, until } from "./testing.ts";

/** Settlement completes in well under a second; this only bounds the wait. */
const capturedDeadlineMs = 30_000;

Deno.test("PROFILE=scale-out deno task start runs the whole platform with its real permissions, serves a payment end to end and stops on SIGINT", async () => {
  const platform = await startTestPlatform("ops_start", { profile: "scale-out" });
  let code: number | undefined;
  try {
    const { ports } = platform;
    const api = `http://127.0.0.1:${ports.gateway}/api/payments`;
    const headers = {
      authorization: `Bearer ${devApiKeyDefault}`,
      "content-type": "application/json",
    };
    const authorized = await fetch(`${api}/authorize`, {
      method: "POST",
      headers: { ...headers, "idempotency-key": "start-test-1" },
      body: JSON.stringify({ merchantId: "M123", amount: 10000, currency: "KRW" }),
    });
    const payment = await authorized.json();
    assert.equal(authorized.status, 201, JSON.stringify(payment));
    const captured = await fetch(`${api}/capture/${payment.paymentId}`, {
      method: "POST",
      headers,
    });
    assert.equal(captured.status, 202);
    await captured.body?.cancel();
    const final = await until("CAPTURED", capturedDeadlineMs, async () => {
      const got = await (await fetch(`${api}/${payment.paymentId}`, { headers })).json();
      return got.status === "CAPTURED" && got.ledger.length === 2 ? got : undefined;
    });
    assert.equal(final.capturedAmount, 10000);
    for (
      const path of [`http://127.0.0.1:${ports.store}/`, `http://127.0.0.1:${ports.ops}/health`]
    ) {
      const res = await fetch(path);
      assert.equal(res.status, 200, path);
      await res.body?.cancel();
    }
  } finally {
    code = await platform.stop();
  }
  assert.equal(code, 0, platform.output().slice(-4000));
  assert.ok(portsFree(platform.offset), "every service stopped and released its port");
  assert.match(platform.output(), /\[supervisor\] gateway stopped/);
});

Deno.test("PROFILE=scale-out deno task start names an unreachable MariaDB or Redis in one line and starts nothing", async () => {
  const closed = freePort();
  const db = await startRefused({
    PROFILE: "scale-out",
    DB_HOST: "127.0.0.1",
    DB_PORT: String(closed),
  });
  assert.equal(db.code, 1, db.output);
  // Not the local MariaDB's socket in its place: DB_PORT is what it tried.
  assert.equal(
    db.output.trim(),
    `[supervisor] MariaDB is not reachable at 127.0.0.1:${closed} (ECONNREFUSED): start it or set DB_HOST/DB_PORT`,
  );
  // MariaDB answers (the test's own): Redis alone is named.
  const redis = await startRefused({
    PROFILE: "scale-out",
    REDIS_URL: `redis://127.0.0.1:${closed}`,
  });
  assert.equal(redis.code, 1, redis.output);
  assert.equal(
    redis.output.trim(),
    `[supervisor] Redis is not reachable at 127.0.0.1:${closed} (ECONNREFUSED): start it or set REDIS_URL`,
  );
});
