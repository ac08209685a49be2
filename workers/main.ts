/**
 * The workers process: outbox relay, ledger consumer, DLQ archive (and the
 * modules listed in modules.ts), plus /health, /ready and /metrics on
 * WORKERS_PORT. Only wiring lives here.
 */
import { createBus } from "@pay/lib/bus";
import {
  ConfigError,
  processEnv,
  readOpsConfig,
  readProfileConfig,
  readRedisConfig,
  readStorageConfig,
  readWorkersBusConfig,
  readWorkersConfig,
} from "@pay/lib/config";
import { openStorage, pingDatabase } from "@pay/lib/db";
import { type AnyBreaker, breakerAdminRoutes } from "@pay/lib/http";
import { createRegistry } from "@pay/lib/metrics";
import { redisForProfile } from "@pay/lib/redis";
import { createWorkersApp } from "./http/app.ts";
import { workerLogger } from "./log.ts";
import { workerModules } from "./modules.ts";
import type { Worker, WorkerDeps } from "./worker.ts";

const log = workerLogger("workers");
const env = processEnv();
const config = readWorkersConfig(env);
const storage = readStorageConfig(env);
const redisConfig = readRedisConfig(env);
// Never memory: events the relay marks PUBLISHED would live only in this process.
const busConfig = readWorkersBusConfig(env);
const unknown = config.disabled.filter((name) => !workerModules.some((m) => m.name === name));
if (unknown.length) {
  throw new ConfigError([
    `WORKERS_DISABLED: unknown module(s) ${unknown.join(", ")}; known: ${
      workerModules.map((m) => m.name).join(", ")
    }`,
  ]);
}

const registry = createRegistry("workers");
const pool = await openStorage(storage);
// Readiness only (the bus opens its own connections): none in the embedded profile.
const redis = redisForProfile(readProfileConfig(env), redisConfig);
const bus = await createBus(busConfig, {
  redis: redisConfig,
  registry,
  logger: workerLogger("bus"),
});
const breakers = new Map<string, AnyBreaker>();
const deps: WorkerDeps = { config, redis: redisConfig, pool, bus, registry, breakers };

const running: Array<{ name: string; worker: Worker }> = [];
for (const module of workerModules) {
  if (config.disabled.includes(module.name)) continue;
  running.push({ name: module.name, worker: await module.start(deps) });
  log("module_started", { module: module.name });
}

const app = createWorkersApp({
  registry,
  checks: {
    db: () => pingDatabase(pool),
    ...(redis ? { redis: async () => void await redis.ping() } : {}),
    bus: () => bus.ping(),
  },
});
app.route("/", breakerAdminRoutes({ token: readOpsConfig(env).token, breakers }));
const server = Deno.serve({
  port: config.port,
  hostname: "0.0.0.0",
  onListen: ({ port }) =>
    log("listening", { port, modules: running.map((r) => r.name), bus: busConfig.kind }),
}, app.fetch);

let stopping = false;
async function shutdown(signal: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  log("shutting_down", { signal });
  const timer = setTimeout(() => {
    log("shutdown_timeout", { timeoutMs: config.shutdownTimeoutMs });
    Deno.exit(1);
  }, config.shutdownTimeoutMs);
  for (const { name, worker } of running.toReversed()) {
    await worker.stop().catch((error) =>
      log("stop_failed", { module: name, error: String(error) })
    );
  }
  await server.shutdown();
  await bus.close().catch(() => {});
  await redis?.quit().catch(() => redis.disconnect());
  await pool.close().catch(() => {});
  clearTimeout(timer);
  log("stopped", {});
  Deno.exit(0);
}
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  Deno.addSignalListener(signal, () => void shutdown(signal));
}
