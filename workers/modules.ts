import { startLedgerConsumer } from "./ledger/consumer.ts";
import { startDlqArchiver } from "./dlq/archive_consumer.ts";
import { startOutboxRelay } from "./relay/relay.ts";
import { settlementWorkerModules } from "./settlement/modules.ts";
import { webhookWorkerModules } from "./webhooks/modules.ts";
import { workerLogger } from "./log.ts";
import type { WorkerModule } from "./worker.ts";

/**
 * Every worker module the workers process runs, in start order (stopped in
 * reverse). To add one (settlement, schedulers, reconciliation), write
 * `workers/<name>/` with a `start...(deps) -> {stop()}` function and append
 * an entry here; WORKERS_DISABLED switches modules off by name.
 */
export const workerModules: readonly WorkerModule[] = [
  {
    name: "dlq-archive",
    start: ({ pool, bus }) => startDlqArchiver({ pool, bus }),
  },
  {
    name: "ledger",
    start: ({ pool, bus, registry, config }) =>
      startLedgerConsumer({ pool, bus, registry, concurrency: config.ledgerConcurrency }),
  },
  {
    name: "relay",
    start: ({ pool, bus, registry, config, breakers }) => {
      const relay = startOutboxRelay({
        pool,
        bus,
        registry,
        config: config.relay,
        log: workerLogger("relay"),
      });
      breakers.set(relay.breaker.name, relay.breaker);
      return Promise.resolve(relay);
    },
  },
  ...settlementWorkerModules,
  ...webhookWorkerModules,
];
