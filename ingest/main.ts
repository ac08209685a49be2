import {
  processEnv,
  readIngestConfig,
  readInternalAuthConfig,
  readOpsConfig,
  readProfileConfig,
  readRedisConfig,
  readStorageConfig,
  readWebhooksConfig,
} from "@pay/lib/config";
import { migrateStorage, openStorage } from "@pay/lib/db";
import { createRegistry } from "@pay/lib/metrics";
import { createHttpPgClient } from "@pay/lib/pg";
import { buildIngestApp } from "./app.ts";
import { ingestStoresForProfile } from "./shared_stores.ts";

const env = processEnv();
const config = readIngestConfig(env);
const storage = readStorageConfig(env);
const log = (fields: Record<string, unknown>) =>
  console.log(
    JSON.stringify({
      time: new Date().toISOString(),
      service: "ingest",
      port: config.port,
      ...fields,
    }),
  );

await migrateStorage(storage, (line) => log({ level: "info", msg: line }));
const pool = await openStorage(storage);
// Embedded: no Redis client at all; scale-out: Redis, its outages counted and logged.
const shared = ingestStoresForProfile(
  readProfileConfig(env),
  readRedisConfig(env),
  config.idempotencyCacheTtlSeconds,
);
const app = buildIngestApp({
  config,
  internalAuth: readInternalAuthConfig(env),
  webhooks: readWebhooksConfig(env),
  pool,
  shared,
  pg: createHttpPgClient({ baseUrl: config.pgUrl, timeoutMs: config.pgTimeoutMs }),
  registry: createRegistry("ingest"),
  now: () => new Date(),
  log,
  opsToken: readOpsConfig(env).token,
});

const server = Deno.serve({
  port: config.port,
  hostname: "0.0.0.0",
  onListen: ({ port }) => log({ level: "info", msg: `Ingest listening on :${port}` }),
}, app.fetch);

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  Deno.addSignalListener(signal, async () => {
    await server.shutdown();
    await pool.close();
    shared.close();
    Deno.exit(0);
  });
}
