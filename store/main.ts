/**
 * The storefront (DESIGN §1, §8: port 8000). Wires config, the state store
 * (Redis when scale-out, a file under DATA_DIR when embedded), the gateway
 * client and the island build, then serves.
 */
import {
  processEnv,
  readProfileConfig,
  readRedisConfig,
  readStoreConfig,
  type StoreStateBackend,
} from "@pay/lib/config";
import { createRedis } from "@pay/lib/redis";
import { buildIslands } from "./build/build_islands.ts";
import { createGatewayClient } from "./gateway/client.ts";
import { buildDir, buildPublicPath, createStoreApp, storeDir } from "./server/create_store.ts";
import { createMemoryState } from "./state/memory.ts";
import type { StoreState } from "./state/port.ts";
import { createRedisState, redisReady } from "./state/redis.ts";
import { createSqliteState, storeStateFileName } from "./state/sqlite.ts";
import { registerWebhookEndpoint } from "./webhooks/register.ts";
import { join } from "node:path";

const redisConnectTimeoutMs = 5_000;

const env = processEnv();
const config = readStoreConfig(env);
const { manifest, rebuilt } = await buildIslands({
  storeDir,
  outDir: buildDir,
  publicPath: buildPublicPath,
});
const { dataDir } = readProfileConfig(env);
// Only the redis backend opens a Redis connection (never chosen under PROFILE=embedded).
const openState: Record<StoreStateBackend, () => Promise<StoreState>> = {
  redis: connectRedisState,
  sqlite: () => Promise.resolve(createSqliteState(dataDir, config.sessionTtlMs)),
  memory: () => Promise.resolve(createMemoryState(config.sessionTtlMs)),
};
const state = await openState[config.stateBackend]();
const stateLabel = config.stateBackend === "sqlite"
  ? `sqlite ${join(dataDir, storeStateFileName)}`
  : config.stateBackend;
/** Redis answers here in milliseconds; not connected after this, the store refuses to start. */
async function connectRedisState() {
  const redisConfig = readRedisConfig(env);
  const redis = createRedis(redisConfig);
  try {
    await redisReady(redis, redisConnectTimeoutMs);
  } catch (error) {
    redis.disconnect();
    throw new Error(
      `store: ${error instanceof Error ? error.message : error} at REDIS_URL=${redisConfig.url} ` +
        "(or run PROFILE=embedded, or STORE_STATE_BACKEND=sqlite, for one store process without Redis)",
    );
  }
  return createRedisState(redis, config.sessionTtlMs);
}

const gateway = createGatewayClient({
  baseUrl: config.gatewayUrl,
  apiKey: config.apiKey,
  timeoutMs: config.gatewayTimeoutMs,
});
let webhookSecret: string | undefined;
if (config.webhookUrl) void registerWebhookUntilDone(config.webhookUrl);
const handler = await createStoreApp({
  config,
  state,
  gateway,
  islands: manifest,
  webhookSecret: () => webhookSecret,
});

/** Pause between registration attempts while the gateway cannot be reached. */
const webhookRegistrationRetryMs = 5_000;

/**
 * Registers the endpoint in the background: a gateway that is down at start
 * delays webhooks (orders still move by polling), it does not stop the shop.
 */
async function registerWebhookUntilDone(webhookUrl: string): Promise<void> {
  while (webhookSecret === undefined) {
    try {
      webhookSecret = await registerWebhook(webhookUrl);
    } catch (error) {
      console.error(
        `store: webhook registration failed, retrying in ${webhookRegistrationRetryMs} ms: ${
          error instanceof Error ? error.message : error
        }`,
      );
      await new Promise((resolve) => setTimeout(resolve, webhookRegistrationRetryMs));
    }
  }
}

/** Registers (or reuses) the store's webhook endpoint; without it orders move only by polling. */
async function registerWebhook(webhookUrl: string): Promise<string> {
  const registration = await registerWebhookEndpoint({
    gatewayUrl: config.gatewayUrl,
    apiKey: config.apiKey,
    webhookUrl,
    ...(config.webhookSecret ? { operatorSecret: config.webhookSecret } : {}),
    state,
    timeoutMs: config.gatewayTimeoutMs,
  });
  console.log(
    `store: webhook endpoint ${registration.endpointId} ${registration.outcome} for ${webhookUrl}`,
  );
  return registration.secret;
}

const server = Deno.serve({
  hostname: config.hostname,
  port: config.port,
  onListen: ({ hostname, port }) =>
    console.log(
      `store: listening on http://${hostname}:${port} (gateway ${config.gatewayUrl}, state ${stateLabel}, islands ${
        rebuilt ? "built" : "reused"
      })`,
    ),
}, handler);

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  Deno.addSignalListener(signal, async () => {
    await server.shutdown();
    await state.close();
    Deno.exit(0);
  });
}
