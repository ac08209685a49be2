import assert from "node:assert/strict";
import { createSqliteSimDb } from "./sqlite_db.ts";
import { approvedAuthorization, testConfig, testPgsim } from "../testing.ts";

Deno.test("with PGSIM_DATA_FILE a restarted pgsim keeps replays, rules and the settlement report", async () => {
  const dir = await Deno.makeTempDir({ prefix: "pgsim_restart_" });
  const dataFile = `${dir}/pgsim.db`;
  const config = testConfig({ dataFile });
  const capture = { amount: 10_000, currency: "KRW", reference: "pay_test" };
  try {
    const before = testPgsim({ config, db: createSqliteSimDb(dataFile, config.recordsMax) });
    const id = await approvedAuthorization(before, "a-1");
    const captured = await (await before.post(`/v1/authorizations/${id}/capture`, "c-1", capture))
      .text();
    before.close();
    before.db.close();

    const after = testPgsim({ config, db: createSqliteSimDb(dataFile, config.recordsMax) });
    try {
      const replay = await after.post(`/v1/authorizations/${id}/capture`, "c-1", capture);
      assert.equal(replay.headers.get("idempotent-replayed"), "true");
      assert.equal(await replay.text(), captured);
      const second = await after.post(`/v1/authorizations/${id}/capture`, "c-2", capture);
      assert.equal((await second.json()).code, "already_captured");
      const report = await (await after.get("/v1/settlements?date=2030-01-15")).json();
      assert.deepEqual(report.captures.map((c: { idempotencyKey: string }) => c.idempotencyKey), [
        "c-1",
      ]);
    } finally {
      after.close();
      after.db.close();
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
