/** The nonce store contract on Redis, the scale-out profile's store (SQLite's: nonce_store_contract_test.ts). */
// test-needs: redis
import { freshTestRedis } from "@pay/lib/testing";
import { nonceStoreContract } from "./nonce_store_contract.ts";
import { redisNonceStore } from "./redis.ts";

nonceStoreContract({
  name: "redis",
  async open(test) {
    const redis = await freshTestRedis(`ingest_nonce_${test}`);
    const other = await freshTestRedis(`ingest_nonce_${test}`);
    return {
      first: redisNonceStore(redis.redis),
      second: redisNonceStore(other.redis),
      async close() {
        await other.close();
        await redis.close();
      },
    };
  },
});
