import { createBus, type PipelineBus, silentBusLogger } from "@pay/lib/bus";
import {
  type Env,
  type OpsConfig,
  readBusConfig,
  readGatewayConfig,
  readOpsConfig,
  readProfileConfig,
  readRedisConfig,
  readSettlementConfig,
  readStorageConfig,
} from "@pay/lib/config";
import { openStorage } from "@pay/lib/db";
import { fetchPgSettlementReport } from "@pay/lib/pg";
import { type Redis, redisForProfile } from "@pay/lib/redis";
import { MetricsSampler } from "./metrics/sampler.ts";
import type { OpsContext } from "./operations/context.ts";

/**
 * MariaDB connections of one ops process: operator queries are few and
 * sequential per request; a handful keeps a busy console from queueing
 * without taking connections the payment path needs.
 */
export const opsPoolSize = 4;

/**
 * How long start-up waits for the Redis connection. Commands fail at once
 * while it is not ready (no offline queue); past this wait the operations
 * that need Redis report it unreachable, and the others work.
 */
export const redisReadyWaitMs = 2_000;

function redisReady(redis: Redis): Promise<void> {
  if (redis.status === "ready") return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      redis.off("ready", done);
      resolve();
    };
    const timer = setTimeout(done, redisReadyWaitMs);
    redis.once("ready", done);
  });
}

export interface OpsRuntime {
  readonly config: OpsConfig;
  readonly ctx: OpsContext;
  close(): Promise<void>;
}

/**
 * Builds the operations' context from the environment (the ops service, the
 * MCP server and the CLI share it). Every variable is validated here, so a
 * bad one stops start-up with its name.
 */
export async function createOpsRuntime(
  env: Env,
  options: { logBus?: boolean } = {},
): Promise<OpsRuntime> {
  const config = readOpsConfig(env);
  const redisConfig = readRedisConfig(env);
  const busConfig = readBusConfig(env);
  const settlement = readSettlementConfig(env);
  const rateLimitRules = readGatewayConfig(env).rateLimits;
  const storage = readStorageConfig(env);
  const pool = await openStorage(storage, { poolSizeMax: opsPoolSize });
  // None in the embedded profile: its operations on Redis roles answer 409 (operations/context.ts).
  const redis = redisForProfile(readProfileConfig(env), redisConfig);
  if (redis) await redisReady(redis);
  let bus: Promise<PipelineBus> | undefined;
  const sampler = new MetricsSampler({
    targets: config.scrapeTargets,
    timeoutMs: config.scrapeTimeoutMs,
    samplesMax: config.samplesMax,
  });
  const ctx: OpsContext = {
    pool,
    redis,
    redisKeyPrefix: redisConfig.keyPrefix,
    busKind: busConfig.kind,
    bus: () => {
      bus ??= createBus(busConfig, {
        redis: redisConfig,
        logger: options.logBus ? undefined : silentBusLogger,
      });
      bus.catch(() => bus = undefined);
      return bus;
    },
    sampler,
    rateLimitRules,
    fetchReport: (date) =>
      fetchPgSettlementReport({
        baseUrl: settlement.settlement.pgUrl,
        timeoutMs: settlement.schedulers.reconciliationReportTimeoutMs,
      }, date),
    pgUrl: settlement.settlement.pgUrl,
    opsToken: config.token,
    fetch: (input, init) => fetch(input, init),
    now: () => new Date(),
  };
  return {
    config,
    ctx,
    async close() {
      await sampler.stop();
      const opened = await bus?.catch(() => undefined);
      await opened?.close().catch(() => {});
      await redis?.quit().catch(() => redis.disconnect());
      await pool.close().catch(() => {});
    },
  };
}
