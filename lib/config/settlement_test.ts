import assert from "node:assert/strict";
import { readSettlementConfig } from "./settlement.ts";

Deno.test("sweeper defaults: a pass a minute, two minutes of grace, a day looked back", () => {
  const { sweep } = readSettlementConfig({}).schedulers;
  assert.deepEqual(sweep, {
    intervalMs: 60_000,
    graceMs: 120_000,
    lookbackMs: 86_400_000,
    batchSize: 500,
  });
});

Deno.test("a sweeper lookback no longer than its grace is refused", () => {
  assert.throws(
    () => readSettlementConfig({ SWEEP_GRACE_MS: "600000", SWEEP_LOOKBACK_MS: "600000" }),
    /SWEEP_LOOKBACK_MS: must be longer than SWEEP_GRACE_MS \(got 600000\)/,
  );
});
