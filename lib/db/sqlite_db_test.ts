import assert from "node:assert/strict";
import { sql } from "./batch.ts";
import { openSqliteDb } from "./sqlite_db.ts";

Deno.test("holders of one SQLite file share its connection; only the last close closes it", async () => {
  const dir = await Deno.makeTempDir({ prefix: "pay_sqlite_holders_" });
  try {
    const path = `${dir}/one.sqlite3`;
    const first = openSqliteDb(path);
    const second = openSqliteDb(path);
    assert.equal(first, second);
    await first.close();
    assert.equal(second.isOpen, true);
    assert.deepEqual(await second.query(sql("SELECT 1 AS one")), [{ one: 1 }]);
    await second.close();
    assert.equal(second.isOpen, false);
    const third = openSqliteDb(path);
    assert.notEqual(third, second);
    assert.deepEqual(await third.query(sql("SELECT 2 AS two")), [{ two: 2 }]);
    await third.close();
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
