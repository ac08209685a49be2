import type { ProfileConfig, RedisConfig } from "@pay/lib/config";
import { type Redis, redisForProfile } from "@pay/lib/redis";
import {
  type IdempotencyCache,
  noIdempotencyCache,
  redisIdempotencyCache,
} from "./idempotency/cache.ts";
import type { NonceStore } from "./nonces/port.ts";
import { redisNonceStore } from "./nonces/redis.ts";
import { sqliteNonceStore } from "./nonces/sqlite.ts";

/** What ingest instances share in the scale-out profile (Redis roles), or on this machine embedded. */
export interface IngestSharedStores {
  readonly idempotencyCache: IdempotencyCache;
  readonly nonces: NonceStore;
  /** Named dependency checks shown by /ready: Redis when scale-out; none when embedded. */
  readonly readiness: Readonly<Record<string, () => Promise<boolean>>>;
  /** Closes what these stores opened themselves (never a client the caller passed in). */
  close(): void;
}

/** Scale-out: the idempotency cache and the nonces in `redis`, which the caller owns. */
export function redisIngestStores(redis: Redis, cacheTtlSeconds: number): IngestSharedStores {
  return {
    idempotencyCache: redisIdempotencyCache(redis, cacheTtlSeconds),
    nonces: redisNonceStore(redis),
    readiness: { redis: () => redis.ping().then(() => true, () => false) },
    close() {},
  };
}

/**
 * Embedded: no idempotency cache (the database decides), nonces in a SQLite
 * file under `dataDir` that the ingest instances on this machine share.
 */
export function embeddedIngestStores(dataDir: string): IngestSharedStores {
  const nonces = sqliteNonceStore(dataDir);
  return {
    idempotencyCache: noIdempotencyCache,
    nonces,
    readiness: {},
    close: () => nonces.close(),
  };
}

/** The stores `profile` calls for: Redis (opened here) for scale-out; no Redis client at all embedded. */
export function ingestStoresForProfile(
  profile: ProfileConfig,
  redisConfig: RedisConfig,
  cacheTtlSeconds: number,
): IngestSharedStores {
  const redis = redisForProfile(profile, redisConfig);
  if (redis === null) return embeddedIngestStores(profile.dataDir);
  return { ...redisIngestStores(redis, cacheTtlSeconds), close: () => redis.disconnect() };
}
