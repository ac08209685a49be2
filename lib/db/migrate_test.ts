import assert from "node:assert/strict";
import { loadMigrations, migrateSqlite, migrationsDir } from "./migrate.ts";
import { SqliteDb } from "./sqlite_db.ts";

Deno.test("both dialects have the same migration versions and names", async () => {
  const mariadb = await loadMigrations(migrationsDir("mariadb"));
  const sqlite = await loadMigrations(migrationsDir("sqlite"));
  assert.ok(mariadb.length >= 5);
  assert.deepEqual(
    sqlite.map((m) => `${m.version}_${m.name}`),
    mariadb.map((m) => `${m.version}_${m.name}`),
  );
});

Deno.test("SQLite migrations apply once, when two callers migrate at once, and survive a reopen", async () => {
  const dir = await Deno.makeTempDir({ prefix: "pay_migrate_" });
  const path = `${dir}/pay.sqlite`;
  try {
    const a = new SqliteDb(path);
    const applied = await Promise.all([migrateSqlite(a), migrateSqlite(a)]);
    const versions = (await loadMigrations(migrationsDir("sqlite"))).map((m) => m.version);
    assert.deepEqual([...applied[0]!, ...applied[1]!].sort(), versions);
    await a.close();
    const reopened = new SqliteDb(path);
    assert.deepEqual(await migrateSqlite(reopened), []);
    await reopened.close();
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
