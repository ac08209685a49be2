import { type Db, tryAcquireSchedulerLease } from "@pay/lib/db";
import type { PassResult } from "./loop.ts";

/**
 * Lease intervals a holder may miss before another process takes the
 * sweeper over: a pass longer than one interval keeps its lease, a holder
 * gone for three intervals hands over.
 */
export const leaseIntervals = 3;

/** This process's name in `scheduler_lease.owner`: unique per process, like bus consumer names. */
export const processLeaseOwner = `${Deno.pid}-${crypto.randomUUID().slice(0, 8)}`;

export interface LeasedPassOptions {
  readonly pool: Db;
  /** The sweeper's name: the lease row. */
  readonly name: string;
  readonly owner: string;
  readonly intervalMs: number;
  readonly pass: () => Promise<PassResult>;
}

/**
 * A pass that runs only in the process holding the sweeper's lease; the others
 * do nothing and try again next interval. Renews the lease on every pass.
 */
export function leasedPass(options: LeasedPassOptions): () => Promise<PassResult> {
  return async () => {
    const held = await tryAcquireSchedulerLease(options.pool, {
      name: options.name,
      owner: options.owner,
      durationMs: options.intervalMs * leaseIntervals,
    });
    return held ? await options.pass() : { items: 0, more: false };
  };
}
