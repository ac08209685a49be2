import assert from "node:assert/strict";
import { devApiKeyDefault } from "../config/mod.ts";
import { freshTestDatabase } from "../testing/mod.ts";
import {
  apiKeyMatches,
  ensureDevMerchant,
  findApiKey,
  parseApiKey,
  revokeApiKey,
} from "./merchant_repo.ts";

Deno.test("ensureDevMerchant is idempotent and reinstates the configured key", async () => {
  const db = await freshTestDatabase("gw_devmerchant");
  try {
    const dev = { merchantId: "M123", name: "Dev", apiKey: devApiKeyDefault };
    await ensureDevMerchant(db.pool, dev);
    await ensureDevMerchant(db.pool, dev);
    const keyId = parseApiKey(devApiKeyDefault)!.keyId;
    assert.ok(await revokeApiKey(db.pool, keyId));
    await ensureDevMerchant(db.pool, dev);
    const record = await findApiKey(db.pool, keyId);
    assert.equal(record?.merchantId, "M123");
    assert.equal(record?.revoked, false);
    assert.ok(apiKeyMatches(devApiKeyDefault, record!.keyHash));
    const rotated = devApiKeyDefault.replace(/_[A-Za-z0-9]+$/, "_rotatedsecretrotatedsecret00");
    await ensureDevMerchant(db.pool, { ...dev, apiKey: rotated });
    assert.ok(apiKeyMatches(rotated, (await findApiKey(db.pool, keyId))!.keyHash));
    await assert.rejects(
      ensureDevMerchant(db.pool, { ...dev, merchantId: "M999" }),
      /another merchant/,
    );
    await assert.rejects(ensureDevMerchant(db.pool, { ...dev, apiKey: "nope" }), /key format/);
  } finally {
    await db.close();
  }
});
