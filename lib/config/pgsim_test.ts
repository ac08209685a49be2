import assert from "node:assert/strict";
import { ConfigError } from "./env.ts";
import { readPgsimConfig } from "./pgsim.ts";

Deno.test("pgsim defaults: port 8090, 5-15 ms latency, no faults, memory records", () => {
  const config = readPgsimConfig({});
  assert.equal(config.port, 8090);
  assert.deepEqual(config.faults, {
    latencyMsMin: 5,
    latencyMsMax: 15,
    failureRate: 0,
    declineRate: 0,
    outage: false,
  });
  assert.equal(config.seed, undefined);
  assert.equal(config.dataFile, undefined);
  assert.equal(config.adminToken, undefined);
  assert.equal(config.timeoutTokenDelayMs, 30_000);
  assert.ok(Object.isFrozen(config));
});

Deno.test("pgsim refuses a latency minimum above the maximum, naming the variable", () => {
  assert.throws(
    () => readPgsimConfig({ PGSIM_LATENCY_MS_MIN: "20", PGSIM_LATENCY_MS_MAX: "10" }),
    (error: unknown) => error instanceof ConfigError && /PGSIM_LATENCY_MS_MIN/.test(error.message),
  );
});

Deno.test("pgsim refuses malformed rates, seeds and short admin tokens", () => {
  assert.throws(
    () =>
      readPgsimConfig({
        PGSIM_FAILURE_RATE: "1.5",
        PGSIM_SEED: "-1",
        PGSIM_ADMIN_TOKEN: "short",
      }),
    (error: unknown) => {
      assert.ok(error instanceof ConfigError);
      for (const name of ["PGSIM_FAILURE_RATE", "PGSIM_SEED", "PGSIM_ADMIN_TOKEN"]) {
        assert.match(error.message, new RegExp(`${name}: `));
      }
      return true;
    },
  );
  assert.equal(readPgsimConfig({ PGSIM_SEED: "42" }).seed, 42);
});
