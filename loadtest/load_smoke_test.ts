import assert from "node:assert/strict";
import { freshTestDatabase, freshTestRedis } from "@pay/lib/testing";
import { choosePorts, startStack } from "./bench/stack.ts";
import { loadCommand } from "./command.ts";

Deno.test("a short flow run against a real stack reports stages and computes the correctness verdict", async () => {
  const db = await freshTestDatabase("lt_smoke");
  const redis = await freshTestRedis("lt_smoke");
  const redisPrefix = redis.config.keyPrefix;
  await redis.close();
  const outDir = await Deno.makeTempDir({ prefix: "lt_smoke_" });
  const stack = await startStack({
    ports: choosePorts(1, false),
    env: {
      DB_NAME: db.config.database,
      REDIS_KEY_PREFIX: redisPrefix,
      LOG_ACCESS: "false",
      PGSIM_LATENCY_MS_MIN: "0",
      PGSIM_LATENCY_MS_MAX: "2",
    },
  }).catch(async (error) => {
    await db.close();
    throw error;
  });
  try {
    const lines: string[] = [];
    const code = await loadCommand([
      "--target",
      stack.gatewayUrl,
      "--scenario",
      "flow",
      "--refund",
      "--rate",
      "10",
      "--duration",
      "2s",
      "--warmup",
      "0s",
      "--completion-timeout",
      "5s",
      "--drain-timeout",
      "5s",
      "--out",
      outDir,
    ], {
      ...Deno.env.toObject(),
      DB_NAME: db.config.database,
      PG_URL: stack.pgsimUrl,
    }, (line) => lines.push(line));
    const output = lines.join("\n");
    assert.ok(code === 0 || code === 1, `exit ${code}:\n${output}`);
    for (
      const check of ["payment states", "outbox drained", "ledger balanced", "reconciliation clean"]
    ) {
      assert.match(output, new RegExp(`(ok  |FAIL) ${check}`), output);
    }
    assert.match(output, /^sustain\s+2s\s+10\.0\s+\S+\s+authorize\s+\d+/m, output);
    const files = [...Deno.readDirSync(outDir)].map((f) => f.name).sort();
    assert.equal(files.length, 2, files.join(", "));
    const json = JSON.parse(
      await Deno.readTextFile(`${outDir}/${files.find((f) => f.endsWith(".json"))}`),
    );
    assert.equal(json.arrivals.scheduled, 20);
    assert.equal(json.verdict.checks.length, 6);
    assert.equal(json.verdict.ok, code === 0);
  } finally {
    await stack.stop();
    await db.close();
    await Deno.remove(outDir, { recursive: true });
  }
});
