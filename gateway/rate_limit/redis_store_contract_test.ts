/** The rate-limit store contract (store_contract.ts) on Redis, each case under a prefix of its own. */
// test-needs: redis
import { freshTestRedis } from "@pay/lib/testing";
import { redisRateLimitStore } from "./redis_store.ts";
import { rateLimitStoreContract } from "./store_contract.ts";

rateLimitStoreContract({
  name: "redis",
  async open(test) {
    const redis = await freshTestRedis(`gw_rl_contract_${test}`);
    return { store: redisRateLimitStore(redis.redis), close: () => redis.close() };
  },
});
