/** The bus contract (bus_contract.ts) on Redis Streams, each test under a Redis prefix of its own. */
// test-needs: redis
import { freshTestRedis } from "../testing/mod.ts";
import { busContract, configOf } from "./bus_contract.ts";
import { createBus, silentBusLogger } from "./mod.ts";

busContract({
  name: "redis",
  ignore: false,
  countsRedeliveries: true,
  async world(testName) {
    const redis = await freshTestRedis(`bus_contract_${testName}`);
    return {
      open: (overrides) =>
        createBus(configOf("redis", overrides), { redis: redis.config, logger: silentBusLogger }),
      close: () => redis.close(),
    };
  },
});
