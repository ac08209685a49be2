/**
 * The bus contract (bus_contract.ts) on the adapters that need no server:
 * memory and embedded (a fresh SQLite file per test) always, kafka when
 * KAFKA_BROKERS names a broker (the only skip in this project). Redis:
 * redis_contract_test.ts.
 */
import { createBus, MemoryBroker, silentBusLogger } from "./mod.ts";
import { busContract, configOf, kafkaBrokers, runId } from "./bus_contract.ts";
import { deleteKafkaNames } from "./kafka_testing.ts";

busContract({
  name: "memory",
  ignore: false,
  countsRedeliveries: true,
  world() {
    const memoryBroker = new MemoryBroker();
    return Promise.resolve({
      open: (overrides) =>
        createBus(configOf("memory", overrides), { memoryBroker, logger: silentBusLogger }),
      close: () => Promise.resolve(),
    });
  },
});

busContract({
  name: "embedded",
  ignore: false,
  countsRedeliveries: true,
  async world() {
    const dir = await Deno.makeTempDir({ prefix: "bus_contract_" });
    const embeddedPath = `${dir}/bus.sqlite3`;
    return {
      open: (overrides) =>
        createBus(configOf("embedded", { ...overrides, embeddedPath }), {
          logger: silentBusLogger,
        }),
      close: () => Deno.remove(dir, { recursive: true }),
    };
  },
});

busContract({
  name: "kafka",
  ignore: kafkaBrokers === "",
  countsRedeliveries: false,
  world(testName) {
    const prefix = `t.${runId}.${testName}.`;
    return Promise.resolve({
      open: (overrides) =>
        createBus(configOf("kafka", overrides, prefix), { logger: silentBusLogger }),
      close: () => deleteKafkaNames(kafkaBrokers, prefix),
    });
  },
});
