import assert from "node:assert/strict";
import { PgUnavailableError } from "../domain/mod.ts";
import { PgProtocolError } from "./errors.ts";
import { authorizeResultOf, operationResultOf, pgPaths } from "./wire.ts";

Deno.test("5xx and 429 answers mean the outcome is unknown", () => {
  for (const status of [500, 502, 503, 504, 429]) {
    assert.throws(() => authorizeResultOf(status, "<html>"), PgUnavailableError);
    assert.throws(() => operationResultOf(status, "", "capture"), PgUnavailableError);
  }
});

Deno.test("an answer without the documented fields is a PgProtocolError", () => {
  assert.throws(() => authorizeResultOf(200, "{}"), PgProtocolError);
  assert.throws(() => authorizeResultOf(402, '{"id":"auth_1"}'), PgProtocolError);
  assert.throws(() => operationResultOf(409, "not json", "refund"), PgProtocolError);
  assert.throws(() => operationResultOf(400, '{"code":"validation_error"}', "refund"), (e) => {
    assert.ok(e instanceof PgProtocolError);
    assert.equal(e.code, "validation_error");
    return true;
  });
});

Deno.test("authorization ids are escaped into paths", () => {
  assert.equal(pgPaths.capture("auth_1/../x"), "/v1/authorizations/auth_1%2F..%2Fx/capture");
});
