/** The MariaDB pool's acquire timeout (mysql2's pool; SQLite has one connection per process). */
// test-needs: mariadb
import assert from "node:assert/strict";
import { DependencyUnavailableError } from "../domain/mod.ts";
import { isTransientFailure } from "../resilience/transient.ts";
import { freshMariaDatabase } from "../testing/db.ts";
import { createPool, poolAcquireTimeoutMs } from "./pool.ts";

Deno.test("every way into an exhausted pool fails after poolAcquireTimeoutMs, then the pool recovers", async () => {
  const db = await freshMariaDatabase("pool_acquire");
  const tiny = createPool({ ...db.config, poolSize: 1 });
  try {
    const held = await tiny.driver.getConnection();
    const started = performance.now();
    const outcomes = await Promise.allSettled([
      tiny.driver.getConnection(),
      tiny.driver.query("SELECT 1"),
      tiny.driver.execute("SELECT 1"),
    ]);
    const waitedMs = performance.now() - started;
    for (const outcome of outcomes) {
      assert.equal(outcome.status, "rejected");
      const reason = (outcome as PromiseRejectedResult).reason;
      assert.ok(reason instanceof DependencyUnavailableError, String(reason));
      assert.equal(reason.dependency, "database");
      assert.ok(isTransientFailure(reason));
    }
    assert.ok(waitedMs >= poolAcquireTimeoutMs - 50, `gave up after ${waitedMs} ms`);

    // The three late hand-overs go back to the pool: the one connection is usable again.
    held.release();
    const [rows] = await tiny.driver.query("SELECT 1 AS one");
    assert.deepEqual(rows, [{ one: 1 }]);
    const again = await tiny.driver.getConnection();
    again.release();
  } finally {
    await tiny.close();
    await db.close();
  }
});
