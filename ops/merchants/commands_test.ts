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
    assert.match(apiKey, new RegExp(`^pk_test_${keyId}_`));
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
    const listed = await runMerchantCommand(db.pool, commandOf({ list: true, id: "M777" }), "test");
    assert.equal(listed.length, 2);
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
  } finally {
    await db.close();
  }
});
