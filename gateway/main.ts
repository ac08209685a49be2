import {
  processEnv,
  readGatewayConfig,
  readInternalAuthConfig,
  readProfileConfig,
  readRedisConfig,
  readStorageConfig,
} from "@pay/lib/config";
import { openStorage } from "@pay/lib/db";
import { createGateway } from "./gateway.ts";
import { gatewayStoresForProfile } from "./shared_stores.ts";
import { buildOpenApiDocument } from "../ingest/openapi.ts";

const env = processEnv();
const config = readGatewayConfig(env);
const internalAuth = readInternalAuthConfig(env);
const db = await openStorage(readStorageConfig(env));
// Embedded: no Redis client at all; scale-out: Redis, reported by /ready when unreachable.
const shared = gatewayStoresForProfile(readProfileConfig(env), readRedisConfig(env));
const openApiDocument = buildOpenApiDocument();
const gateway = await createGateway({
  config,
  internalSecret: internalAuth.secret,
  db,
  shared,
  openApiDocument: () => Promise.resolve(openApiDocument),
});

const server = Deno.serve({
  port: config.port,
  hostname: "0.0.0.0",
  onListen: ({ port }) =>
    console.log(JSON.stringify({ level: "info", msg: `Gateway listening on port ${port}` })),
}, gateway.app.fetch);

async function shutdown(): Promise<void> {
  await server.shutdown();
  gateway.close();
  await db.close();
  shared.close();
  Deno.exit(0);
}
for (const signal of ["SIGINT", "SIGTERM"] as const) Deno.addSignalListener(signal, shutdown);
