import assert from "node:assert/strict";
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
