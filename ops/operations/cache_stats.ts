import { type OpsContext, redisOf } from "./context.ts";

/**
 * Keys one stats call looks at with SCAN. Enough to see the key families of a
 * busy platform; bounded so the call stays in milliseconds on any keyspace.
 */
export const scanKeysMax = 10_000;
/** COUNT hint of one SCAN step. */
const scanStepCount = 1_000;

export interface CacheStats {
  readonly hits: number;
  readonly misses: number;
  /** hits / (hits + misses); null before the first lookup. */
  readonly hitRatio: number | null;
  readonly usedMemoryBytes: number;
  readonly usedMemoryPeakBytes: number;
  readonly maxMemoryBytes: number;
  readonly evictedKeys: number;
  readonly expiredKeys: number;
  readonly connectedClients: number;
  /** Keys in the current database (DBSIZE), every prefix. */
  readonly dbKeys: number;
  /** Keys under the platform's prefix, grouped by their first segment (`idem`, `rl`, `stream`...). */
  readonly keysByPrefix: Readonly<Record<string, number>>;
  readonly keysScanned: number;
  /** False when the scan stopped at `scanKeysMax` (the grouping is then a sample). */
  readonly scanComplete: boolean;
}

/** `INFO` text as a map of field to value. */
export function parseRedisInfo(text: string): Map<string, string> {
  const fields = new Map<string, string>();
  for (const line of text.split(/\r?\n/)) {
    const at = line.indexOf(":");
    if (at > 0 && !line.startsWith("#")) fields.set(line.slice(0, at), line.slice(at + 1).trim());
  }
  return fields;
}

/** The family of a key below the platform prefix: its text up to the first `:`. */
export function keyFamily(fullKey: string, prefix: string): string {
  const rest = fullKey.slice(prefix.length);
  const at = rest.indexOf(":");
  return at > 0 ? rest.slice(0, at) : rest;
}

export async function cacheStats(ctx: OpsContext): Promise<CacheStats> {
  const redis = redisOf(
    ctx,
    "there is no cache (the database decides idempotency; rate limits and nonces live in the processes)",
  );
  const [info, dbKeys] = await Promise.all([redis.info(), redis.dbsize()]);
  const fields = parseRedisInfo(info);
  const num = (name: string) => Number(fields.get(name) ?? 0);
  const hits = num("keyspace_hits");
  const misses = num("keyspace_misses");
  const keysByPrefix: Record<string, number> = {};
  let cursor = "0";
  let keysScanned = 0;
  do {
    // SCAN ignores the client's keyPrefix: MATCH on the full prefix, keys come back full.
    const [next, keys] = await redis.scan(
      cursor,
      "MATCH",
      `${ctx.redisKeyPrefix}*`,
      "COUNT",
      scanStepCount,
    );
    cursor = next;
    for (const key of keys) {
      if (keysScanned >= scanKeysMax) break;
      keysScanned++;
      const family = keyFamily(key, ctx.redisKeyPrefix);
      keysByPrefix[family] = (keysByPrefix[family] ?? 0) + 1;
    }
  } while (cursor !== "0" && keysScanned < scanKeysMax);
  return {
    hits,
    misses,
    hitRatio: hits + misses > 0 ? hits / (hits + misses) : null,
    usedMemoryBytes: num("used_memory"),
    usedMemoryPeakBytes: num("used_memory_peak"),
    maxMemoryBytes: num("maxmemory"),
    evictedKeys: num("evicted_keys"),
    expiredKeys: num("expired_keys"),
    connectedClients: num("connected_clients"),
    dbKeys,
    keysByPrefix,
    keysScanned,
    scanComplete: cursor === "0",
  };
}
