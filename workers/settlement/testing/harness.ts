/** The settlement worker's pieces over a fresh test database and a fake PG, for integration tests. */
import type { BusMessage, MessageHandler } from "@pay/lib/bus";
import { readSettlementConfig, type SettlementConfig } from "@pay/lib/config";
import { createRegistry, type Registry } from "@pay/lib/metrics";
import { createFakePgClient, type FakePgClient, type PgClient } from "@pay/lib/pg";
import { freshTestDatabase, type TestDatabase } from "@pay/lib/testing";
import { settlementHandler } from "../consumer.ts";
import { silentWorkerLog } from "../log.ts";
import { settlementMetrics } from "../metrics.ts";
import { createSettlementPg, type SettlementPg } from "../pg_calls.ts";
import { createSettler, type Settler } from "../settler.ts";

export interface SettlementHarness {
  readonly db: TestDatabase;
  readonly fakePg: FakePgClient;
  readonly registry: Registry;
  readonly config: SettlementConfig;
  readonly settler: Settler;
  readonly pg: SettlementPg;
  readonly handler: MessageHandler;
  /** What the worker published (DLQ records). */
  readonly published: BusMessage[];
  /** A second worker (own breaker and metrics) over the same database and PG. */
  another(): Worker;
  close(): Promise<void>;
}

interface Worker {
  readonly settler: Settler;
  readonly handler: MessageHandler;
}

export interface SettlementHarnessOptions {
  /** The PG client the worker calls, built around the fake PG (default: the fake itself). */
  readonly pg?: (fake: FakePgClient) => PgClient;
  /** The database (closed with the harness); default: freshTestDatabase, on either adapter. */
  readonly db?: TestDatabase;
}

export async function settlementHarness(
  name: string,
  overrides: Partial<SettlementConfig> = {},
  options: SettlementHarnessOptions = {},
): Promise<SettlementHarness> {
  const db = options.db ?? await freshTestDatabase(name);
  const fakePg = createFakePgClient();
  const client = options.pg?.(fakePg) ?? fakePg;
  const config = { ...readSettlementConfig({}).settlement, ...overrides };
  const published: BusMessage[] = [];
  const breakers: SettlementPg[] = [];
  const worker = (registry: Registry) => {
    const pg = createSettlementPg(client, config, settlementMetrics(registry), registry);
    breakers.push(pg);
    const settler = createSettler({
      pool: db.pool,
      pg,
      publish: (messages) => Promise.resolve(void published.push(...messages)),
      config,
      registry,
      log: silentWorkerLog,
      random: () => 0.5,
    });
    return { pg, settler, handler: settlementHandler({ pool: db.pool, settler }) };
  };
  const registry = createRegistry("workers");
  const first = worker(registry);
  return {
    db,
    fakePg,
    registry,
    config,
    ...first,
    published,
    another: () => worker(createRegistry("workers")),
    async close() {
      for (const pg of breakers) pg.breaker.shutdown();
      await db.close();
    },
  };
}
