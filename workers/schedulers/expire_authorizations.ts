import { type Db, expireDueAuthorizations } from "@pay/lib/db";
import { countPaymentTransition, type Registry } from "@pay/lib/metrics";
import type { PassResult } from "./loop.ts";

export interface ExpiryPass {
  readonly now: Date;
  readonly batchSize: number;
}

/**
 * AUTHORIZED payments whose `auth_expires_at` passed → EXPIRED, with
 * `payment.expired` in the outbox, at most `batchSize` per transaction
 * (lib/db/authorization_expiry_repo.ts: several worker processes never expire
 * one payment twice and never wait on each other).
 */
export async function expireAuthorizations(
  pool: Db,
  pass: ExpiryPass,
  registry: Registry,
): Promise<PassResult> {
  const planned = await expireDueAuthorizations(pool, pass);
  for (const p of planned) countPaymentTransition(registry, p.from, p.to);
  return { items: planned.length, more: planned.length === pass.batchSize };
}
