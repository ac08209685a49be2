import { processEnv, readRedisConfig, type RedisConfig } from "../config/mod.ts";
import { createRedis, type Redis } from "../redis/mod.ts";

export interface TestRedis {
  readonly config: RedisConfig;
  readonly redis: Redis;
  /** Deletes this test's keys only (never FLUSHDB: other test files share the server). */
  clear(): Promise<void>;
  close(): Promise<void>;
}

/**
 * A Redis client whose keys live under a prefix of this test file's own,
 * emptied first. Fails loudly when Redis is not reachable.
 */
export async function freshTestRedis(name: string): Promise<TestRedis> {
  const base = readRedisConfig(processEnv());
  const config = { ...base, keyPrefix: `${base.keyPrefix}t:${name}:` };
  const redis = createRedis(config);
  try {
    await waitReady(redis);
  } catch (error) {
    redis.disconnect();
    throw new Error(
      `Redis is not reachable at ${config.url} (integration tests need it): ${error}`,
    );
  }
  await deleteByPrefix(redis, config.keyPrefix);
  return {
    config,
    redis,
    clear: () => deleteByPrefix(redis, config.keyPrefix),
    close: async () => void (await redis.quit()),
  };
}

async function waitReady(redis: Redis): Promise<void> {
  if (redis.status === "ready") return;
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("timed out after 3000 ms")), 3_000);
    redis.once("ready", () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

/** SCAN ignores the client's keyPrefix, so match on the full prefix and strip it before DEL. */
async function deleteByPrefix(redis: Redis, prefix: string): Promise<void> {
  let cursor = "0";
  do {
    const [next, keys] = await redis.scan(cursor, "MATCH", `${prefix}*`, "COUNT", 500);
    cursor = next;
    if (keys.length) await redis.del(...keys.map((key) => key.slice(prefix.length)));
  } while (cursor !== "0");
}
