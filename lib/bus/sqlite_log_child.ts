/**
 * A process of the embedded bus tests (sqlite_log_test.ts), so that
 * publishers and consumers run in processes of their own and can be killed:
 *
 *   publish <path> <topic> <count> <batch> <prefix>
 *     prints {"published":[values]} after each batch's publish resolved.
 *   consume <path> <topic> <group> <hang|handle>
 *     prints {"ready":true}, then {"started":value} (hang: the handler never
 *     returns) or {"handled":value} per message; on SIGTERM stops the consumer
 *     (drain, acks) and prints {"stopped":true}.
 */
import { readBusConfig } from "../config/bus.ts";
import { createBus, type DeliveredMessage, silentBusLogger } from "./mod.ts";

const encoder = new TextEncoder();

function emit(line: Record<string, unknown>): void {
  Deno.stdout.writeSync(encoder.encode(JSON.stringify(line) + "\n"));
}

const [mode, path, topic, ...rest] = Deno.args;
if (!path || !topic) throw new Error(`Usage: publish|consume <path> <topic> ...: ${Deno.args}`);
const bus = await createBus(
  readBusConfig({ BUS: "embedded", BUS_EMBEDDED_PATH: path, BUS_CONSUMER_CONCURRENCY: "4" }),
  { logger: silentBusLogger },
);

if (mode === "publish") {
  const [count, batch, prefix] = [Number(rest[0]), Number(rest[1]), rest[2] ?? ""];
  for (let start = 0; start < count; start += batch) {
    const values = Array.from(
      { length: Math.min(batch, count - start) },
      (_, i) => `${prefix}${start + i}`,
    );
    await bus.publish(values.map((value) => ({ topic, key: value, value, headers: {} })));
    emit({ published: values });
  }
  await bus.close();
} else if (mode === "consume") {
  const [group, behaviour] = rest;
  const handler = behaviour === "hang"
    ? (m: DeliveredMessage) => {
      emit({ started: m.value });
      return new Promise<void>(() => {});
    }
    : async (m: DeliveredMessage) => {
      await new Promise((resolve) => setTimeout(resolve, 1));
      emit({ handled: m.value });
    };
  const consumer = await bus.consume({ group: group!, topics: [topic], handler });
  Deno.addSignalListener("SIGTERM", async () => {
    await consumer.stop();
    await bus.close();
    emit({ stopped: true });
    Deno.exit(0);
  });
  emit({ ready: true });
} else {
  throw new Error(`Unknown mode: ${mode}`);
}
