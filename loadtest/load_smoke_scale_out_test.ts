/**
 * The load generator's smoke run on the scale-out profile: MariaDB, Redis
 * (rate limits, nonces, idempotency cache, the Streams bus). Embedded:
 * load_smoke_test.ts.
 */
// test-needs: mariadb, redis
import { freshMariaDatabase, freshTestRedis } from "@pay/lib/testing";
import { loadSmokeTest } from "./testing/load_smoke.ts";

loadSmokeTest("scale-out", async () => {
  const db = await freshMariaDatabase("lt_smoke");
  const redis = await freshTestRedis("lt_smoke");
  await redis.close();
  return {
    env: { ...db.env, REDIS_KEY_PREFIX: redis.config.keyPrefix },
    close: () => db.close(),
  };
});
