import { Redis } from "ioredis";
import { probeServer } from "@pay/lib/db";
import { redisAddress } from "@pay/lib/redis";
import {
  type BusConfig,
  dbAddress,
  type DbConfig,
  type RedisConfig,
  type StorageConfig,
} from "@pay/lib/config";

/**
 * How long the pre-flight waits for one dependency to accept a connection:
 * on one machine or a LAN they answer in milliseconds; past this they are
 * not there.
 */
export const preflightConnectTimeoutMs = 3_000;

/** The driver's error code (ECONNREFUSED, ER_ACCESS_DENIED_ERROR...), or its message. */
function reasonOf(error: unknown): string {
  const code = (error as { code?: unknown })?.code;
  if (typeof code === "string" && code !== "") return code;
  const message = error instanceof Error ? error.message : String(error);
  return message.split("\n")[0]!.slice(0, 120);
}

const accessDenied = new Set([
  "ER_ACCESS_DENIED_ERROR",
  "ER_ACCESS_DENIED_NO_PASSWORD_ERROR",
  "ER_DBACCESS_DENIED_ERROR",
]);

/** One line naming what is wrong with MariaDB and the variables that fix it, or undefined. */
export async function checkMariadb(config: DbConfig): Promise<string | undefined> {
  const where = dbAddress(config);
  try {
    await probeServer(config, preflightConnectTimeoutMs);
    return undefined;
  } catch (error) {
    const reason = reasonOf(error);
    if (accessDenied.has(reason)) {
      return `MariaDB at ${where} refused user ${config.user} (${reason}): set DB_USER/DB_PASSWORD`;
    }
    const fix = config.socketPath
      ? "set DB_SOCKET (or unset it to use DB_HOST/DB_PORT)"
      : "set DB_HOST/DB_PORT";
    return `MariaDB is not reachable at ${where} (${reason}): start it or ${fix}`;
  }
}

/** One line naming what is wrong with Redis and the variable that fixes it, or undefined. */
export async function checkRedis(config: RedisConfig): Promise<string | undefined> {
  const redis = new Redis(config.url, {
    lazyConnect: true,
    connectTimeout: preflightConnectTimeoutMs,
    retryStrategy: () => null,
    maxRetriesPerRequest: 0,
    enableOfflineQueue: false,
  });
  // connect() rejects with "Connection is closed"; the cause (ECONNREFUSED...) comes as an event.
  let cause: unknown;
  redis.on("error", (error) => cause ??= error);
  try {
    await redis.connect();
    await redis.ping();
    return undefined;
  } catch (error) {
    const reason = reasonOf(cause ?? error);
    if (/NOAUTH|WRONGPASS|NOPERM/.test(reason)) {
      return `Redis at ${
        redisAddress(config.url)
      } refused the login (${reason}): set REDIS_URL's user and password`;
    }
    return `Redis is not reachable at ${
      redisAddress(config.url)
    } (${reason}): start it or set REDIS_URL`;
  } finally {
    redis.disconnect();
  }
}

/** A TCP connect to every Kafka broker; one line for the first that does not accept. */
export async function checkKafka(brokers: readonly string[]): Promise<string | undefined> {
  for (const broker of brokers) {
    const separator = broker.lastIndexOf(":");
    const hostname = broker.slice(0, separator);
    const port = Number(broker.slice(separator + 1));
    let timer: ReturnType<typeof setTimeout> | undefined;
    try {
      const connection = await Promise.race([
        Deno.connect({ hostname, port }),
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new Error("ETIMEDOUT")), preflightConnectTimeoutMs);
        }),
      ]);
      connection.close();
    } catch (error) {
      const reason = error instanceof Deno.errors.ConnectionRefused
        ? "ECONNREFUSED"
        : reasonOf(error);
      return `Kafka is not reachable at ${broker} (${reason}): start it or set KAFKA_BROKERS`;
    } finally {
      clearTimeout(timer);
    }
  }
  return undefined;
}

/**
 * Whether every configured dependency of the platform answers, before
 * anything starts: one line per dependency that does not (empty when all do).
 * `redis` is null when the profile opens no Redis connection (embedded): it
 * is then not contacted at all; nor is MariaDB when the rows live in SQLite.
 */
export async function dependencyProblems(
  storage: StorageConfig,
  redis: RedisConfig | null,
  bus: BusConfig,
): Promise<string[]> {
  const results = await Promise.all([
    storage.kind === "mariadb" ? checkMariadb(storage.db) : Promise.resolve(undefined),
    redis ? checkRedis(redis) : Promise.resolve(undefined),
    bus.kind === "kafka" ? checkKafka(bus.kafka.brokers) : Promise.resolve(undefined),
  ]);
  return results.filter((line): line is string => line !== undefined);
}
