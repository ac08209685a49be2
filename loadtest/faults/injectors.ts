/**
 * The faults, each injected once and undone: `inject` resolves when the
 * killed or stopped process is back (restarted and healthy, or resumed).
 */
import type { FaultPlatform, ServiceName } from "./platform.ts";

/** A supervisor restarts a crashed service after about this long. */
const restartDelayMs = 1_000;
/** How long the workers stay stopped (SIGSTOP) in the pause scenario. */
const workersPauseMs = 15_000;
/** How long MariaDB and the PG stay down. */
const dependencyDownMs = 10_000;
/** How long the bus broker stays down. */
const brokerDownMs = 30_000;
/** Traffic that piles up behind stopped consumers before the second fault hits. */
const backlogBuildMs = 8_000;

export interface FaultContext {
  readonly platform: FaultPlatform;
  readonly log: (line: string) => void;
  /** Called before a workers process is killed (its counters die with it). */
  readonly beforeKill: (service: ServiceName) => Promise<void>;
}

export interface Injector {
  /** What the suite did, for the report. */
  readonly description: string;
  inject(ctx: FaultContext): Promise<void>;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export const killIngest: Injector = {
  description: "kill -9 ingest-1, restarted after 1 s",
  async inject({ platform, log }) {
    log(`kill -9 ingest-1 (pid ${platform.pid("ingest-1")})`);
    await platform.kill("ingest-1");
    await sleep(restartDelayMs);
    await platform.restart("ingest-1");
    log(`ingest-1 back (pid ${platform.pid("ingest-1")})`);
  },
};

export const killWorkers: Injector = {
  description: "kill -9 workers, restarted after 1 s",
  async inject({ platform, log, beforeKill }) {
    await beforeKill("workers");
    log(`kill -9 workers (pid ${platform.pid("workers")})`);
    await platform.kill("workers");
    await sleep(restartDelayMs);
    await platform.restart("workers");
    log(`workers back (pid ${platform.pid("workers")})`);
  },
};

export const pauseWorkers: Injector = {
  description: `SIGSTOP workers ${workersPauseMs / 1000} s, then SIGCONT`,
  async inject(ctx) {
    await paused(ctx, () => sleep(workersPauseMs));
  },
};

async function killMariaDb({ platform, log }: FaultContext): Promise<void> {
  log(`kill -9 MariaDB (pid ${platform.mariadb.pid()})`);
  await platform.mariadb.kill();
  await sleep(dependencyDownMs);
  const restartMs = Date.now();
  await platform.mariadb.start();
  log(
    `MariaDB back after ${Date.now() - restartMs} ms of recovery (pid ${platform.mariadb.pid()})`,
  );
}

export const mariaDbDown: Injector = {
  description: `kill -9 MariaDB, restarted after ${dependencyDownMs / 1000} s`,
  inject: killMariaDb,
};

export const mariaDbDownBehind: Injector = {
  description: `workers stopped ${backlogBuildMs / 1000} s (backlog), then kill -9 MariaDB ` +
    `for ${dependencyDownMs / 1000} s, then workers resumed`,
  async inject(ctx) {
    await paused(ctx, async () => {
      await sleep(backlogBuildMs);
      await killMariaDb(ctx);
    });
  },
};

async function restartRedisEmpty({ platform, log }: FaultContext): Promise<void> {
  log(`kill -9 Redis (pid ${platform.redis.pid()}), restarted empty`);
  await platform.redis.markSentinel();
  await platform.redis.kill();
  await platform.redis.forgetData();
  await sleep(restartDelayMs);
  await platform.redis.start();
  if (await platform.redis.sentinelKept()) throw new Error("Redis restarted with its data");
  log(`Redis back, empty (pid ${platform.redis.pid()})`);
}

export const redisLost: Injector = {
  description: "kill -9 Redis, restarted empty after 1 s",
  inject: restartRedisEmpty,
};

export const redisLostBehind: Injector = {
  description: `workers stopped ${backlogBuildMs / 1000} s (backlog in the bus), then Redis ` +
    "killed and restarted empty, then workers resumed",
  async inject(ctx) {
    await paused(ctx, async () => {
      await sleep(backlogBuildMs);
      await restartRedisEmpty(ctx);
    });
  },
};

export const pgDown: Injector = {
  description: `kill -9 pgsim, restarted (records kept in its SQLite file) after ${
    dependencyDownMs / 1000
  } s`,
  async inject({ platform, log }) {
    log(`kill -9 pgsim (pid ${platform.pid("pgsim")})`);
    await platform.kill("pgsim");
    await sleep(dependencyDownMs);
    await platform.restart("pgsim");
    log(`pgsim back (pid ${platform.pid("pgsim")})`);
  },
};

export const brokerDown: Injector = {
  description: `Redis bus down ${brokerDownMs / 1000} s (SHUTDOWN SAVE, restarted with its data)`,
  async inject({ platform, log }) {
    log(`Redis SHUTDOWN SAVE (pid ${platform.redis.pid()})`);
    await platform.redis.markSentinel();
    await platform.redis.shutdownSaving();
    await sleep(brokerDownMs);
    await platform.redis.start();
    if (!(await platform.redis.sentinelKept())) throw new Error("Redis restarted without its data");
    log(`Redis back with its data (pid ${platform.redis.pid()})`);
  },
};

/** Runs `during` with the workers stopped (SIGSTOP); they are resumed even if it throws. */
async function paused(
  { platform, log }: FaultContext,
  during: () => Promise<void>,
): Promise<void> {
  log(`SIGSTOP workers (pid ${platform.pid("workers")})`);
  platform.signal("workers", "SIGSTOP");
  try {
    await during();
  } finally {
    platform.signal("workers", "SIGCONT");
    log("SIGCONT workers");
  }
}
