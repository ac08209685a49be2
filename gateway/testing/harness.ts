import { devInternalSecret, type GatewayConfig, readGatewayConfig } from "@pay/lib/config";
import { createApiKey, createMerchant } from "@pay/lib/db";
import {
  freshTestDatabase,
  freshTestRedis,
  type TestDatabase,
  type TestRedis,
} from "@pay/lib/testing";
import { createGateway, type Gateway, type GatewayOptions } from "../gateway.ts";
import { redisGatewayStores } from "../shared_stores.ts";

export const testSecret = devInternalSecret;

export interface TestGateway {
  readonly gateway: Gateway;
  readonly db: TestDatabase;
  readonly redis: TestRedis;
  /** API keys of merchants M1 and M2 (and their key ids). */
  readonly keys: { readonly M1: string; readonly M2: string };
  readonly keyIds: { readonly M1: string; readonly M2: string };
  readonly logs: string[];
  request(path: string, init?: RequestInit): Promise<Response>;
  close(): Promise<void>;
}

/**
 * A gateway over a fresh test database (merchants M1, M2 with one key each) and
 * a fresh Redis prefix (its shared stores unless `extra.shared` says otherwise),
 * for in-process `app.request()` tests.
 */
export async function startTestGateway(
  name: string,
  config: Partial<GatewayConfig> = {},
  extra: Partial<GatewayOptions> = {},
): Promise<TestGateway> {
  const db = await freshTestDatabase(`gw_${name}`);
  const redis = await freshTestRedis(`gw_${name}`);
  await createMerchant(db.pool, { id: "M1", name: "Merchant one" });
  await createMerchant(db.pool, { id: "M2", name: "Merchant two" });
  const m1 = await createApiKey(db.pool, { merchantId: "M1", env: "test" });
  const m2 = await createApiKey(db.pool, { merchantId: "M2", env: "test" });
  const logs: string[] = [];
  const gateway = await createGateway({
    config: { ...readGatewayConfig({ LOG_ACCESS: "false" }), ...config },
    internalSecret: testSecret,
    db: db.pool,
    shared: redisGatewayStores(redis.redis),
    log: (line) => logs.push(line),
    openApiDocument: () =>
      Promise.resolve({ openapi: "3.1.0", info: { title: "Test API", version: "1" }, paths: {} }),
    ...extra,
  });
  return {
    gateway,
    db,
    redis,
    keys: { M1: m1.apiKey, M2: m2.apiKey },
    keyIds: { M1: m1.keyId, M2: m2.keyId },
    logs,
    request: (path, init) => Promise.resolve(gateway.app.request(path, init)),
    async close() {
      gateway.close();
      await db.close();
      await redis.close();
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
