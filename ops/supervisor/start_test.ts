import assert from "node:assert/strict";
import { devApiKeyDefault } from "@pay/lib/config";
import { freePort } from "@pay/lib/testing";
import { portsFree, startTestPlatform, until } from "./testing.ts";

/** Settlement completes in well under a second; this only bounds the wait. */
const capturedDeadlineMs = 30_000;

Deno.test("deno task start runs the whole platform with its real permissions, serves a payment end to end and stops on SIGINT", async () => {
  const platform = await startTestPlatform("ops_start");
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

/** Runs `deno task start` with `env` until it exits on its own (it must refuse to start). */
async function startRefused(
  env: Record<string, string>,
): Promise<{ code: number; output: string }> {
  const { code, stdout, stderr } = await new Deno.Command(Deno.execPath(), {
    args: ["run", "--allow-all", "ops/supervisor/main.ts", "--port-offset", "500"],
    cwd: new URL("../../", import.meta.url).pathname,
    env: { ...env, NO_COLOR: "1" },
    stdout: "piped",
    stderr: "piped",
  }).output();
  const decoder = new TextDecoder();
  return { code, output: decoder.decode(stdout) + decoder.decode(stderr) };
}

Deno.test("deno task start validates every service's configuration before it starts anything", async () => {
  const { code, output } = await startRefused({
    RATE_LIMIT_AUTHORIZE_PER_MIN: "abc",
    DB_NAME: "pay_t_never_created",
  });
  assert.equal(code, 2, output);
  assert.equal(
    output.trim(),
    "[supervisor] Invalid configuration; nothing was started:\n" +
      '  RATE_LIMIT_AUTHORIZE_PER_MIN: Invalid input: expected number, received NaN (got "abc") [gateway, ops]',
  );
});

Deno.test("deno task start names an unreachable MariaDB or Redis in one line and starts nothing", async () => {
  const closed = freePort();
  const db = await startRefused({ DB_HOST: "127.0.0.1", DB_PORT: String(closed) });
  assert.equal(db.code, 1, db.output);
  // Not the local MariaDB's socket in its place: DB_PORT is what it tried.
  assert.equal(
    db.output.trim(),
    `[supervisor] MariaDB is not reachable at 127.0.0.1:${closed} (ECONNREFUSED): start it or set DB_HOST/DB_PORT`,
  );
  const redis = await startRefused({ REDIS_URL: `redis://127.0.0.1:${closed}` });
  assert.equal(redis.code, 1, redis.output);
  assert.equal(
    redis.output.trim(),
    `[supervisor] Redis is not reachable at 127.0.0.1:${closed} (ECONNREFUSED): start it or set REDIS_URL`,
  );
});

Deno.test("PROFILE=embedded: the pre-flight checks MariaDB only, and BUS=redis is refused before anything starts", async () => {
  const closed = freePort();
  const embedded = await startRefused({
    PROFILE: "embedded",
    DB_HOST: "127.0.0.1",
    DB_PORT: String(closed),
    REDIS_URL: `redis://127.0.0.1:${closed}`,
  });
  assert.equal(embedded.code, 1, embedded.output);
  assert.equal(
    embedded.output.trim(),
    `[supervisor] MariaDB is not reachable at 127.0.0.1:${closed} (ECONNREFUSED): start it or set DB_HOST/DB_PORT`,
  );
  const busRedis = await startRefused({ PROFILE: "embedded", BUS: "redis" });
  assert.equal(busRedis.code, 2, busRedis.output);
  assert.equal(
    busRedis.output.trim(),
    "[supervisor] Invalid configuration; nothing was started:\n" +
      '  BUS: redis needs PROFILE=scale-out; the embedded profile opens no Redis connection (unset BUS for the embedded bus) (got "redis") [workers, ops]',
  );
});
