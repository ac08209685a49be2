import assert from "node:assert/strict";
import { createApiKey, createMerchant, type Db, openStorage } from "@pay/lib/db";
import { fixtureRows, fixtureWrite, freshTestDatabase } from "@pay/lib/testing";
import { loadCommand } from "../command.ts";
import { createLoadMerchants, leftoverLoadMerchants, retireLoadMerchants } from "./merchants.ts";

async function addPayment(db: Db, id: string, merchantId: string): Promise<void> {
  await fixtureWrite(
    db,
    `INSERT INTO payment (id, merchant_id, idempotency_key, status, amount, currency,
                          captured_amount, created_at, updated_at)
     VALUES (?, ?, ?, 'CAPTURED', 1000, 'KRW', 1000, NOW(3), NOW(3))`,
    id,
    merchantId,
    `k-${id}`,
  );
}

async function rows(db: Db, text: string) {
  return (await fixtureRows(db, text)).map((r) => ({ ...r }));
}

Deno.test("after a run its merchants' keys are revoked, unused merchants deleted, used ones closed; real ones untouched", async () => {
  const db = await freshTestDatabase("lt_retire");
  try {
    const pool = db.pool;
    // Real merchants, one whose id happens to look like a load-test id.
    for (const [id, name] of [["M777", "Shop"], ["LT_shop", "Real shop"]] as const) {
      await createMerchant(pool, { id, name });
      await createApiKey(pool, { merchantId: id, env: "test", label: "prod" });
      await addPayment(pool, `pay_${id}`, id);
    }
    const run = await createLoadMerchants(pool, "r1", 2, "test");
    await addPayment(pool, "pay_lt", run[0]!.merchantId);
    const older = await createLoadMerchants(pool, "r0", 1, "test");

    assert.deepEqual(
      (await leftoverLoadMerchants(pool)).sort(),
      [...run, ...older].map((m) => m.merchantId).sort(),
    );
    const retired = await retireLoadMerchants(pool, [
      ...run.map((m) => m.merchantId),
      "LT_shop",
      "M777",
    ]);
    assert.deepEqual(retired, { revokedKeys: 2, deleted: 1, closed: 1 });

    assert.deepEqual(
      await rows(pool, "SELECT id, status FROM merchant ORDER BY id"),
      [
        { id: "LT_r0_1", status: "ACTIVE" },
        { id: "LT_r1_1", status: "CLOSED" },
        { id: "LT_shop", status: "ACTIVE" },
        { id: "M777", status: "ACTIVE" },
      ],
    );
    assert.deepEqual(
      await rows(
        pool,
        "SELECT merchant_id, revoked_at IS NOT NULL AS revoked FROM merchant_api_key ORDER BY merchant_id",
      ),
      [
        { merchant_id: "LT_r0_1", revoked: 0 },
        { merchant_id: "LT_r1_1", revoked: 1 },
        { merchant_id: "LT_shop", revoked: 0 },
        { merchant_id: "M777", revoked: 0 },
      ],
    );
    const payments = await rows(pool, "SELECT id, status FROM payment");
    assert.deepEqual(payments.map((p) => `${p.id} ${p.status}`).sort(), [
      "pay_LT_shop CAPTURED",
      "pay_M777 CAPTURED",
      "pay_lt CAPTURED",
    ]);
    // --cleanup finds what an interrupted run left: only the older run's merchant.
    assert.deepEqual(await leftoverLoadMerchants(pool), ["LT_r0_1"]);
  } finally {
    await db.close();
  }
});

Deno.test("deno task load --cleanup retires what interrupted runs left and nothing else", async () => {
  const db = await freshTestDatabase("lt_cleanup");
  try {
    await createMerchant(db.pool, { id: "M777", name: "Shop" });
    await createApiKey(db.pool, { merchantId: "M777", env: "test" });
    await createLoadMerchants(db.pool, "r9", 3, "test");
    const lines: string[] = [];
    const code = await loadCommand(
      ["--cleanup"],
      { ...Deno.env.toObject(), ...db.env },
      (line) => lines.push(line),
    );
    assert.equal(code, 0);
    assert.match(
      lines.join("\n"),
      /^Retired 3 load-test merchant\(s\): 3 key\(s\) revoked, 3 deleted/,
    );
    // The command closed its storage: on SQLite, the process's one connection to the
    // file (openSqliteDb shares it), the test's too. Read through a connection of its own.
    const after = await openStorage(db.storage);
    try {
      assert.deepEqual(await rows(after, "SELECT id FROM merchant"), [{ id: "M777" }]);
      assert.deepEqual(await leftoverLoadMerchants(after), []);
    } finally {
      await after.close();
    }
  } finally {
    await db.close();
  }
});
