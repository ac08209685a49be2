import type { SettlementConfig } from "@pay/lib/config";
import {
  claimDuePgRequests,
  type ClaimedPgRequest,
  type Db,
  type PgRequestKind,
} from "@pay/lib/db";
import type { WorkerLog } from "../settlement/log.ts";
import type { Settler } from "../settlement/settler.ts";
import type { PassResult } from "./loop.ts";

const kinds: readonly PgRequestKind[] = ["capture", "refund", "void"];

export interface RetryPassDeps {
  readonly pool: Db;
  readonly settler: Settler;
  readonly config: SettlementConfig;
  readonly log: WorkerLog;
}

/**
 * The retry policy's driver. Claims due PENDING capture, refund and void requests
 * (SKIP LOCKED, so several workers share the work) and settles each with one
 * PG call:
 * - requests the PG could not answer, once their backoff (`next_attempt_at`) passed;
 * - requests whose claim lapsed (the worker holding it crashed), once the lease passed;
 * - never-attempted requests older than SETTLEMENT_RETRY_GRACE_MS, whose bus
 *   message was lost or is stuck behind an outbox backlog.
 * Each call counts as an attempt; SETTLEMENT_ATTEMPTS_MAX of them fail the request.
 */
export async function retryDueRequests(deps: RetryPassDeps, now: Date): Promise<PassResult> {
  let items = 0;
  let more = false;
  for (const kind of kinds) {
    const claimed = await claimDuePgRequests(deps.pool, kind, {
      now,
      graceMs: deps.config.retryGraceMs,
      leaseMs: deps.config.leaseMs,
      limit: deps.config.retryBatchSize,
    });
    await settleAll(deps, claimed);
    items += claimed.length;
    more ||= claimed.length === deps.config.retryBatchSize;
  }
  return { items, more };
}

/** Settles claimed requests, at most SETTLEMENT_CONCURRENCY PG calls at once. */
async function settleAll(
  deps: RetryPassDeps,
  requests: readonly ClaimedPgRequest[],
): Promise<void> {
  let next = 0;
  const lane = async () => {
    while (next < requests.length) {
      const request = requests[next++]!;
      try {
        await deps.settler.settle(request);
      } catch (error) {
        // The claim stays until its lease runs out; the request is retried then.
        deps.log("settle_failed", { requestId: request.id, error: String(error) });
      }
    }
  };
  const lanes = Math.min(deps.config.concurrency, requests.length);
  await Promise.all(Array.from({ length: lanes }, lane));
}
