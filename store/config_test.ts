import assert from "node:assert/strict";
import { devApiKeyDefault, readStoreConfig } from "@pay/lib/config";

Deno.test("store config defaults to port 8000, the local gateway, carts in a file (the embedded profile) and the dev key", () => {
  const config = readStoreConfig({});
  assert.equal(config.port, 8000);
  assert.equal(config.gatewayUrl, "http://127.0.0.1:8080");
  assert.equal(config.stateBackend, "sqlite");
  assert.equal(config.apiKey, devApiKeyDefault);
  assert.equal(config.sessionTtlMs, 7 * 86_400_000);
  assert.ok(Object.isFrozen(config));
});

Deno.test("carts live in Redis when scale-out, in a file when embedded, unless chosen", () => {
  assert.equal(readStoreConfig({ PROFILE: "scale-out" }).stateBackend, "redis");
  assert.equal(readStoreConfig({ PROFILE: "embedded" }).stateBackend, "sqlite");
  assert.equal(
    readStoreConfig({ PROFILE: "embedded", STORE_STATE_BACKEND: "memory" }).stateBackend,
    "memory",
  );
  assert.equal(
    readStoreConfig({ PROFILE: "scale-out", STORE_STATE_BACKEND: "sqlite" }).stateBackend,
    "sqlite",
  );
  assert.throws(
    () => readStoreConfig({ PROFILE: "embedded", STORE_STATE_BACKEND: "redis" }),
    /STORE_STATE_BACKEND: redis needs PROFILE=scale-out/,
  );
});

Deno.test("bad store variables stop start-up naming the variable", () => {
  assert.throws(() => readStoreConfig({ STORE_PORT: "http" }), /STORE_PORT/);
  assert.throws(() => readStoreConfig({ GATEWAY_URL: "gateway" }), /GATEWAY_URL/);
  assert.throws(
    () => readStoreConfig({ STORE_SESSION_SECRET: "short" }),
    /STORE_SESSION_SECRET: .*32/,
  );
  assert.throws(() => readStoreConfig({ STORE_STATE_BACKEND: "disk" }), /STORE_STATE_BACKEND/);
});

Deno.test("production refuses the development session secret and API key", () => {
  assert.throws(
    () => readStoreConfig({ PAY_ENV: "production" }),
    /STORE_SESSION_SECRET, STORE_API_KEY: the development value is refused in production/,
  );
  const config = readStoreConfig({
    PAY_ENV: "production",
    STORE_SESSION_SECRET: "a-production-secret-of-enough-length-123",
    STORE_API_KEY: "pk_live_abcdefgh12345678_secretsecretsecretsecret00",
    GATEWAY_URL: "https://pay.example/",
  });
  assert.equal(config.gatewayUrl, "https://pay.example");
});
