import assert from "node:assert/strict";
import { ConfigError } from "./env.ts";
import { readGatewayConfig } from "./gateway.ts";
import { readIngestConfig } from "./ingest.ts";

Deno.test("admission settings default per service and read the tolerance as a ratio", () => {
  const gateway = readGatewayConfig({}).admission;
  assert.deepEqual(
    [gateway.limitInitial, gateway.limitMin, gateway.limitMax, gateway.queueSizeMax],
    [64, 48, 256, 64],
  );
  assert.equal(gateway.tolerance, 3);
  const ingest = readIngestConfig({ INGEST_ADMISSION_LATENCY_TOLERANCE_PCT: "250" }).admission;
  assert.deepEqual([ingest.limitInitial, ingest.limitMin, ingest.tolerance], [32, 24, 2.5]);
});

Deno.test("an initial limit outside [min, max] stops start-up naming the variables", () => {
  assert.throws(
    () => readGatewayConfig({ GATEWAY_ADMISSION_LIMIT_MIN: "100" }),
    (error: unknown) =>
      error instanceof ConfigError &&
      /GATEWAY_ADMISSION_LIMIT_INITIAL: must lie within GATEWAY_ADMISSION_LIMIT_MIN and GATEWAY_ADMISSION_LIMIT_MAX \(got 100, 64, 256\)/
        .test(error.message),
  );
  assert.throws(
    () => readIngestConfig({ INGEST_ADMISSION_LATENCY_TOLERANCE_PCT: "100" }),
    /INGEST_ADMISSION_LATENCY_TOLERANCE_PCT/,
  );
});
