import { type BusConfig, readBusConfig } from "./bus.ts";
import { readStorageConfig } from "./storage.ts";
import { ConfigError, type Env } from "./env.ts";
import { readGatewayConfig } from "./gateway.ts";
import { readIngestConfig } from "./ingest.ts";
import { readInternalAuthConfig } from "./internal_auth.ts";
import { readMerchantConfig } from "./merchant.ts";
import { readOpsConfig } from "./ops.ts";
import { readPgsimConfig } from "./pgsim.ts";
import { readProfileConfig } from "./profile.ts";
import { readRedisConfig } from "./redis.ts";
import { readSettlementConfig } from "./settlement.ts";
import { readStoreConfig } from "./store.ts";
import { readWorkersConfig } from "./workers.ts";

/** Reads (and so validates) one section; throws ConfigError naming the variable. */
export type ConfigReader = (env: Env) => unknown;

/** The workers relay what they mark PUBLISHED: a bus that lives in one process would lose it. */
export function readWorkersBusConfig(env: Env): BusConfig {
  const bus = readBusConfig(env);
  if (bus.kind === "memory") {
    throw new ConfigError([
      "BUS: memory is for tests only; the workers process needs embedded, redis or kafka",
    ]);
  }
  return bus;
}

/**
 * The sections each service's main.ts reads at start, so that `deno task
 * start` can validate them all before it starts anything.
 */
export const serviceConfigReaders = {
  bootstrap: [readStorageConfig, readMerchantConfig],
  pgsim: [readPgsimConfig],
  ingest: [
    readIngestConfig,
    readProfileConfig,
    readStorageConfig,
    readRedisConfig,
    readInternalAuthConfig,
    readOpsConfig,
  ],
  gateway: [
    readGatewayConfig,
    readProfileConfig,
    readInternalAuthConfig,
    readStorageConfig,
    readRedisConfig,
  ],
  workers: [
    readWorkersConfig,
    readProfileConfig,
    readStorageConfig,
    readRedisConfig,
    readWorkersBusConfig,
    readSettlementConfig,
    readOpsConfig,
  ],
  store: [readStoreConfig, readProfileConfig, readRedisConfig],
  ops: [
    readOpsConfig,
    readProfileConfig,
    readStorageConfig,
    readRedisConfig,
    readBusConfig,
    readSettlementConfig,
    readGatewayConfig,
  ],
} as const satisfies Record<string, readonly ConfigReader[]>;

export type ServiceKind = keyof typeof serviceConfigReaders;

/**
 * Every problem the readers find in `env`, one line per variable (a reader
 * stops at its first failing check, so fixing one may reveal the next).
 * Errors other than ConfigError are programmer errors and propagate.
 */
export function configProblems(readers: readonly ConfigReader[], env: Env): string[] {
  const problems = new Set<string>();
  for (const read of readers) {
    try {
      read(env);
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      for (const problem of error.problems) problems.add(problem);
    }
  }
  return [...problems];
}

/** One service (by name) and the environment it will run with. */
export interface ServiceEnv {
  readonly name: string;
  readonly kind: ServiceKind;
  readonly env: Env;
}

/**
 * Validates every service's configuration; returns one line per bad
 * variable, naming the services that would have refused it, or [] when all
 * is well.
 */
export function platformConfigProblems(services: readonly ServiceEnv[]): string[] {
  const byProblem = new Map<string, string[]>();
  for (const service of services) {
    for (const problem of configProblems(serviceConfigReaders[service.kind], service.env)) {
      byProblem.set(problem, [...(byProblem.get(problem) ?? []), service.name]);
    }
  }
  return [...byProblem].map(([problem, names]) => `${problem} [${names.join(", ")}]`);
}
