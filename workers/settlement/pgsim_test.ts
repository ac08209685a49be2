import assert from "node:assert/strict";
import { createBus, MemoryBroker, silentBusLogger } from "@pay/lib/bus";
import { readBusConfig, readSettlementConfig } from "@pay/lib/config";
import { createRegistry, type Registry } from "@pay/lib/metrics";
import { createHttpPgClient } from "@pay/lib/pg";
import { freePort, freshTestDatabase, startService } from "@pay/lib/testing";
import { silentWorkerLog } from "./log.ts";
import { startSettlementWorker } from "./mod.ts";
import { authorizedPayment, busMessageOf, paymentOf, requestCapture } from "./testing/fixtures.ts";

/** Long enough for 30 captures through two workers on a loaded 2-core machine. */
const settleTimeoutMs = 30_000;
/** Pause between two looks at the payments' states. */
const pollIntervalMs = 20;

async function until(condition: () => Promise<boolean>, what: string): Promise<void> {
  const deadline = Date.now() + settleTimeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, pollIntervalMs));
  }
}

async function pgCaptureCalls(registry: Registry): Promise<number> {
  const metric = await registry.getSingleMetric("settlement_pg_calls_total")!.get();
  return metric.values
    .filter((v) => v.labels.operation === "capture")
    .reduce((sum, v) => sum + v.value, 0);
}

Deno.test("two settlement workers given every capture twice capture each request once at pgsim", async () => {
  const db = await freshTestDatabase("st_pgsim_dup");
  const port = freePort();
  const pgsim = await startService({
    name: "pgsim",
    entry: "pgsim/main.ts",
    port,
    env: { PGSIM_PORT: String(port), PGSIM_LATENCY_MS_MIN: "5", PGSIM_LATENCY_MS_MAX: "15" },
  });
  const pg = createHttpPgClient({ baseUrl: pgsim.url, timeoutMs: 2_000 });
  const broker = new MemoryBroker();
  const busConfig = readBusConfig({ BUS: "memory" });
  const buses = await Promise.all(
    [1, 2].map(() => createBus(busConfig, { memoryBroker: broker, logger: silentBusLogger })),
  );
  const registries = [createRegistry("workers"), createRegistry("workers")];
  const config = readSettlementConfig({ PG_URL: pgsim.url }).settlement;
  const workers = await Promise.all(buses.map((bus, i) =>
    startSettlementWorker({
      pool: db.pool,
      bus,
      pg,
      config,
      registry: registries[i]!,
      log: silentWorkerLog,
    })
  ));
  try {
    const payments = await Promise.all(
      Array.from({ length: 30 }, () => authorizedPayment(db.pool, pg)),
    );
    const requests = await Promise.all(payments.map((p) => requestCapture(db.pool, p)));
    // The relay republishes after a lost acknowledgement: every event arrives twice.
    const messages = requests.map((r) => busMessageOf(JSON.parse(r.message.value)));
    await buses[0]!.publish([...messages, ...messages]);

    await until(async () => {
      const states = await Promise.all(payments.map((p) => paymentOf(db.pool, p.id)));
      return states.every((p) => p.status === "CAPTURED");
    }, "every payment CAPTURED");

    const answer = await fetch(`${pgsim.url}/admin/operations?type=capture`);
    const { operations } = await answer.json() as {
      operations: Array<{ idempotencyKey: string; reference: string }>;
    };
    const ours = new Set(requests.map((r) => r.requestId));
    const captured = operations.filter((o) => ours.has(o.idempotencyKey));
    assert.equal(captured.length, requests.length, "one PG capture per request");
    assert.equal(new Set(captured.map((o) => o.reference)).size, payments.length);
    const calls = (await pgCaptureCalls(registries[0]!)) + (await pgCaptureCalls(registries[1]!));
    assert.equal(calls, requests.length, "the duplicates never reached the PG");
  } finally {
    for (const worker of workers) await worker.stop();
    for (const bus of buses) await bus.close();
    pg.close();
    await pgsim.stop();
    await db.close();
  }
});
