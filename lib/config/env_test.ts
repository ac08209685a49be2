import assert from "node:assert/strict";
import { ConfigError } from "./env.ts";
import { readDbConfig } from "./db.ts";
import { readIngestConfig } from "./ingest.ts";
import { readInternalAuthConfig } from "./internal_auth.ts";

Deno.test("defaults apply when variables are unset", () => {
  const db = readDbConfig({});
  assert.equal(db.port, 3306);
  assert.ok(Object.isFrozen(db));
  assert.equal(readIngestConfig({}).authExpiryMs, 7 * 86_400_000);
});

Deno.test("a malformed variable stops start-up with a message naming it", () => {
  assert.throws(
    () => readDbConfig({ DB_PORT: "eighty", DB_POOL_SIZE: "0" }),
    (error: unknown) => {
      assert.ok(error instanceof ConfigError);
      assert.match(error.message, /DB_PORT: .*\(got "eighty"\)/);
      assert.match(error.message, /DB_POOL_SIZE: .*\(got "0"\)/);
      return true;
    },
  );
  assert.throws(
    () => readIngestConfig({ AUTH_EXPIRY: "7 days" }),
    /AUTH_EXPIRY: expected a duration/,
  );
});

Deno.test("production refuses the development internal secret", () => {
  assert.throws(() => readInternalAuthConfig({ PAY_ENV: "production" }), /INTERNAL_AUTH_SECRET/);
  assert.throws(() => readInternalAuthConfig({ INTERNAL_AUTH_SECRET: "short" }), /at least 32/);
});
