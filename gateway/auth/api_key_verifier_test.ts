import assert from "node:assert/strict";
import {
  type ApiKeyKind,
  type ApiKeyRecord,
  generateApiKey,
  hashApiKey,
  parseApiKey,
} from "@pay/lib/db";
import { createApiKeyVerifier } from "./api_key_verifier.ts";

function recordOf(key: { keyId: string; apiKey: string }, kind: ApiKeyKind = "secret") {
  return {
    keyId: key.keyId,
    merchantId: "M1",
    kind,
    keyHash: hashApiKey(key.apiKey),
    revoked: false,
    merchantActive: true,
  };
}

function setup(ttlMs: number) {
  const key = generateApiKey("test");
  const rows = new Map<string, ApiKeyRecord>([[key.keyId, recordOf(key)]]);
  const deprecated: string[] = [];
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
    onDeprecatedKey: ({ keyId, merchantId }) => deprecated.push(`${merchantId}/${keyId}`),
  });
  /** Adds a key row; `apiKey` may be written by hand (a former-format key). */
  const add = (apiKey: string, kind: ApiKeyKind = "secret") => {
    const keyId = parseApiKey(apiKey)!.keyId;
    rows.set(keyId, recordOf({ keyId, apiKey }, kind));
    return keyId;
  };
  return {
    key,
    rows,
    verifier,
    add,
    deprecated,
    advance: (ms: number) => now += ms,
    lookups: () => lookups,
  };
}

Deno.test("a valid secret key authenticates its merchant in its mode", async () => {
  const { key, verifier, add } = setup(1_000);
  assert.deepEqual(await verifier.verify(`Bearer ${key.apiKey}`), {
    ok: true,
    merchantId: "M1",
    keyId: key.keyId,
    mode: "test",
  });
  assert.equal((await verifier.verify(`bearer  ${key.apiKey}`)).ok, true);
  const live = generateApiKey("live").apiKey;
  add(live);
  const result = await verifier.verify(`Bearer ${live}`);
  assert.equal(result.ok && result.mode, "live");
});

Deno.test("a publishable key is refused with 403 publishable_key, not 401", async () => {
  const { verifier, add } = setup(1_000);
  for (const mode of ["test", "live"] as const) {
    const key = generateApiKey(mode, "publishable");
    add(key.apiKey, "publishable");
    const result = await verifier.verify(`Bearer ${key.apiKey}`);
    assert.equal(!result.ok && result.code, "publishable_key", mode);
    assert.match(!result.ok ? result.detail : "", new RegExp(`secret key \\(sk_${mode}_`));
  }
  // Its secret is still checked first: a wrong one is 401 like any other.
  const key = generateApiKey("test", "publishable");
  add(key.apiKey, "publishable");
  const wrong = await verifier.verify(`Bearer ${key.apiKey.slice(0, -1)}Q`);
  assert.equal(!wrong.ok && wrong.code, "unauthorized");
});

Deno.test("a former pk_ secret key still works, in test mode unless live, reported once per key", async () => {
  const { verifier, add, deprecated, key } = setup(0);
  const dev = "pk_dev_devm123key0000000_devsecretdevsecretdevsecret0000";
  const live = `pk_live_abcdefgh12345678_${"s".repeat(32)}`;
  const devId = add(dev);
  const liveId = add(live);
  for (let i = 0; i < 3; i++) {
    const devResult = await verifier.verify(`Bearer ${dev}`);
    assert.equal(devResult.ok && devResult.mode, "test");
    const liveResult = await verifier.verify(`Bearer ${live}`);
    assert.equal(liveResult.ok && liveResult.mode, "live");
    assert.equal((await verifier.verify(`Bearer ${key.apiKey}`)).ok, true);
  }
  assert.deepEqual(deprecated, [`M1/${devId}`, `M1/${liveId}`]);
});

Deno.test("missing, malformed, unknown and wrong-secret keys are refused", async () => {
  const { key, verifier } = setup(1_000);
  const wrongSecret = key.apiKey.replace(/_[A-Za-z0-9]+$/, "_" + "Z".repeat(32));
  const unknown = generateApiKey("test").apiKey;
  const skDev = `sk_dev_abcdefgh12345678_${"s".repeat(32)}`;
  for (
    const header of [
      null,
      "",
      "Bearer",
      "Token abc",
      "Bearer pk_x",
      `Bearer ${skDev}`,
      unknown,
      wrongSecret,
    ]
  ) {
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
  assert.match(apiKey, /^sk_live_[0-9a-z]{16}_[A-Za-z0-9]{32}$/);
  assert.deepEqual(parseApiKey(apiKey), { prefix: "sk", env: "live", mode: "live", keyId });
  assert.match(generateApiKey("test", "publishable").apiKey, /^pk_test_[0-9a-z]{16}_/);
  assert.equal(parseApiKey("sk_live_x_y"), null);
  assert.equal(parseApiKey(`sk_dev_abcdefgh12345678_${"s".repeat(32)}`), null);
  assert.deepEqual(parseApiKey("pk_dev_devm123key0000000_devsecretdevsecretdevsecret0000"), {
    prefix: "pk",
    env: "dev",
    mode: "test",
    keyId: "devm123key0000000",
  });
});
