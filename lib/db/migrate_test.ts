import assert from "node:assert/strict";
import { freshTestDatabase } from "../testing/mod.ts";
import { loadMigrations, migrate } from "./migrate.ts";

Deno.test("migrations apply once and are safe to re-run concurrently", async () => {
  const db = await freshTestDatabase("migrate");
  try {
    const again = await Promise.all([migrate(db.config), migrate(db.config)]);
    assert.deepEqual(again, [[], []]);
    const [rows] = await db.pool.query("SELECT version FROM schema_migration ORDER BY version");
    const versions = (rows as Array<{ version: number }>).map((r) => r.version);
    assert.deepEqual(versions, (await loadMigrations()).map((m) => m.version));
  } finally {
    await db.close();
  }
});
