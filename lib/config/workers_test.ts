import assert from "node:assert/strict";
import { readWorkersConfig } from "./workers.ts";

Deno.test("workers defaults: port 8084, every module on, relay bounds set", () => {
  const config = readWorkersConfig({});
  assert.equal(config.port, 8084);
  assert.deepEqual(config.disabled, []);
  assert.equal(config.relay.batchSize, 500);
  assert.equal(config.relay.leaseMs, 30_000);
  assert.equal(config.relay.epochCheckIntervalMs, 5_000);
  assert.equal(config.relay.replayWindowMs, 3_600_000);
});

Deno.test("WORKERS_DISABLED is a trimmed list", () => {
  assert.deepEqual(readWorkersConfig({ WORKERS_DISABLED: "relay, ledger," }).disabled, [
    "relay",
    "ledger",
  ]);
});

Deno.test("an outbox lease shorter than two publish timeouts is refused", () => {
  assert.throws(
    () => readWorkersConfig({ OUTBOX_LEASE_MS: "5000", BUS_PUBLISH_TIMEOUT_MS: "5000" }),
    /OUTBOX_LEASE_MS: must be at least 2 x BUS_PUBLISH_TIMEOUT_MS \(got 5000\)/,
  );
  assert.throws(() => readWorkersConfig({ OUTBOX_BATCH_SIZE: "0" }), /OUTBOX_BATCH_SIZE/);
});
