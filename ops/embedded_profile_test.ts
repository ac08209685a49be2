/**
 * The ops service under the embedded profile (the default: no PROFILE), built
 * from the environment as ops/main.ts builds it, with REDIS_URL pointing at a
 * listener that counts connections: the operations on Redis roles answer 409
 * not_in_profile, the others work, /ready does not wait for Redis, and nothing
 * connects.
 */
import assert from "node:assert/strict";
import { createRegistry } from "@pay/lib/metrics";
import { connectionCounter, freshTestDatabase } from "@pay/lib/testing";
import { buildOpsApp } from "./app.ts";
import { createOpsRuntime } from "./context_env.ts";

const token = "e".repeat(40);

Deno.test("the embedded profile (the default): ops answers Redis-role operations with 409 not_in_profile, serves the rest, and never connects to Redis", async () => {
  const redis = connectionCounter();
  const db = await freshTestDatabase("ops_embedded_profile");
  const dataDir = await Deno.makeTempDir({ prefix: "ops_embedded_" });
  const runtime = await createOpsRuntime({
    ...db.env,
    DATA_DIR: dataDir,
    REDIS_URL: redis.url,
    OPS_TOKEN: token,
    OPS_SCRAPE_TARGETS: "",
  });
  try {
    const app = buildOpsApp({ ctx: runtime.ctx, registry: createRegistry("ops"), token });
    const auth = { authorization: `Bearer ${token}` };
    for (
      const [method, path, detail] of [
        ["GET", "/api/ops/rate-limits/merchants/M1", /rate limits live in each gateway process/],
        ["GET", "/api/ops/rate-limits/blocked", /rate limits live in each gateway process/],
        ["POST", "/api/ops/rate-limits/merchants/M1/reset", /restarting the gateway refills/],
        ["GET", "/api/ops/cache", /there is no cache \(the database decides idempotency/],
      ] as const
    ) {
      const res = await app.request(path, { method, headers: auth });
      const body = await res.json();
      assert.equal(res.status, 409, `${path}: ${JSON.stringify(body)}`);
      assert.equal(body.code, "not_in_profile");
      assert.match(body.detail, /^Not applicable in the embedded profile: /);
      assert.match(body.detail, detail);
    }
    const lookup = await app.request("/api/ops/idempotency?merchantId=M1&key=k1");
    assert.equal(lookup.status, 200);
    assert.deepEqual(await lookup.json(), {
      merchantId: "M1",
      key: "k1",
      record: null,
      cache: null,
    });

    const bus = await (await app.request("/api/ops/bus")).json();
    assert.deepEqual([bus.kind, bus.reachable, bus.streams, bus.healthy], [
      "embedded",
      true,
      [],
      true,
    ]);
    const diagnosis = await (await app.request("/api/ops/breakers/diagnosis")).json();
    assert.ok(!("redis" in diagnosis.probes), JSON.stringify(diagnosis.probes));
    assert.equal(diagnosis.probes.db, "ok");

    const ready = await app.request("/ready");
    assert.equal(ready.status, 200);
    assert.deepEqual(await ready.json(), { status: "ready", checks: { db: "ok" } });
    assert.equal(redis.count, 0, "no Redis connection was attempted");
  } finally {
    await runtime.close();
    await db.close();
    redis.close();
    await Deno.remove(dataDir, { recursive: true });
  }
});
