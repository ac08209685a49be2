/**
 * The authorization janitor (DESIGN §10). Ingest records an authorization
 * attempt before it asks the PG and closes it in the payment's transaction.
 * An attempt still PENDING past AUTH_ATTEMPT_RESOLVE_AFTER_MS lost its
 * outcome: the PG call timed out, or the database failed (or the process
 * died) between the PG's answer and the commit. The janitor asks the PG what
 * became of it, by the attempt's PG idempotency key:
 * - approved, and no payment here: the hold is voided at the PG (cancel with
 *   the idempotency key `void_<pg key>`), the attempt ends VOIDED and the
 *   merchant's key answers 409 `authorization_voided` from then on;
 * - declined, or unknown to the PG: closed, nothing to undo (a retry of the
 *   key asks the PG afresh);
 * - PG unreachable: left PENDING, asked again once the claim's lease ends.
 *
 * Why void rather than complete the payment: the merchant was never told
 * "authorized" (its request failed with a 503 or timed out), so it either
 * retried promptly (that retry, not the janitor, then completes the payment
 * with the PG's replayed answer) or gave up, and a payment it does not know
 * about would only hold the cardholder's funds until expiry. Voiding releases
 * the funds at once; the key's 409 tells a late retry to start over with a
 * new key rather than receive a payment whose hold is gone.
 *
 * Several worker processes share the work: attempts are claimed with SKIP
 * LOCKED and a lease, and every change is conditional on the claimed version
 * (repo: lib/db/authorization_attempt_repo.ts).
 */
import type { AuthorizationJanitorConfig } from "@pay/lib/config";
import {
  beginAttemptVoid,
  claimDueAuthorizationAttempts,
  type ClaimedAttempt,
  type Db,
  finishAttemptVoid,
  purgeResolvedAuthorizationAttempts,
  resolveClaimedAttempt,
} from "@pay/lib/db";
import { prom, type Registry } from "@pay/lib/metrics";
import type { PgClient } from "@pay/lib/pg";
import { isTransientFailure } from "@pay/lib/resilience";
import type { WorkerLog } from "../settlement/log.ts";
import { type PassResult, type RunningLoop, startIntervalLoop } from "./loop.ts";

export interface AuthorizationJanitorDeps {
  readonly pool: Db;
  readonly pg: Pick<PgClient, "lookupAuthorization" | "cancel">;
  readonly config: AuthorizationJanitorConfig;
  readonly registry: Registry;
  readonly log: WorkerLog;
  readonly now?: () => Date;
}

/** What the janitor did with one claimed attempt (the `outcome` label of its metrics). */
export type JanitorOutcome =
  | "voided"
  | "not_at_pg"
  | "declined_at_pg"
  | "captured_at_pg"
  /** A payment existed after all: the attempt is closed, the hold kept. */
  | "paid"
  /** A merchant retry took the attempt over: left to it. */
  | "lost"
  | "pg_unavailable"
  /** The PG refused the void (not an already-voided hold): retried each lease, alerted. */
  | "void_rejected";

export interface JanitorMetrics {
  readonly found: prom.Counter;
  readonly resolved: prom.Counter<"outcome">;
  readonly failures: prom.Counter<"reason">;
  readonly purged: prom.Counter;
}

const metricsByRegistry = new WeakMap<Registry, JanitorMetrics>();

export function authorizationJanitorMetrics(registry: Registry): JanitorMetrics {
  const known = metricsByRegistry.get(registry);
  if (known) return known;
  const registers = [registry];
  const metrics: JanitorMetrics = {
    found: new prom.Counter({
      name: "authorization_janitor_found_total",
      help:
        "Authorization attempts found PENDING past AUTH_ATTEMPT_RESOLVE_AFTER_MS (an outcome was lost)",
      registers,
    }),
    resolved: new prom.Counter({
      name: "authorization_janitor_resolved_total",
      help:
        "Lost authorization outcomes the janitor resolved, by outcome (voided = an orphan hold released)",
      labelNames: ["outcome"],
      registers,
    }),
    failures: new prom.Counter({
      name: "authorization_janitor_failures_total",
      help:
        "Attempts the janitor could not resolve this pass, by reason (pg_unavailable, void_rejected, error)",
      labelNames: ["reason"],
      registers,
    }),
    purged: new prom.Counter({
      name: "authorization_janitor_purged_total",
      help: "Resolved authorization attempts deleted after AUTH_ATTEMPT_RETENTION",
      registers,
    }),
  };
  for (const outcome of ["voided", "not_at_pg", "declined_at_pg", "captured_at_pg", "paid"]) {
    metrics.resolved.inc({ outcome }, 0);
  }
  metricsByRegistry.set(registry, metrics);
  return metrics;
}

/** The void's PG idempotency key: one per attempt, so a repeated void never acts twice. */
export function voidKeyOf(pgKey: string): string {
  return `void_${pgKey}`;
}

/**
 * One pass: claims due attempts, resolves them one after another (stopping
 * at the first PG failure: the rest wait for their lease to end), then
 * purges resolved attempts past their retention.
 */
export async function resolveLostAuthorizations(
  deps: AuthorizationJanitorDeps,
  now: Date,
): Promise<PassResult> {
  const metrics = authorizationJanitorMetrics(deps.registry);
  const { config } = deps;
  const claimed = await claimDueAuthorizationAttempts(deps.pool, {
    now,
    resolveAfterMs: config.resolveAfterMs,
    leaseMs: config.leaseMs,
    limit: config.batchSize,
  });
  for (const attempt of claimed) {
    if (attempt.status === "PENDING") metrics.found.inc();
    const outcome = await resolveOne(deps, attempt, now).catch((error) => {
      metrics.failures.inc({ reason: "error" });
      deps.log("authorization_janitor_failed", { pgKey: attempt.pgKey, error: String(error) });
      return undefined;
    });
    if (outcome === undefined) continue;
    countOutcome(deps, metrics, attempt, outcome);
    if (outcome === "pg_unavailable") break;
  }
  const purged = await purgeResolvedAuthorizationAttempts(
    deps.pool,
    new Date(now.getTime() - config.retentionMs),
    config.batchSize,
  );
  metrics.purged.inc(purged);
  return {
    items: claimed.length + purged,
    more: claimed.length === config.batchSize || purged === config.batchSize,
  };
}

function countOutcome(
  deps: AuthorizationJanitorDeps,
  metrics: JanitorMetrics,
  attempt: ClaimedAttempt,
  outcome: JanitorOutcome,
): void {
  if (outcome === "pg_unavailable" || outcome === "void_rejected") {
    metrics.failures.inc({ reason: outcome });
  } else if (outcome !== "lost") {
    metrics.resolved.inc({ outcome });
  }
  deps.log("authorization_attempt_resolved", {
    pgKey: attempt.pgKey,
    merchantId: attempt.merchantId,
    outcome,
  });
}

async function resolveOne(
  deps: AuthorizationJanitorDeps,
  attempt: ClaimedAttempt,
  now: Date,
): Promise<JanitorOutcome> {
  if (attempt.status === "VOIDING") return await voidHold(deps, attempt, now);
  let found;
  try {
    found = await deps.pg.lookupAuthorization(attempt.pgKey);
  } catch (error) {
    if (isTransientFailure(error)) return "pg_unavailable";
    throw error;
  }
  if (!found.found) return await close(deps, attempt, "NOT_AT_PG", null, now);
  switch (found.status) {
    case "declined":
      return await close(deps, attempt, "DECLINED_AT_PG", found.authorizationId, now);
    case "captured":
      return await close(deps, attempt, "CAPTURED_AT_PG", found.authorizationId, now);
    case "approved":
    case "voided": {
      const decision = await beginAttemptVoid(deps.pool, attempt, {
        now,
        pgAuthorizationId: found.authorizationId,
        retentionMs: deps.config.retentionMs,
      });
      if (decision !== "voiding") return decision;
      const voiding = { ...attempt, status: "VOIDING", pgAuthorizationId: found.authorizationId };
      return await voidHold(deps, voiding as ClaimedAttempt, now);
    }
  }
}

async function close(
  deps: AuthorizationJanitorDeps,
  attempt: ClaimedAttempt,
  outcome: "NOT_AT_PG" | "DECLINED_AT_PG" | "CAPTURED_AT_PG",
  pgAuthorizationId: string | null,
  now: Date,
): Promise<JanitorOutcome> {
  const closed = await resolveClaimedAttempt(deps.pool, attempt, {
    outcome,
    pgAuthorizationId,
    at: now,
  });
  return closed ? outcome.toLowerCase() as JanitorOutcome : "lost";
}

/** Voids a VOIDING attempt's hold at the PG and closes it; an already-voided hold counts as done. */
async function voidHold(
  deps: AuthorizationJanitorDeps,
  attempt: ClaimedAttempt,
  now: Date,
): Promise<JanitorOutcome> {
  const authorizationId = attempt.pgAuthorizationId;
  if (authorizationId === null) {
    throw new Error(`VOIDING attempt without a PG id: ${attempt.pgKey}`);
  }
  let result;
  try {
    result = await deps.pg.cancel({
      idempotencyKey: voidKeyOf(attempt.pgKey),
      authorizationId,
      reference: attempt.pgKey,
    });
  } catch (error) {
    if (isTransientFailure(error)) return "pg_unavailable";
    throw error;
  }
  if (result.outcome === "rejected" && result.code !== "already_cancelled") {
    deps.log("authorization_void_rejected", { pgKey: attempt.pgKey, code: result.code });
    return "void_rejected";
  }
  const pgVoidId = result.outcome === "succeeded" ? result.pgId : null;
  await finishAttemptVoid(deps.pool, attempt.pgKey, { pgVoidId, at: now });
  return "voided";
}

/** The janitor loop, every AUTH_JANITOR_INTERVAL_MS. */
export function startAuthorizationJanitor(deps: AuthorizationJanitorDeps): RunningLoop {
  const now = deps.now ?? (() => new Date());
  // Exported from the start, so alerts see the series before the first repair.
  authorizationJanitorMetrics(deps.registry);
  return startIntervalLoop({
    name: "authorization-janitor",
    intervalMs: deps.config.intervalMs,
    registry: deps.registry,
    log: deps.log,
    pass: () => resolveLostAuthorizations(deps, now()),
  });
}
