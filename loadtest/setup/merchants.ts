import type { RateLimitClass, RateLimitRule } from "@pay/lib/config";
import { createApiKey, createMerchant, type Pool } from "@pay/lib/db";
import type { LoadMerchant } from "../http/auth.ts";

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
  return Array.from({ length: count }, (_, i) => `LT${runId}-${i + 1}`);
}

/** Creates the run's merchants with one API key each (keys are shown only to this process). */
export async function createLoadMerchants(
  pool: Pool,
  runId: string,
  count: number,
  apiKeyEnv: string,
): Promise<LoadMerchant[]> {
  const merchants: LoadMerchant[] = [];
  for (const merchantId of loadMerchantIds(runId, count)) {
    await createMerchant(pool, { id: merchantId, name: `Load test ${runId}` });
    const { apiKey } = await createApiKey(pool, {
      merchantId,
      env: apiKeyEnv,
      label: "load",
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
