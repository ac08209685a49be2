/**
 * The worker modules of settlement, the schedulers and reconciliation, as
 * workers/modules.ts lists them (WORKERS_DISABLED names: settlement,
 * authorization-expiry, idempotency-purge, reconciliation, ledger-sweeper,
 * void-sweeper, authorization-janitor). Their settings
 * are read (and validated) once, when the first of them starts.
 */
import { processEnv, readSettlementConfig, type SettlementSectionConfig } from "@pay/lib/config";
import { createHttpPgClient, fetchPgSettlementReport } from "@pay/lib/pg";
import { workerLogger } from "../log.ts";
import { startReconciliationScheduler } from "../reconciliation/scheduler.ts";
import {
  startExpiryScheduler,
  startIdempotencyPurgeScheduler,
  startLedgerSweeper,
  startVoidSweeper,
} from "../schedulers/mod.ts";
import { startAuthorizationJanitor } from "../schedulers/authorization_janitor.ts";
import type { WorkerModule } from "../worker.ts";
import { startSettlementWorker } from "./mod.ts";

let config: SettlementSectionConfig | undefined;
function settlementConfig(): SettlementSectionConfig {
  return config ??= readSettlementConfig(processEnv());
}

export const settlementWorkerModules: readonly WorkerModule[] = [
  {
    name: "settlement",
    start: async ({ pool, bus, registry, breakers }) => {
      const { settlement } = settlementConfig();
      const pg = createHttpPgClient({
        baseUrl: settlement.pgUrl,
        timeoutMs: settlement.pgTimeoutMs,
      });
      const worker = await startSettlementWorker({
        pool,
        bus,
        pg,
        config: settlement,
        registry,
        log: workerLogger("settlement"),
      });
      breakers.set(worker.pg.breaker.name, worker.pg.breaker);
      return {
        async stop() {
          await worker.stop();
          pg.close();
        },
      };
    },
  },
  {
    name: "authorization-expiry",
    start: ({ pool, registry }) =>
      Promise.resolve(startExpiryScheduler({
        pool,
        registry,
        config: settlementConfig().schedulers,
        log: workerLogger("expiry"),
      })),
  },
  {
    name: "idempotency-purge",
    start: ({ pool, registry }) =>
      Promise.resolve(startIdempotencyPurgeScheduler({
        pool,
        registry,
        config: settlementConfig().schedulers,
        log: workerLogger("idempotency-purge"),
      })),
  },
  {
    name: "reconciliation",
    start: ({ pool, registry }) => {
      const { settlement, schedulers } = settlementConfig();
      return Promise.resolve(startReconciliationScheduler({
        pool,
        registry,
        intervalMs: schedulers.reconciliationIntervalMs,
        fetchReport: (date) =>
          fetchPgSettlementReport({
            baseUrl: settlement.pgUrl,
            timeoutMs: schedulers.reconciliationReportTimeoutMs,
          }, date),
        log: workerLogger("reconciliation"),
      }));
    },
  },
  {
    name: "ledger-sweeper",
    start: ({ pool, registry }) =>
      Promise.resolve(startLedgerSweeper({
        pool,
        registry,
        config: settlementConfig().schedulers,
        log: workerLogger("ledger-sweeper"),
      })),
  },
  {
    name: "void-sweeper",
    start: ({ pool, registry }) =>
      Promise.resolve(startVoidSweeper({
        pool,
        registry,
        config: settlementConfig().schedulers,
        log: workerLogger("void-sweeper"),
      })),
  },
  {
    name: "authorization-janitor",
    start: ({ pool, registry }) => {
      const { settlement, schedulers } = settlementConfig();
      const pg = createHttpPgClient({
        baseUrl: settlement.pgUrl,
        timeoutMs: settlement.pgTimeoutMs,
      });
      const janitor = startAuthorizationJanitor({
        pool,
        pg,
        registry,
        config: schedulers.authorizationJanitor,
        log: workerLogger("authorization-janitor"),
      });
      return Promise.resolve({
        async stop() {
          await janitor.stop();
          pg.close();
        },
      });
    },
  },
];
