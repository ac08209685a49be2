import { devInternalSecret, type GatewayConfig, readGatewayConfig } from "@pay/lib/config";
import { createApiKey, createMerchant } from "@pay/lib/db";
import {
  freshTestDatabase,
  freshTestRedis,
  type TestDatabase,
  type TestRedis,
} from "@pay/lib/testing";
import { createGateway, type Gateway, type GatewayOptions } from "../gateway.ts";
import {
  embeddedGatewayStores,
  type GatewaySharedStores,
  redisGatewayStores,
} from "../shared_stores.ts";

export const testSecret = devInternalSecret;

export interface TestGateway {
  readonly gateway: Gateway;
  readonly db: TestDatabase;
  /** API keys of merchants M1 and M2 (and their key ids). */
  readonly keys: { readonly M1: string; readonly M2: string };
  readonly keyIds: { readonly M1: string; readonly M2: string };
  readonly logs: string[];
  request(path: string, init?: RequestInit): Promise<Response>;
  close(): Promise<void>;
}

/** A gateway of the scale-out profile: its rate limits in this test's own Redis prefix. */
export interface ScaleOutTestGateway extends TestGateway {
  readonly redis: TestRedis;
}

/**
 * A gateway of the embedded profile (rate limits in its own memory, no Redis)
 * over a fresh test database (merchants M1, M2 with one key each), for
 * in-process `app.request()` tests.
 */
export async function startTestGateway(
  name: string,
  config: Partial<GatewayConfig> = {},
  extra: Partial<GatewayOptions> = {},
): Promise<TestGateway> {
  return await startGatewayOver(name, config, { shared: embeddedGatewayStores(), ...extra });
}

/**
 * As startTestGateway, with the scale-out profile's shared stores in a fresh
 * Redis prefix (unless `extra.shared` says otherwise). Its test file declares
 * `// test-needs: redis`.
 */
export async function startScaleOutTestGateway(
  name: string,
  config: Partial<GatewayConfig> = {},
  extra: Partial<GatewayOptions> = {},
): Promise<ScaleOutTestGateway> {
  const redis = await freshTestRedis(`gw_${name}`);
  const gw = await startGatewayOver(name, config, {
    shared: redisGatewayStores(redis.redis),
    ...extra,
  });
  return {
    ...gw,
    redis,
    async close() {
      await gw.close();
      await redis.close();
    },
  };
}

async function startGatewayOver(
  name: string,
  config: Partial<GatewayConfig>,
  extra: Partial<GatewayOptions> & { readonly shared: GatewaySharedStores },
): Promise<TestGateway> {
  const db = await freshTestDatabase(`gw_${name}`);
  await createMerchant(db.pool, { id: "M1", name: "Merchant one" });
  await createMerchant(db.pool, { id: "M2", name: "Merchant two" });
  const m1 = await createApiKey(db.pool, { merchantId: "M1", env: "test" });
  const m2 = await createApiKey(db.pool, { merchantId: "M2", env: "test" });
  const logs: string[] = [];
  const gateway = await createGateway({
    config: { ...readGatewayConfig({ LOG_ACCESS: "false" }), ...config },
    internalSecret: testSecret,
    db: db.pool,
    log: (line) => logs.push(line),
    openApiDocument: () =>
      Promise.resolve({ openapi: "3.1.0", info: { title: "Test API", version: "1" }, paths: {} }),
    ...extra,
  });
  return {
    gateway,
    db,
    keys: { M1: m1.apiKey, M2: m2.apiKey },
    keyIds: { M1: m1.keyId, M2: m2.keyId },
    logs,
    request: (path, init) => Promise.resolve(gateway.app.request(path, init)),
    async close() {
      gateway.close();
      await db.close();
    },
  };
}

/** `Authorization` + JSON headers for a key. */
export function authHeaders(
  apiKey: string,
  extra: Record<string, string> = {},
): Record<string, string> {
  return { authorization: `Bearer ${apiKey}`, "content-type": "application/json", ...extra };
}
