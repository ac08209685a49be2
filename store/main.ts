/**
 * The storefront (DESIGN §1, §8: port 8000). Wires config, the state store
 * (Redis by default), the gateway client and the island build, then serves.
 */
import { processEnv, readRedisConfig, readStoreConfig } from "@pay/lib/config";
import { createRedis } from "@pay/lib/redis";
import { buildIslands } from "./build/build_islands.ts";
import { createGatewayClient } from "./gateway/client.ts";
import { buildDir, buildPublicPath, createStoreApp, storeDir } from "./server/create_store.ts";
import { createMemoryState } from "./state/memory.ts";
import { createRedisState, redisReady } from "./state/redis.ts";

const redisConnectTimeoutMs = 5_000;

const env = processEnv();
const config = readStoreConfig(env);
const { manifest, rebuilt } = await buildIslands({
  storeDir,
  outDir: buildDir,
  publicPath: buildPublicPath,
});
const state = config.stateBackend === "redis"
  ? await connectRedisState()
  : createMemoryState(config.sessionTtlMs);
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
        "(set STORE_STATE_BACKEND=memory to run one store process without Redis)",
    );
  }
  return createRedisState(redis, config.sessionTtlMs);
}

const gateway = createGatewayClient({
  baseUrl: config.gatewayUrl,
  apiKey: config.apiKey,
  timeoutMs: config.gatewayTimeoutMs,
});
const handler = await createStoreApp({ config, state, gateway, islands: manifest });

const server = Deno.serve({
  hostname: config.hostname,
  port: config.port,
  onListen: ({ hostname, port }) =>
    console.log(
      `store: listening on http://${hostname}:${port} (gateway ${config.gatewayUrl}, state ${config.stateBackend}, islands ${
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
