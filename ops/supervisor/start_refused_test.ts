/**
 * What `deno task start` refuses to start, before anything runs, and the
 * line that says why. None of these needs a MariaDB or a Redis: the ones
 * named are closed ports.
 */
import assert from "node:assert/strict";
import { freePort } from "@pay/lib/testing";
import { startRefused } from "./testing.ts";

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

Deno.test("the embedded profile refuses BUS=redis, and PROFILE=scale-out refuses STORAGE=sqlite, before anything starts", async () => {
  const busRedis = await startRefused({ PROFILE: "embedded", BUS: "redis" });
  assert.equal(busRedis.code, 2, busRedis.output);
  assert.equal(
    busRedis.output.trim(),
    "[supervisor] Invalid configuration; nothing was started:\n" +
      '  BUS: redis needs PROFILE=scale-out; the embedded profile opens no Redis connection (unset BUS for the embedded bus) (got "redis") [workers, ops]',
  );
  const sqliteScaleOut = await startRefused({ PROFILE: "scale-out", STORAGE: "sqlite" });
  assert.equal(sqliteScaleOut.code, 2, sqliteScaleOut.output);
  assert.match(
    sqliteScaleOut.output.trim(),
    /^\[supervisor\] Invalid configuration; nothing was started:\n {2}STORAGE: sqlite needs PROFILE=embedded; the scale-out profile's instances share one MariaDB \(got "sqlite"\) \[/,
  );
});

Deno.test("the embedded profile with STORAGE=mariadb checks MariaDB alone before it starts: never Redis", async () => {
  const closed = freePort();
  const { code, output } = await startRefused({
    PROFILE: "embedded",
    STORAGE: "mariadb",
    DB_HOST: "127.0.0.1",
    DB_PORT: String(closed),
    DB_SOCKET: "",
    REDIS_URL: `redis://127.0.0.1:${closed}`,
  });
  assert.equal(code, 1, output);
  assert.equal(
    output.trim(),
    `[supervisor] MariaDB is not reachable at 127.0.0.1:${closed} (ECONNREFUSED): start it or set DB_HOST/DB_PORT`,
  );
});

Deno.test("PROFILE=scale-out names each unreachable dependency in a line of its own and starts nothing", async () => {
  const closed = freePort();
  const { code, output } = await startRefused({
    PROFILE: "scale-out",
    DB_HOST: "127.0.0.1",
    DB_PORT: String(closed),
    DB_SOCKET: "",
    REDIS_URL: `redis://127.0.0.1:${closed}`,
  });
  assert.equal(code, 1, output);
  assert.equal(
    output.trim(),
    `[supervisor] MariaDB is not reachable at 127.0.0.1:${closed} (ECONNREFUSED): start it or set DB_HOST/DB_PORT\n` +
      `[supervisor] Redis is not reachable at 127.0.0.1:${closed} (ECONNREFUSED): start it or set REDIS_URL`,
  );
});
