/** The Redis cache's in-flight marker when the database fails after it is set (scale-out). */
// test-needs: redis
import assert from "node:assert/strict";
import { processEnv, readDbConfig } from "@pay/lib/config";
import { createPool } from "@pay/lib/db";
import { isTransientFailure } from "@pay/lib/resilience";
import { freePort, freshTestDatabase, freshTestRedis } from "@pay/lib/testing";
import { redisIdempotencyCache } from "./cache.ts";
import { type GuardDeps, runIdempotent } from "./guard.ts";

const scope = {
  merchantId: "M123",
  key: "lock-leak",
  fingerprint: "f".repeat(64),
  method: "POST",
  path: "/api/payments/cancel/x",
};

Deno.test("a database error after the in-flight marker is set releases it: the retry runs at once", async () => {
  const db = await freshTestDatabase("ingest_guard_leak");
  const redis = await freshTestRedis("ingest_guard_leak");
  // Nothing listens there: every query fails with ECONNREFUSED, as when MariaDB is down.
  const down = createPool({
    ...readDbConfig(processEnv()),
    host: "127.0.0.1",
    port: freePort(),
    socketPath: undefined,
    poolSize: 1,
  });
  const deps: GuardDeps = {
    pool: db.pool,
    cache: redisIdempotencyCache(redis.redis, 600),
    now: () => new Date(),
    retentionMs: 60_000,
    // Long: a leaked marker would hold the key far beyond this test's patience.
    lockTtlMs: 600_000,
    onOutcome: () => {},
    onCacheError: (error) => assert.fail(`Redis is up: ${error}`),
  };
  let runs = 0;
  const command = () => {
    runs++;
    return Promise.resolve({ httpStatus: 200, body: "{}", paymentId: null });
  };
  try {
    await assert.rejects(
      runIdempotent({ ...deps, pool: down }, scope, command),
      (error) => isTransientFailure(error),
    );
    assert.equal(runs, 0);
    assert.equal(await redis.redis.get(`idem:${scope.merchantId}:${scope.key}`), null);

    const res = await runIdempotent(deps, scope, command);
    assert.equal(res.status, 200);
    assert.equal(res.headers.get("idempotent-replayed"), null);
    assert.equal(runs, 1);
  } finally {
    await down.close();
    await redis.close();
    await db.close();
  }
});
