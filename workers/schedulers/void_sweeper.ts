import {
  insertMissingVoidRequest,
  scanVoidSource,
  type VoidSource,
  voidSources,
  type VoidSweepRow,
} from "@pay/lib/db";
import type { PassResult } from "./loop.ts";
import { sweepAll, type SweepDeps, type SweepSource } from "./sweep_pass.ts";

/**
 * The void backstop: a CANCELLED or EXPIRED payment whose `payment.cancelled`
 * / `payment.expired` event left the outbox more than SWEEP_GRACE_MS ago and
 * that has no void_request gets the one the settlement consumer would have
 * created (one per payment, by its unique key, so a consumer racing the
 * sweeper leaves exactly one). The settlement retry scheduler then voids it
 * at the PG like any due request: it is created at the cancel time, older
 * than SETTLEMENT_RETRY_GRACE_MS, so the next retry pass claims it.
 */
export function sweepVoids(deps: SweepDeps, now: Date): Promise<PassResult> {
  return sweepAll(deps, "void", voidSources.map((s) => voidSweepSource(deps, s, now)), now);
}

function voidSweepSource(
  deps: SweepDeps,
  source: VoidSource,
  now: Date,
): SweepSource<VoidSweepRow> {
  return {
    name: source.name,
    scan: (scan) => scanVoidSource(deps.pool, source, scan),
    idOf: (row) => row.paymentId,
    repair: (row) => insertMissingVoidRequest(deps.pool, row, now),
  };
}
