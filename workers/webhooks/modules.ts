/**
 * The webhook worker modules (WORKERS_DISABLED names: `webhooks` — the
 * consumer deriving events and the dispatcher sending them — and
 * `webhook-sweeper`). Settings are read (and validated) once.
 */
import { processEnv, readWebhooksConfig, type WebhooksConfig } from "@pay/lib/config";
import { webhookRetryDelaysMs } from "@pay/lib/domain";
import { resolveHost } from "@pay/lib/webhooks";
import { workerLogger } from "../log.ts";
import type { WorkerModule } from "../worker.ts";
import { startWebhookConsumer } from "./consumer.ts";
import { startWebhookDispatcher } from "./dispatcher.ts";
import { webhookMetrics } from "./metrics.ts";
import { startWebhookSweeper } from "./sweeper.ts";

let config: WebhooksConfig | undefined;
function webhooksConfig(): WebhooksConfig {
  return config ??= readWebhooksConfig(processEnv());
}

/** Wakes this process's dispatcher when the consumer or the sweeper recorded deliveries. */
let wakeDispatcher: () => void = () => {};

export const webhookWorkerModules: readonly WorkerModule[] = [
  {
    name: "webhooks",
    start: async ({ pool, bus, registry, config: workers }) => {
      const c = webhooksConfig();
      const metrics = webhookMetrics(pool, registry);
      const dispatcher = startWebhookDispatcher({
        pool,
        metrics,
        resolve: resolveHost,
        log: workerLogger("webhooks"),
        config: {
          concurrency: c.dispatchBatchSize,
          pollMs: c.dispatchPollMs,
          leaseMs: c.deliveryLeaseMs,
          retryDelaysMs: webhookRetryDelaysMs,
          disable: {
            consecutiveFailures: c.disableAfterFailures,
            failingForMs: c.disableAfterMs,
          },
          allowPrivate: c.allowPrivateUrls,
        },
      });
      wakeDispatcher = dispatcher.wake;
      const consumer = await startWebhookConsumer({
        pool,
        bus,
        metrics,
        concurrency: workers.ledgerConcurrency,
        onDeliveries: dispatcher.wake,
      });
      return {
        async stop() {
          await consumer.stop();
          await dispatcher.stop();
        },
      };
    },
  },
  {
    name: "webhook-sweeper",
    start: ({ pool, registry }) => {
      const c = webhooksConfig();
      return Promise.resolve(startWebhookSweeper({
        pool,
        registry,
        metrics: webhookMetrics(pool, registry),
        log: workerLogger("webhook-sweeper"),
        graceMs: c.sweepGraceMs,
        retentionMs: c.eventRetentionMs,
        intervalMs: c.sweepIntervalMs,
        onDeliveries: () => wakeDispatcher(),
      }));
    },
  },
];
