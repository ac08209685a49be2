import assert from "node:assert/strict";
import { sql } from "./batch.ts";
import { loadMigrations, migrationsDir } from "./migrate.ts";
import { describeStorage, migrateStorage, openStorage } from "./storage.ts";

Deno.test("a SQLite storage is created with its folder and migrated once per process; each open is a hold of its own", async () => {
  const dir = await Deno.makeTempDir({ prefix: "pay_storage_" });
  try {
    const storage = { kind: "sqlite" as const, path: `${dir}/nested/platform.sqlite3` };
    const versions = (await loadMigrations(migrationsDir("sqlite"))).map((m) => m.version);
    assert.deepEqual(await migrateStorage(storage), versions);
    assert.deepEqual(await migrateStorage(storage), []);
    const first = await openStorage(storage);
    const second = await openStorage(storage);
    await first.close();
    const [row] = await second.query(sql("SELECT COUNT(*) AS n FROM schema_migration"));
    assert.equal(Number(row!.n), versions.length);
    await second.close();
    assert.equal(describeStorage(storage), `SQLite ${storage.path}`);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a MariaDB storage is described by its address and database", () => {
  const db = {
    host: "db.internal",
    port: 3307,
    socketPath: undefined,
    user: "pay",
    password: "secret",
    database: "payments",
    poolSize: 4,
  };
  assert.equal(describeStorage({ kind: "mariadb", db }), "MariaDB db.internal:3307/payments");
  assert.equal(
    describeStorage({ kind: "mariadb", db: { ...db, socketPath: "/run/mysqld/mysqld.sock" } }),
    "MariaDB socket /run/mysqld/mysqld.sock/payments",
  );
});
