import assert from "node:assert/strict";
import { debianMariadbSocket, localDbSocket } from "./local_db_socket.ts";

Deno.test("the local MariaDB socket is used only for a local DB_HOST, and DB_SOCKET wins", () => {
  const present = () => true;
  assert.equal(localDbSocket({}, present), debianMariadbSocket);
  assert.equal(localDbSocket({ DB_HOST: "localhost" }, present), debianMariadbSocket);
  assert.equal(localDbSocket({ DB_HOST: "db.internal" }, present), undefined);
  assert.equal(localDbSocket({}, () => false), undefined);
  assert.equal(
    localDbSocket({ DB_SOCKET: "/tmp/my.sock", DB_HOST: "db" }, present),
    "/tmp/my.sock",
  );
});

Deno.test("services that reach MariaDB over a socket may write that path and nothing else", async () => {
  const { platformServices } = await import("./services.ts");
  for (const spec of platformServices(undefined, "/run/mysqld/mysqld.sock")) {
    const writes = spec.permissions.filter((p) => p.startsWith("--allow-write"));
    if (
      ["ingest/main.ts", "gateway/main.ts", "workers/main.ts", "ops/main.ts"].includes(spec.entry)
    ) {
      assert.deepEqual(writes, ["--allow-write=/run/mysqld/mysqld.sock"], spec.name);
    }
  }
  for (const spec of platformServices()) {
    if (spec.entry === "ingest/main.ts") {
      assert.ok(!spec.permissions.some((p) => p.startsWith("--allow-write")));
    }
  }
});
