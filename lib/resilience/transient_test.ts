import assert from "node:assert/strict";
import { DependencyUnavailableError, PgUnavailableError, ValidationError } from "../domain/mod.ts";
import { asDependencyError, isTransientFailure } from "./transient.ts";

function coded(code: string, message = "x"): Error {
  return Object.assign(new Error(message), { code });
}

Deno.test("connection and lock failures of the drivers are transient", () => {
  for (
    const code of ["ECONNREFUSED", "PROTOCOL_CONNECTION_LOST", "ER_LOCK_DEADLOCK", "EOPENBREAKER"]
  ) {
    assert.equal(isTransientFailure(coded(code)), true, code);
  }
  assert.equal(isTransientFailure(new Error("Connection is closed.")), true);
  assert.equal(isTransientFailure(new Error("LOADING Redis is loading the dataset")), true);
  assert.equal(isTransientFailure(Object.assign(new Error("gone"), { errno: 2013 })), true);
  assert.equal(isTransientFailure(new PgUnavailableError("down")), true);
  assert.equal(isTransientFailure(new DependencyUnavailableError("db", "down")), true);
});

Deno.test("refused database or Redis credentials are transient: the work is kept", () => {
  const denied = Object.assign(
    new Error("Access denied for user 'root'@'127.0.0.1' (using password: YES)"),
    { code: "ER_ACCESS_DENIED_ERROR", errno: 1045 },
  );
  assert.equal(isTransientFailure(denied), true);
  assert.equal(isTransientFailure(new Error("WRONGPASS invalid username-password pair")), true);
  assert.equal(isTransientFailure(new Error("NOAUTH Authentication required.")), true);
});

Deno.test("a transient failure is found behind a cause", () => {
  const wrapped = new Error("Ledger posting failed", { cause: coded("ECONNRESET") });
  assert.equal(isTransientFailure(wrapped), true);
});

Deno.test("bad input, invariants and SQL errors are permanent", () => {
  assert.equal(isTransientFailure(new ValidationError("bad")), false);
  assert.equal(isTransientFailure(new SyntaxError("Unexpected token")), false);
  assert.equal(isTransientFailure(coded("ER_PARSE_ERROR")), false);
  assert.equal(isTransientFailure(coded("ER_DUP_ENTRY")), false);
  assert.equal(isTransientFailure(new Error("Journal entry does not balance")), false);
  assert.equal(isTransientFailure(undefined), false);
  assert.equal(isTransientFailure("ECONNREFUSED"), false);
});

Deno.test("asDependencyError wraps only transient failures and keeps the cause", () => {
  const driver = coded("ECONNREFUSED", "connect ECONNREFUSED 10.0.0.7:3306");
  const wrapped = asDependencyError("database", driver);
  assert.ok(wrapped instanceof DependencyUnavailableError);
  assert.equal(wrapped.dependency, "database");
  assert.equal(wrapped.cause, driver);
  const permanent = coded("ER_PARSE_ERROR");
  assert.equal(asDependencyError("database", permanent), permanent);
});

Deno.test("SQLite's busy write lock (node:sqlite) is transient; its constraint errors are not", () => {
  const sqliteError = (message: string) =>
    Object.assign(new Error(message), { code: "ERR_SQLITE_ERROR" });
  assert.ok(isTransientFailure(sqliteError("database is locked")));
  assert.ok(isTransientFailure(sqliteError("database table is locked")));
  assert.ok(!isTransientFailure(sqliteError("UNIQUE constraint failed: payment.id")));
});
