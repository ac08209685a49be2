import { inspectIdempotencyRecord } from "@pay/lib/db";
import type { OpsContext } from "./context.ts";

/** Characters of a stored response body shown; the full body can be large. */
export const bodyPreviewCharsMax = 4_000;

export interface IdempotencyLookup {
  readonly merchantId: string;
  readonly key: string;
  /** The MariaDB record (the truth), or null. Expired records are shown, not deleted. */
  readonly record: {
    readonly fingerprint: string;
    readonly method: string;
    readonly path: string;
    readonly status: string;
    readonly httpStatus: number;
    readonly paymentId: string | null;
    readonly createdAt: Date;
    readonly expiresAt: Date;
    readonly expired: boolean;
    readonly body: string;
    readonly bodyTruncated: boolean;
  } | null;
  /** The Redis cache entry (in-flight marker or completed response), or null (always under embedded). */
  readonly cache: {
    readonly key: string;
    readonly ttlMs: number | null;
    readonly state: string | null;
    readonly fingerprint: string | null;
    readonly httpStatus: number | null;
    /** True when the cached fingerprint differs from the MariaDB record's. */
    readonly fingerprintDiffers: boolean;
  } | null;
}

/**
 * The cache key ingest writes (ingest/idempotency/cache.ts keeps it private):
 * `idem:{merchant}:{key}` under the platform's key prefix.
 */
export function idempotencyCacheKey(merchantId: string, key: string): string {
  return `idem:${merchantId}:${key}`;
}

/** Reads the record for (merchant, key) from MariaDB and the cache entry from Redis; changes nothing. */
export async function idempotencyLookup(
  ctx: OpsContext,
  merchantId: string,
  key: string,
): Promise<IdempotencyLookup> {
  const cacheKey = idempotencyCacheKey(merchantId, key);
  // The embedded profile keeps no cache: the record alone decides.
  const redis = ctx.redis;
  const [row, cached, ttl] = await Promise.all([
    inspectIdempotencyRecord(ctx.pool, merchantId, key),
    redis ? redis.get(cacheKey) : null,
    redis ? redis.pttl(cacheKey) : -2,
  ]);
  const record = row
    ? {
      fingerprint: row.fingerprint,
      method: row.method,
      path: row.path,
      status: row.status,
      httpStatus: row.httpStatus,
      paymentId: row.paymentId,
      createdAt: row.createdAt,
      expiresAt: row.expiresAt,
      expired: row.expiresAt <= ctx.now(),
      body: row.body.slice(0, bodyPreviewCharsMax),
      bodyTruncated: row.body.length > bodyPreviewCharsMax,
    }
    : null;
  let cache: IdempotencyLookup["cache"] = null;
  if (cached !== null) {
    let parsed: { state?: string; fingerprint?: string; httpStatus?: number } = {};
    try {
      parsed = JSON.parse(cached);
    } catch { /* shown as an unreadable entry */ }
    cache = {
      key: ctx.redisKeyPrefix + cacheKey,
      ttlMs: ttl >= 0 ? ttl : null,
      state: parsed.state ?? null,
      fingerprint: parsed.fingerprint ?? null,
      httpStatus: parsed.httpStatus ?? null,
      fingerprintDiffers: record !== null && parsed.fingerprint !== record.fingerprint,
    };
  }
  return { merchantId, key, record, cache };
}
