/**
 * A repeat's wait on another transaction's claim of its key is bounded by
 * MariaDB's lock wait (`SET STATEMENT innodb_lock_wait_timeout`). SQLite has
 * no row locks: its writers take turns on the file's lock, bounded by the
 * busy timeout, so a claim is never held across another request's work there.
 */
// test-needs: mariadb
import assert from "node:assert/strict";
import { claimIdempotencyKeyStatement, sendBatch, sql } from "@pay/lib/db";
import { freshMariaDatabase } from "@pay/lib/testing";
import { idempotencyClaimWaitSeconds } from "./idempotency/guard.ts";
import { authorized } from "./testing/idempotency_cases.ts";
import { countRows, ingestHarness } from "./testing/harness.ts";

Deno.test("a repeat waits at most idempotencyClaimWaitSeconds for a stuck holder, then is 409 idempotency_key_in_use", async () => {
  const db = await freshMariaDatabase("ingest_idem_stuck");
  const h = await ingestHarness("ingest_idem_stuck", { db });
  const holder = await db.pool.driver.getConnection();
  try {
    const paymentId = await authorized(h, "src-stuck");
    const path = `/api/payments/capture/${paymentId}`;
    // Another request's transaction claimed the key and does not finish.
    const now = new Date();
    await sendBatch(holder as never, [
      sql("START TRANSACTION"),
      claimIdempotencyKeyStatement({
        merchantId: "M123",
        key: "stuck",
        fingerprint: "0".repeat(64),
        method: "POST",
        path,
        createdAt: now,
        expiresAt: new Date(now.getTime() + 60_000),
      }, idempotencyClaimWaitSeconds),
    ]);
    const started = performance.now();
    const res = await h.call("POST", path, { idempotencyKey: "stuck" });
    const waitedMs = performance.now() - started;
    assert.equal(res.status, 409);
    assert.equal((await res.json()).code, "idempotency_key_in_use");
    assert.ok(waitedMs >= idempotencyClaimWaitSeconds * 1000 - 50, `waited ${waitedMs} ms`);
    assert.equal(await countRows(h.db, "settlement_request"), 0, "nothing was captured");

    await holder.query("ROLLBACK");
    const retried = await h.call("POST", path, { idempotencyKey: "stuck" });
    assert.equal(retried.status, 202, "once the holder is gone, the key is free");
    await retried.body?.cancel();
  } finally {
    holder.release();
    await h.close();
  }
});
