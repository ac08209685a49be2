import type { Redis } from "@pay/lib/redis";

/**
 * Redis in front of idempotency_record: one key per (merchant, key) holding
 * either an in-flight marker (with the holder's fingerprint and a token) or
 * the completed response. Redis is only a cache and a concurrency signal:
 * MariaDB's records and unique keys decide, so losing Redis never loses
 * correctness.
 */
export type CachedEntry =
  | { readonly state: "in_flight"; readonly fingerprint: string; readonly token: string }
  | {
    readonly state: "done";
    readonly fingerprint: string;
    readonly httpStatus: number;
    readonly body: string;
  };

export type BeginOutcome =
  | { readonly kind: "acquired"; readonly token: string }
  | { readonly kind: "found"; readonly entry: CachedEntry };

// GET, or SET NX with a TTL when absent, in one round trip.
const beginScript = `
local v = redis.call('GET', KEYS[1])
if v then return v end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
return false`;

// DEL only while the key still holds our in-flight marker.
const releaseScript = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`;

export interface IdempotencyCache {
  begin(
    merchantId: string,
    key: string,
    fingerprint: string,
    lockTtlMs: number,
  ): Promise<BeginOutcome>;
  /** The entry as it is now, or null when there is none (released, expired, evicted). */
  peek(merchantId: string, key: string): Promise<CachedEntry | null>;
  complete(merchantId: string, key: string, entry: CachedEntry & { state: "done" }): Promise<void>;
  release(merchantId: string, key: string, token: string, fingerprint: string): Promise<void>;
}

function cacheKey(merchantId: string, key: string): string {
  return `idem:${merchantId}:${key}`;
}

function inFlightValue(fingerprint: string, token: string): string {
  return JSON.stringify({ state: "in_flight", fingerprint, token });
}

interface IdempotencyCommands {
  idempotencyBegin(key: string, value: string, ttlMs: string): Promise<string | null>;
  idempotencyRelease(key: string, value: string): Promise<number>;
}

/** Registers the scripts once; ioredis then sends EVALSHA (falling back to EVAL after a flush). */
function withCommands(redis: Redis): Redis & IdempotencyCommands {
  const commands = redis as Redis & Partial<IdempotencyCommands>;
  if (!commands.idempotencyBegin) {
    redis.defineCommand("idempotencyBegin", { numberOfKeys: 1, lua: beginScript });
    redis.defineCommand("idempotencyRelease", { numberOfKeys: 1, lua: releaseScript });
  }
  return commands as Redis & IdempotencyCommands;
}

export function redisIdempotencyCache(client: Redis, ttlSeconds: number): IdempotencyCache {
  const redis = withCommands(client);
  return {
    async begin(merchantId, key, fingerprint, lockTtlMs) {
      const token = crypto.randomUUID();
      const found = await redis.idempotencyBegin(
        cacheKey(merchantId, key),
        inFlightValue(fingerprint, token),
        String(lockTtlMs),
      );
      if (found === null) return { kind: "acquired", token };
      return { kind: "found", entry: JSON.parse(found) as CachedEntry };
    },
    async peek(merchantId, key) {
      const found = await redis.get(cacheKey(merchantId, key));
      return found === null ? null : JSON.parse(found) as CachedEntry;
    },
    async complete(merchantId, key, entry) {
      await redis.set(cacheKey(merchantId, key), JSON.stringify(entry), "EX", ttlSeconds);
    },
    async release(merchantId, key, token, fingerprint) {
      await redis.idempotencyRelease(cacheKey(merchantId, key), inFlightValue(fingerprint, token));
    },
  };
}

/**
 * No cache (the embedded profile): every request goes to the database, whose
 * records and unique keys decide alone, as they do while Redis is down. A
 * concurrent repeat then waits on the database's claim of the key (capture,
 * refund, cancel) or loses the race on the payment's unique key (authorize)
 * and replays the first answer from its record.
 */
export const noIdempotencyCache: IdempotencyCache = Object.freeze({
  begin: () => Promise.resolve({ kind: "acquired", token: crypto.randomUUID() } as const),
  peek: () => Promise.resolve(null),
  complete: () => Promise.resolve(),
  release: () => Promise.resolve(),
});
