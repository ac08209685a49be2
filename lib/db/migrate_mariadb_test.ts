/** MariaDB's migrations under their named lock (SQLite's: migrate_test.ts). */
// test-needs: mariadb
import assert from "node:assert/strict";
import { fixtureRows, freshMariaDatabase } from "../testing/mod.ts";
import { loadMigrations, migrate } from "./migrate.ts";

Deno.test("migrations apply once and are safe to re-run concurrently", async () => {
  const db = await freshMariaDatabase("migrate");
  try {
    const again = await Promise.all([migrate(db.config), migrate(db.config)]);
    assert.deepEqual(again, [[], []]);
    const rows = await fixtureRows(
      db.pool,
      "SELECT version FROM schema_migration ORDER BY version",
    );
    assert.deepEqual(rows.map((r) => r.version), (await loadMigrations()).map((m) => m.version));
  } finally {
    await db.close();
  }
});
