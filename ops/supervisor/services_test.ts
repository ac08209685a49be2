import assert from "node:assert/strict";
import { platformData } from "./data_dir.ts";
import { platformServices } from "./services.ts";

const dbServices = ["ingest/main.ts", "gateway/main.ts", "workers/main.ts", "ops/main.ts"];

Deno.test("services reach MariaDB over a socket only when DB_SOCKET is given, and may write that path and nothing else", () => {
  for (const spec of platformServices(undefined, "/run/mysqld/mysqld.sock")) {
    const writes = spec.permissions.filter((p) => p.startsWith("--allow-write"));
    if (dbServices.includes(spec.entry)) {
      assert.deepEqual(writes, ["--allow-write=/run/mysqld/mysqld.sock"], spec.name);
    }
  }
  for (const spec of platformServices()) {
    if (dbServices.includes(spec.entry)) {
      assert.ok(!spec.permissions.some((p) => p.startsWith("--allow-write")), spec.name);
    }
  }
});

Deno.test("with a data folder every service may write it (and the DB socket), pgsim only its records' folder", () => {
  const data = platformData(
    { PROFILE: "embedded", DATA_DIR: "data", PGSIM_DATA_FILE: "/var/pgsim/records.sqlite3" },
    "/srv/pay",
  );
  assert.deepEqual(data.env, {
    DATA_DIR: "/srv/pay/data",
    PGSIM_DATA_FILE: "/var/pgsim/records.sqlite3",
    BUS_EMBEDDED_PATH: "/srv/pay/data/bus.sqlite3",
    STORAGE_SQLITE_PATH: "/srv/pay/data/platform.sqlite3",
  });
  for (const spec of platformServices(undefined, "/run/mysqld/mysqld.sock", data)) {
    const writes = spec.permissions.filter((p) => p.startsWith("--allow-write"));
    const expected = spec.name === "pgsim"
      ? ["--allow-write=/var/pgsim"]
      : spec.name === "store"
      ? ["--allow-write=store/static/build,/srv/pay/data"]
      : ["--allow-write=/run/mysqld/mysqld.sock,/srv/pay/data"];
    assert.deepEqual(writes, expected, spec.name);
  }
});

Deno.test("pgsim keeps its records under DATA_DIR in both profiles; an embedded bus or database elsewhere adds its folder", () => {
  const scaleOut = platformData({ PROFILE: "scale-out" }, "/srv/pay");
  assert.deepEqual(scaleOut.env, {
    DATA_DIR: "/srv/pay/.data",
    PGSIM_DATA_FILE: "/srv/pay/.data/pgsim.sqlite3",
  });
  assert.deepEqual(scaleOut.writePaths, ["/srv/pay/.data"]);
  const busElsewhere = platformData(
    { PROFILE: "embedded", BUS_EMBEDDED_PATH: "/fast/bus.sqlite3" },
    "/srv/pay",
  );
  assert.deepEqual(busElsewhere.writePaths, ["/srv/pay/.data", "/fast"]);
  const rowsElsewhere = platformData({ STORAGE_SQLITE_PATH: "rows/platform.sqlite3" }, "/srv/pay");
  assert.equal(rowsElsewhere.env.STORAGE_SQLITE_PATH, "/srv/pay/rows/platform.sqlite3");
  assert.deepEqual(rowsElsewhere.writePaths, ["/srv/pay/.data", "/srv/pay/rows"]);
});
