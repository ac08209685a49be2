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
