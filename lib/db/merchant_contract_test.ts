/** Merchant and API key repository contracts, on both adapters (harness: repository_contract.ts). */
import assert from "node:assert/strict";
import { devApiKeyDefault, formerDevApiKeyDefault } from "../config/mod.ts";
import { sql } from "./batch.ts";
import {
  apiKeyMatches,
  createApiKey,
  createMerchant,
  ensureDevMerchant,
  findApiKey,
  listApiKeys,
  parseApiKey,
  revokeApiKey,
} from "./merchant_repo.ts";
import { both, contract } from "./repository_contract.ts";

contract("merchants: created once; keys issued, found, listed, revoked once", both, async (db) => {
  assert.equal(await createMerchant(db, { id: "m_a", name: "A" }), true);
  assert.equal(await createMerchant(db, { id: "m_a", name: "A again" }), false);
  assert.equal(await createMerchant(db, { id: "m_b", name: "B" }), true);
  const first = await createApiKey(db, { merchantId: "m_a", env: "test", label: "ci" });
  const second = await createApiKey(db, { merchantId: "m_b", env: "live" });
  assert.deepEqual(parseApiKey(first.apiKey), {
    prefix: "sk",
    env: "test",
    mode: "test",
    keyId: first.keyId,
  });
  assert.match(second.apiKey, /^sk_live_/);

  const found = await findApiKey(db, first.keyId);
  assert.equal(found?.merchantId, "m_a");
  assert.equal(found?.kind, "secret");
  assert.equal(found?.revoked, false);
  assert.equal(found?.merchantActive, true);
  assert.ok(found && apiKeyMatches(first.apiKey, found.keyHash));
  assert.ok(found && !apiKeyMatches(second.apiKey, found.keyHash));
  assert.equal(await findApiKey(db, "nokey"), null);

  const all = await listApiKeys(db);
  assert.deepEqual(all.map((k) => [k.keyId, k.merchantId, k.kind, k.label, k.revokedAt]), [
    [first.keyId, "m_a", "secret", "ci", null],
    [second.keyId, "m_b", "secret", null, null],
  ]);
  assert.ok(all.every((k) => k.createdAt instanceof Date));
  assert.deepEqual((await listApiKeys(db, "m_b")).map((k) => k.keyId), [second.keyId]);
  assert.deepEqual(await listApiKeys(db, "m_none"), []);

  assert.equal(await revokeApiKey(db, first.keyId), true);
  assert.equal(await revokeApiKey(db, first.keyId), false);
  assert.equal(await revokeApiKey(db, "nokey"), false);
  assert.equal((await findApiKey(db, first.keyId))?.revoked, true);
  assert.ok((await listApiKeys(db, "m_a"))[0]?.revokedAt instanceof Date);
});

contract("merchants: publishable keys are pk_<mode>_ rows of their own kind", both, async (db) => {
  await createMerchant(db, { id: "m_pk", name: "Publishable" });
  const key = await createApiKey(db, { merchantId: "m_pk", env: "live", kind: "publishable" });
  assert.match(key.apiKey, /^pk_live_[0-9a-z]{16}_[A-Za-z0-9]{32}$/);
  assert.deepEqual(parseApiKey(key.apiKey), {
    prefix: "pk",
    env: "live",
    mode: "live",
    keyId: key.keyId,
  });
  const found = await findApiKey(db, key.keyId);
  assert.equal(found?.kind, "publishable");
  assert.ok(found && apiKeyMatches(key.apiKey, found.keyHash));
  assert.deepEqual((await listApiKeys(db, "m_pk")).map((k) => k.kind), ["publishable"]);
  // A former-format key made with env "dev" is a test-mode secret key.
  const dev = await createApiKey(db, { merchantId: "m_pk", env: "dev" });
  assert.match(dev.apiKey, /^sk_test_/);
});

contract("merchants: a key of a closed merchant is found as inactive", both, async (db) => {
  await createMerchant(db, { id: "m_closed", name: "Closed" });
  const key = await createApiKey(db, { merchantId: "m_closed", env: "test" });
  await db.execute(sql("UPDATE merchant SET status = 'CLOSED' WHERE id = ?", "m_closed"));
  assert.equal((await findApiKey(db, key.keyId))?.merchantActive, false);
});

contract("merchants: the dev merchant's configured key is (re)instated", both, async (db) => {
  const dev = { merchantId: "M123", name: "Dev", apiKey: devApiKeyDefault };
  await ensureDevMerchant(db, dev);
  await ensureDevMerchant(db, dev);
  const keyId = parseApiKey(devApiKeyDefault)!.keyId;
  assert.equal(await revokeApiKey(db, keyId), true);
  await ensureDevMerchant(db, dev);
  const record = await findApiKey(db, keyId);
  assert.equal(record?.merchantId, "M123");
  assert.equal(record?.revoked, false);
  assert.ok(record && apiKeyMatches(devApiKeyDefault, record.keyHash));
  assert.deepEqual((await listApiKeys(db, "M123")).map((k) => k.label), ["dev"]);
  const rotated = devApiKeyDefault.replace(/_[A-Za-z0-9]+$/, "_rotatedsecretrotatedsecret00");
  await ensureDevMerchant(db, { ...dev, apiKey: rotated });
  assert.ok(apiKeyMatches(rotated, (await findApiKey(db, keyId))!.keyHash));
  await assert.rejects(ensureDevMerchant(db, { ...dev, merchantId: "M999" }), /another merchant/);
  assert.ok(apiKeyMatches(rotated, (await findApiKey(db, keyId))!.keyHash));
  await assert.rejects(ensureDevMerchant(db, { ...dev, apiKey: "nope" }), /key format/);
});

contract(
  "merchants: the dev merchant's former key stays valid beside the new one",
  both,
  async (db) => {
    const dev = {
      merchantId: "M123",
      name: "Dev",
      apiKey: devApiKeyDefault,
      formerApiKeys: [formerDevApiKeyDefault],
    };
    await ensureDevMerchant(db, dev);
    await ensureDevMerchant(db, dev);
    for (const apiKey of [devApiKeyDefault, formerDevApiKeyDefault]) {
      const record = await findApiKey(db, parseApiKey(apiKey)!.keyId);
      assert.equal(record?.merchantId, "M123", apiKey);
      assert.equal(record?.kind, "secret", apiKey);
      assert.equal(record?.revoked, false, apiKey);
      assert.ok(record && apiKeyMatches(apiKey, record.keyHash), apiKey);
    }
    assert.deepEqual((await listApiKeys(db, "M123")).map((k) => k.label), ["dev", "dev"]);
    await createMerchant(db, { id: "M999", name: "Other" });
    await assert.rejects(
      ensureDevMerchant(db, { ...dev, merchantId: "M999" }),
      /another merchant/,
    );
  },
);
