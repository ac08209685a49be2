import assert from "node:assert/strict";
import { readBusConfig } from "../config/bus.ts";
import { KafkaBus } from "./kafka_bus.ts";
import { createBus } from "./mod.ts";

// The broker-backed behaviour is covered by contract_test.ts when KAFKA_BROKERS is set.
Deno.test("the kafka adapter is built without contacting a broker or warning about partitioners", async () => {
  const events: string[] = [];
  const bus = await createBus(readBusConfig({ BUS: "kafka", KAFKA_BROKERS: "127.0.0.1:1" }), {
    logger: (event, fields) => events.push(`${event} ${JSON.stringify(fields)}`),
  });
  assert.ok(bus instanceof KafkaBus);
  await bus.close();
  assert.deepEqual(events.filter((e) => /partitioner/i.test(e)), []);
});
