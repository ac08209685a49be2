import {
  claimDueWebhookDeliveries,
  type ClaimedWebhookDelivery,
  type Db,
  recordWebhookAttempt,
  type WebhookAttemptOutcome,
  type WebhookDisablePolicy,
} from "@pay/lib/db";
import { webhookRetryDelayMs } from "@pay/lib/domain";
import type { HostResolver } from "@pay/lib/webhooks";
import type { WorkerLog } from "../settlement/log.ts";
import type { WebhookMetrics } from "./metrics.ts";
import { type AttemptReport, sendWebhook } from "./send.ts";

export interface DispatcherConfig {
  /** Attempts in flight at most in this process (and deliveries one claim takes). */
  readonly concurrency: number;
  readonly pollMs: number;
  readonly leaseMs: number;
  readonly retryDelaysMs: readonly number[];
  readonly disable: WebhookDisablePolicy;
  readonly allowPrivate: boolean;
  readonly timeoutMs?: number;
}

export interface DispatcherDeps {
  readonly pool: Db;
  readonly config: DispatcherConfig;
  readonly metrics: WebhookMetrics;
  readonly resolve: HostResolver;
  readonly log: WorkerLog;
}

export interface RunningDispatcher {
  /** Claims now instead of after the poll interval (new deliveries were recorded). */
  wake(): void;
  /** Stops claiming and waits for attempts in flight. */
  stop(): Promise<void>;
}

/** After a failed claim (database down), wait this many poll intervals. */
const claimFailureBackoffPolls = 10;

/**
 * Sends due webhook deliveries: claims up to the free attempt slots (SKIP
 * LOCKED + lease, so dispatchers in several processes never send one attempt
 * twice at once), sends each without holding a transaction, records the
 * result. Claims again when a slot frees, when woken, or after `pollMs`.
 */
export function startWebhookDispatcher(deps: DispatcherDeps): RunningDispatcher {
  const { config } = deps;
  const inFlight = new Set<Promise<void>>();
  let stopped = false;
  let wakeUp: (() => void) | null = null;
  let woken = false;
  const wake = () => {
    woken = true;
    wakeUp?.();
  };
  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      if (woken) return resolve();
      const timer = setTimeout(() => done(), ms);
      const done = () => {
        clearTimeout(timer);
        wakeUp = null;
        resolve();
      };
      wakeUp = done;
    });

  async function loop(): Promise<void> {
    while (!stopped) {
      woken = false;
      const free = config.concurrency - inFlight.size;
      if (free <= 0) {
        await sleep(config.pollMs);
        continue;
      }
      let claimed: ClaimedWebhookDelivery[];
      try {
        claimed = await claimDueWebhookDeliveries(deps.pool, {
          limit: free,
          leaseMs: config.leaseMs,
        });
      } catch (error) {
        deps.log("webhook_claim_failed", { error: String(error) });
        await sleep(config.pollMs * claimFailureBackoffPolls);
        continue;
      }
      for (const delivery of claimed) {
        const running = attempt(deps, delivery).finally(() => {
          inFlight.delete(running);
          wake();
        });
        inFlight.add(running);
      }
      if (claimed.length < free) await sleep(config.pollMs);
    }
  }

  const running = loop();
  return {
    wake,
    async stop() {
      stopped = true;
      wake();
      await running;
      await Promise.all(inFlight);
    },
  };
}

/** One attempt of a claimed delivery: send, then record. Never throws. */
async function attempt(deps: DispatcherDeps, delivery: ClaimedWebhookDelivery): Promise<void> {
  const { config, metrics } = deps;
  if (delivery.attempts === 1) {
    metrics.firstAttemptDelay.observe((Date.now() - delivery.eventCreatedAt.getTime()) / 1000);
  }
  const report = await sendWebhook(
    {
      url: delivery.url,
      eventId: delivery.eventId,
      payload: delivery.payload,
      secrets: delivery.secrets,
    },
    { resolve: deps.resolve, allowPrivate: config.allowPrivate, timeoutMs: config.timeoutMs },
  );
  metrics.attempts.inc({ result: report.result });
  metrics.attemptDuration.observe({ result: report.result }, report.latencyMs / 1000);
  const outcome = outcomeOf(report, delivery.attempts, config.retryDelaysMs);
  try {
    const recorded = await recordWebhookAttempt(deps.pool, delivery, outcome, config.disable);
    if (recorded === "stale") {
      deps.log("webhook_attempt_stale", { deliveryId: delivery.id, eventId: delivery.eventId });
      return;
    }
    if (outcome.result !== "retry") metrics.deliveries.inc({ result: outcome.result });
    if (recorded === "recorded_endpoint_disabled") {
      metrics.endpointsDisabled.inc();
      deps.log("webhook_endpoint_disabled", {
        endpointId: delivery.endpointId,
        merchantId: delivery.merchantId,
      });
    }
  } catch (error) {
    // The lease runs out and the delivery is attempted again: at least once.
    deps.log("webhook_record_failed", { deliveryId: delivery.id, error: String(error) });
  }
}

/** Delivered on a 2xx; otherwise retried on the schedule, or failed once it is exhausted. */
export function outcomeOf(
  report: AttemptReport,
  attempts: number,
  retryDelaysMs: readonly number[],
): WebhookAttemptOutcome {
  const base = { statusCode: report.statusCode, error: report.error, latencyMs: report.latencyMs };
  if (report.result === "delivered") return { ...base, result: "delivered" };
  const delay = webhookRetryDelayMs(retryDelaysMs, attempts, Math.random());
  return delay === null
    ? { ...base, result: "failed" }
    : { ...base, result: "retry", retryDelayMs: delay };
}
