import type { RateLimitClass, RateLimitRule } from "@pay/lib/config";
import {
  createApiKey,
  createMerchant,
  type Db,
  deleteMerchants,
  liveMerchantsWithPrefixes,
  merchantsNamedWith,
  merchantsWithoutHistory,
  revokeMerchantsKeys,
  setMerchantsStatus,
} from "@pay/lib/db";
import type { LoadMerchant } from "../http/auth.ts";

/**
 * A load-test merchant carries three marks, so no cleanup can mistake a real
 * merchant for one: its id starts with `LT_`, its name with `Load test run `,
 * and its keys are labelled `load`.
 */
export const loadMerchantIdPrefix = "LT_";
export const loadMerchantNamePrefix = "Load test run ";
export const loadKeyLabel = "load";
/** The status a used load-test merchant is left in: its payments stay, nobody can send as it. */
export const retiredMerchantStatus = "CLOSED";

/**
 * Headroom over the per-merchant rate limits when the generator picks how
 * many merchants to spread the load over: a merchant runs at no more than
 * 80% of its limit, so GCRA's exact spacing never turns jitter into 429s.
 */
export const rateLimitHeadroom = 1.25;
/** Merchants one run creates at most: enough for 100,000/s at the default limits. */
export const loadMerchantsMax = 2_000;

/**
 * How many merchants carry `peakRate` iterations/s without hitting the
 * gateway's per-merchant limits: each iteration sends one request of each
 * class the scenario uses.
 */
export function merchantsNeeded(
  peakRate: number,
  limits: Readonly<Record<RateLimitClass, RateLimitRule>>,
  classes: readonly RateLimitClass[],
): number {
  const perClass = classes.map((c) => peakRate * rateLimitHeadroom / (limits[c].perMinute / 60));
  return Math.min(
    loadMerchantsMax,
    Math.max(1, Math.ceil(Math.max(0, ...perClass))),
  );
}

/** Merchant ids of a run: unique to it, so its payments can be counted by merchant. */
export function loadMerchantIds(runId: string, count: number): string[] {
  return Array.from({ length: count }, (_, i) => `${loadMerchantIdPrefix}${runId}_${i + 1}`);
}

/** Creates the run's merchants with one API key each (keys are shown only to this process). */
export async function createLoadMerchants(
  pool: Db,
  runId: string,
  count: number,
  apiKeyEnv: string,
): Promise<LoadMerchant[]> {
  const merchants: LoadMerchant[] = [];
  for (const merchantId of loadMerchantIds(runId, count)) {
    await createMerchant(pool, { id: merchantId, name: `${loadMerchantNamePrefix}${runId}` });
    const { apiKey } = await createApiKey(pool, {
      merchantId,
      env: apiKeyEnv,
      label: loadKeyLabel,
    });
    merchants.push({ merchantId, apiKey });
  }
  return merchants;
}

/** A short id for a run: base36 time plus randomness, unique across runs on one database. */
export function newRunId(): string {
  const random = crypto.getRandomValues(new Uint8Array(3));
  return Date.now().toString(36) +
    [...random].map((b) => b.toString(36).padStart(2, "0")).join("");
}

/** What a cleanup did. */
export interface RetiredMerchants {
  /** Keys revoked: the gateway refuses them within API_KEY_CACHE_TTL_MS. */
  readonly revokedKeys: number;
  /** Merchants that never got a payment or idempotency record: deleted with their keys. */
  readonly deleted: number;
  /** Merchants with payments: set CLOSED; their payments, ledger and settlements stay as they are. */
  readonly closed: number;
}

/**
 * Retires load-test merchants after a run: revokes their keys, deletes the
 * unused ones, closes the rest. Only ids with every load-test mark are
 * touched (a real merchant passed by mistake is skipped), and no payment is
 * ever changed: the ledger and reconciliation keep their history.
 */
export async function retireLoadMerchants(
  pool: Db,
  merchantIds: readonly string[],
): Promise<RetiredMerchants> {
  const marked = await markedLoadMerchants(pool, merchantIds);
  if (marked.length === 0) return { revokedKeys: 0, deleted: 0, closed: 0 };
  const revokedKeys = await revokeMerchantsKeys(pool, marked);
  const unusedIds = await merchantsWithoutHistory(pool, marked);
  await deleteMerchants(pool, unusedIds);
  const used = marked.filter((id) => !unusedIds.includes(id));
  const closed = await setMerchantsStatus(pool, used, retiredMerchantStatus);
  return { revokedKeys, deleted: unusedIds.length, closed };
}

/** Of `merchantIds`, those with the load-test id and name marks. */
async function markedLoadMerchants(
  pool: Db,
  merchantIds: readonly string[],
): Promise<string[]> {
  const candidates = merchantIds.filter((id) => id.startsWith(loadMerchantIdPrefix));
  return await merchantsNamedWith(pool, candidates, loadMerchantNamePrefix);
}

/**
 * Load-test merchants earlier runs left active (a run killed before its
 * cleanup), for `deno task load --cleanup`.
 */
export async function leftoverLoadMerchants(pool: Db): Promise<string[]> {
  return await liveMerchantsWithPrefixes(pool, {
    id: loadMerchantIdPrefix,
    name: loadMerchantNamePrefix,
  });
}
