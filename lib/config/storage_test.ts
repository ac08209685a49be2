import assert from "node:assert/strict";
import { readDbConfig } from "./db.ts";
import { ConfigError } from "./env.ts";
import { mariadbOf, readStorageConfig } from "./storage.ts";

Deno.test("the embedded profile keeps its rows in DATA_DIR/platform.sqlite3 by default", () => {
  const config = readStorageConfig({});
  assert.deepEqual(config, { kind: "sqlite", path: ".data/platform.sqlite3" });
  assert.ok(Object.isFrozen(config));
  assert.deepEqual(readStorageConfig({ PROFILE: "embedded", DATA_DIR: "/srv/pay" }), {
    kind: "sqlite",
    path: "/srv/pay/platform.sqlite3",
  });
  assert.equal(mariadbOf(config), undefined);
});

Deno.test("STORAGE_SQLITE_PATH names the file, and must name one", () => {
  const env = { DATA_DIR: "/srv/pay", STORAGE_SQLITE_PATH: "/var/lib/pay/rows.db" };
  assert.deepEqual(readStorageConfig(env), { kind: "sqlite", path: "/var/lib/pay/rows.db" });
  for (const empty of ["", " "]) {
    assert.throws(() => readStorageConfig({ STORAGE_SQLITE_PATH: empty }), (e: unknown) => {
      assert.ok(e instanceof ConfigError);
      assert.deepEqual(e.problems, [
        `STORAGE_SQLITE_PATH: must name a file (got ${JSON.stringify(empty)})`,
      ]);
      return true;
    });
  }
});

Deno.test("the scale-out profile keeps its rows in MariaDB, from the DB_* variables", () => {
  const env = { PROFILE: "scale-out", DB_HOST: "db.internal", DB_NAME: "pay" };
  const config = readStorageConfig(env);
  assert.deepEqual(config, { kind: "mariadb", db: readDbConfig(env) });
  assert.deepEqual([mariadbOf(config)?.host, mariadbOf(config)?.database], ["db.internal", "pay"]);
  // The embedded profile may choose MariaDB too; the path then means nothing.
  const embedded = readStorageConfig({ STORAGE: "mariadb", STORAGE_SQLITE_PATH: "/x.db" });
  assert.deepEqual(embedded, { kind: "mariadb", db: readDbConfig({}) });
});

Deno.test("the scale-out profile refuses SQLite, naming the fix; an unknown STORAGE names itself", () => {
  assert.throws(
    () => readStorageConfig({ PROFILE: "scale-out", STORAGE: "sqlite" }),
    (e: unknown) => {
      assert.ok(e instanceof ConfigError);
      assert.deepEqual(e.problems, [
        'STORAGE: sqlite needs PROFILE=embedded; the scale-out profile\'s instances share one MariaDB (got "sqlite")',
      ]);
      return true;
    },
  );
  assert.throws(() => readStorageConfig({ STORAGE: "postgres" }), (e: unknown) => {
    assert.ok(e instanceof ConfigError);
    assert.equal(e.problems.length, 1);
    assert.match(e.problems[0]!, /^STORAGE: .*\(got "postgres"\)$/);
    return true;
  });
});
