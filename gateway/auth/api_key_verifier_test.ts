import assert from "node:assert/strict";
import { type ApiKeyRecord, generateApiKey, hashApiKey, parseApiKey } from "@pay/lib/db";
import { createApiKeyVerifier } from "./api_key_verifier.ts";

function setup(ttlMs: number) {
  const key = generateApiKey("test");
  const rows = new Map<string, ApiKeyRecord>([[key.keyId, {
    keyId: key.keyId,
    merchantId: "M1",
    keyHash: hashApiKey(key.apiKey),
    revoked: false,
    merchantActive: true,
  }]]);
  let now = 1_000;
  let lookups = 0;
  const verifier = createApiKeyVerifier({
    lookup: async (keyId) => {
      lookups++;
      await Promise.resolve();
      return rows.get(keyId) ?? null;
    },
    ttlMs,
    nowMs: () => now,
  });
  return {
    key,
    rows,
    verifier,
    advance: (ms: number) => now += ms,
    lookups: () => lookups,
  };
}

Deno.test("a valid key authenticates its merchant", async () => {
  const { key, verifier } = setup(1_000);
  assert.deepEqual(await verifier.verify(`Bearer ${key.apiKey}`), {
    ok: true,
    merchantId: "M1",
    keyId: key.keyId,
  });
  assert.equal((await verifier.verify(`bearer  ${key.apiKey}`)).ok, true);
});

Deno.test("missing, malformed, unknown and wrong-secret keys are refused", async () => {
  const { key, verifier } = setup(1_000);
  const wrongSecret = key.apiKey.replace(/_[A-Za-z0-9]+$/, "_" + "Z".repeat(32));
  const unknown = generateApiKey("test").apiKey;
  for (const header of [null, "", "Bearer", "Token abc", "Bearer pk_x", unknown, wrongSecret]) {
    const result = await verifier.verify(
      header === unknown || header === wrongSecret ? `Bearer ${header}` : header,
    );
    assert.equal(result.ok, false, String(header));
    assert.equal(!result.ok && result.code, "unauthorized");
  }
});

Deno.test("a cached key still needs the right secret", async () => {
  const { key, verifier, lookups } = setup(60_000);
  assert.equal((await verifier.verify(`Bearer ${key.apiKey}`)).ok, true);
  const wrong = key.apiKey.slice(0, -1) + (key.apiKey.endsWith("a") ? "b" : "a");
  assert.equal((await verifier.verify(`Bearer ${wrong}`)).ok, false);
  assert.equal(lookups(), 1);
});

Deno.test("a revocation takes effect when the cached row expires", async () => {
  const { key, rows, verifier, advance, lookups } = setup(30_000);
  assert.equal((await verifier.verify(`Bearer ${key.apiKey}`)).ok, true);
  rows.set(key.keyId, { ...rows.get(key.keyId)!, revoked: true });
  advance(29_999);
  assert.equal((await verifier.verify(`Bearer ${key.apiKey}`)).ok, true);
  advance(1);
  const result = await verifier.verify(`Bearer ${key.apiKey}`);
  assert.equal(result.ok, false);
  assert.match(!result.ok ? result.detail : "", /revoked/);
  assert.equal(lookups(), 2);
});

Deno.test("concurrent first uses of a key share one lookup", async () => {
  const { key, verifier, lookups } = setup(1_000);
  const results = await Promise.all(
    Array.from({ length: 20 }, () => verifier.verify(`Bearer ${key.apiKey}`)),
  );
  assert.ok(results.every((r) => r.ok));
  assert.equal(lookups(), 1);
});

Deno.test("an inactive merchant's key is forbidden", async () => {
  const { key, rows, verifier } = setup(0);
  rows.set(key.keyId, { ...rows.get(key.keyId)!, merchantActive: false });
  const result = await verifier.verify(`Bearer ${key.apiKey}`);
  assert.equal(!result.ok && result.code, "forbidden");
});

Deno.test("generated keys have the documented format and parse back", () => {
  const { keyId, apiKey } = generateApiKey("live");
  assert.match(apiKey, /^pk_live_[0-9a-z]{16}_[A-Za-z0-9]{32}$/);
  assert.deepEqual(parseApiKey(apiKey), { env: "live", keyId });
  assert.equal(parseApiKey("sk_live_x_y"), null);
});
