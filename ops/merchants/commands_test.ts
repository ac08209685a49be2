import assert from "node:assert/strict";
import { apiKeyMatches, findApiKey } from "@pay/lib/db";
import { freshTestDatabase } from "@pay/lib/testing";
import { commandOf, runMerchantCommand } from "./commands.ts";

Deno.test("merchant commands create, list and revoke keys", async () => {
  const db = await freshTestDatabase("gw_merchants");
  try {
    const created = await runMerchantCommand(
      db.pool,
      commandOf({ id: "M777", name: "Shop" }),
      "test",
    );
    const apiKey = created.find((l) => l.startsWith("API key:"))!.split(/\s+/)[2]!;
    const keyId = created.find((l) => l.startsWith("Key id:"))!.split(/\s+/)[2]!;
    assert.match(apiKey, new RegExp(`^sk_test_${keyId}_`));
    const record = await findApiKey(db.pool, keyId);
    assert.equal(record?.merchantId, "M777");
    assert.ok(apiKeyMatches(apiKey, record!.keyHash));
    await assert.rejects(
      runMerchantCommand(db.pool, commandOf({ id: "M777", name: "Again" }), "test"),
      /already exists/,
    );
    await runMerchantCommand(
      db.pool,
      commandOf({ id: "M777", "add-key": true, label: "ci" }),
      "test",
    );
    const publishable = await runMerchantCommand(
      db.pool,
      commandOf({ id: "M777", "add-key": true, publishable: true }),
      "live",
    );
    assert.match(publishable.join("\n"), /API key: pk_live_[0-9a-z]{16}_/);
    assert.match(publishable.join("\n"), /refuses it \(403 publishable_key\)/);
    const listed = await runMerchantCommand(db.pool, commandOf({ list: true, id: "M777" }), "test");
    assert.deepEqual(listed.map((line) => line.split("\t")[2]), [
      "secret",
      "secret",
      "publishable",
    ]);
    assert.deepEqual(await runMerchantCommand(db.pool, commandOf({ revoke: keyId }), "test"), [
      `Revoked key ${keyId}`,
    ]);
    assert.equal((await findApiKey(db.pool, keyId))?.revoked, true);
    await assert.rejects(
      runMerchantCommand(db.pool, commandOf({ revoke: keyId }), "test"),
      /No active key/,
    );
    assert.throws(() => commandOf({ id: "bad id" }), /--id/);
    assert.throws(() => commandOf({ id: "M1" }), /--name/);
    assert.throws(() => commandOf({ id: "M1", name: "Shop", publishable: true }), /--publishable/);
  } finally {
    await db.close();
  }
});
