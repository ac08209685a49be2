/**
 * The embedded profile end to end in one process: a gateway and two ingest
 * instances built from the environment as their main.ts build them, with
 * PROFILE=embedded and REDIS_URL pointing at a listener that counts
 * connections. A flow through the gateway works, and nothing connects.
 */
import assert from "node:assert/strict";
import {
  type Env,
  readGatewayConfig,
  readIngestConfig,
  readInternalAuthConfig,
  readProfileConfig,
  readRedisConfig,
  readWebhooksConfig,
} from "@pay/lib/config";
import { createApiKey, createMerchant } from "@pay/lib/db";
import { createRegistry } from "@pay/lib/metrics";
import { createFakePgClient } from "@pay/lib/pg";
import { connectionCounter, freshTestDatabase } from "@pay/lib/testing";
import { buildIngestApp } from "../ingest/app.ts";
import { signedRequest, testSecret } from "../ingest/testing/harness.ts";
import { ingestStoresForProfile } from "../ingest/shared_stores.ts";
import { createGateway } from "./gateway.ts";
import { gatewayStoresForProfile } from "./shared_stores.ts";
import { authHeaders } from "./testing/harness.ts";

Deno.test("the counting listener sees the Redis client of the scale-out profile", async () => {
  const redis = connectionCounter();
  const shared = gatewayStoresForProfile(
    readProfileConfig({ PROFILE: "scale-out" }),
    readRedisConfig({ REDIS_URL: redis.url }),
  );
  try {
    await redis.firstConnection();
    assert.ok(redis.count >= 1);
  } finally {
    shared.close();
    redis.close();
  }
});

Deno.test("PROFILE=embedded: authorize and capture through the gateway and two ingest instances, no Redis connection", async () => {
  const redis = connectionCounter();
  const db = await freshTestDatabase("gw_embedded_profile");
  const dataDir = await Deno.makeTempDir({ prefix: "embedded_profile_" });
  await createMerchant(db.pool, { id: "M1", name: "Merchant one" });
  const { apiKey } = await createApiKey(db.pool, { merchantId: "M1", env: "test" });
  const env: Env = {
    PROFILE: "embedded",
    DATA_DIR: dataDir,
    REDIS_URL: redis.url,
    INTERNAL_AUTH_SECRET: testSecret,
    LOG_ACCESS: "false",
  };
  const ingests = [1, 2].map(() => {
    const shared = ingestStoresForProfile(
      readProfileConfig(env),
      readRedisConfig(env),
      readIngestConfig(env).idempotencyCacheTtlSeconds,
    );
    const app = buildIngestApp({
      config: readIngestConfig(env),
      internalAuth: readInternalAuthConfig(env),
      webhooks: readWebhooksConfig(env),
      pool: db.pool,
      shared,
      pg: createFakePgClient(),
      registry: createRegistry("ingest"),
      now: () => new Date(),
      log: () => {},
      opsToken: null,
    });
    const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, app.fetch);
    return { app, server, shared };
  });
  const gatewayEnv: Env = {
    ...env,
    INGEST_UPSTREAMS: ingests.map((i) => `http://127.0.0.1:${i.server.addr.port}`).join(","),
  };
  const shared = gatewayStoresForProfile(
    readProfileConfig(gatewayEnv),
    readRedisConfig(gatewayEnv),
  );
  const gateway = await createGateway({
    config: readGatewayConfig(gatewayEnv),
    internalSecret: readInternalAuthConfig(gatewayEnv).secret,
    db: db.pool,
    shared,
    log: () => {},
    openApiDocument: () => Promise.resolve({}),
  });
  try {
    const authorized = await gateway.app.request("/api/payments/authorize", {
      method: "POST",
      headers: authHeaders(apiKey, { "idempotency-key": "emb-1" }),
      body: JSON.stringify({ amount: 15_000, currency: "KRW" }),
    });
    const payment = await authorized.json();
    assert.equal(authorized.status, 201, JSON.stringify(payment));
    assert.equal(payment.status, "AUTHORIZED");
    assert.match(authorized.headers.get("ratelimit")!, /^"authorize";r=\d+;t=\d+$/);

    const captured = await gateway.app.request(`/api/payments/capture/${payment.paymentId}`, {
      method: "POST",
      headers: authHeaders(apiKey, { "idempotency-key": "emb-cap-1" }),
      body: JSON.stringify({ amount: 10_000 }),
    });
    const capture = await captured.json();
    assert.equal(captured.status, 202, JSON.stringify(capture));
    assert.equal(capture.status, "CAPTURE_REQUESTED");
    assert.equal(capture.capturedAmount, 0);

    const replayed = await gateway.app.request(`/api/payments/capture/${payment.paymentId}`, {
      method: "POST",
      headers: authHeaders(apiKey, { "idempotency-key": "emb-cap-1" }),
      body: JSON.stringify({ amount: 10_000 }),
    });
    assert.equal(replayed.status, 202);
    assert.equal(replayed.headers.get("idempotent-replayed"), "true");
    await replayed.body?.cancel();

    const ready = await gateway.app.request("/ready");
    assert.deepEqual(await ready.json(), { status: "ready", checks: { upstream: true } });
    const ingestReady = await ingests[0]!.app.request("/ready");
    assert.deepEqual(await ingestReady.json(), { status: "ready", checks: { db: "ok" } });

    // The instances share the nonce file: a signed request replayed to the other one is refused.
    const signed = signedRequest("GET", `/api/payments/${payment.paymentId}`, { merchantId: "M1" });
    const first = await ingests[0]!.app.fetch(signed.clone());
    assert.equal(first.status, 200);
    await first.body?.cancel();
    const replay = await ingests[1]!.app.fetch(signed);
    assert.equal(replay.status, 401);
    assert.match((await replay.json()).detail, /Replayed/);

    assert.equal(redis.count, 0, "no Redis connection was attempted");
  } finally {
    gateway.close();
    shared.close();
    for (const ingest of ingests) {
      await ingest.server.shutdown();
      ingest.shared.close();
    }
    await db.close();
    await Deno.remove(dataDir, { recursive: true });
    redis.close();
  }
});
