import assert from "node:assert/strict";
import { claimIdempotencyKeyStatement, sendBatch, sql } from "@pay/lib/db";
import { idempotencyClaimWaitSeconds } from "./idempotency/guard.ts";
import { countRows, type IngestHarness, ingestHarness } from "./testing/harness.ts";

const concurrentRepeats = 20;

async function authorized(h: IngestHarness, key: string): Promise<string> {
  const res = await h.call("POST", "/api/payments/authorize", {
    body: { amount: 10000, currency: "KRW" },
    idempotencyKey: key,
  });
  assert.equal(res.status, 201);
  return (await res.json()).paymentId;
}

/** What the settlement worker does after a successful PG capture. */
async function markCaptured(h: IngestHarness, paymentId: string): Promise<void> {
  await h.db.pool.driver.query(
    "UPDATE payment SET status = 'CAPTURED', captured_amount = amount WHERE id = ?",
    [paymentId],
  );
}

/**
 * Sends the same keyed POST `concurrentRepeats` times at once and checks
 * DESIGN §10: one real answer, every other one a byte-identical replay.
 */
async function assertOneAnswerReplayed(
  h: IngestHarness,
  path: string,
  key: string,
  status: number,
): Promise<void> {
  const responses = await Promise.all(
    Array.from({ length: concurrentRepeats }, () => h.call("POST", path, { idempotencyKey: key })),
  );
  const texts = await Promise.all(responses.map((r) => r.text()));
  assert.deepEqual(new Set(responses.map((r) => r.status)), new Set([status]), texts.join("\n"));
  assert.equal(new Set(texts).size, 1, "every answer is the one stored answer");
  const replayed = responses.filter((r) => r.headers.get("idempotent-replayed") === "true");
  assert.equal(replayed.length, concurrentRepeats - 1);
}

async function countWhere(h: IngestHarness, query: string, ...params: unknown[]) {
  const [rows] = await h.db.pool.driver.query(query, params);
  return Number((rows as Array<{ n: number }>)[0]!.n);
}

for (const redis of ["down", "up", "none (embedded)"] as const) {
  Deno.test(`with Redis ${redis}, concurrent repeats of a keyed capture, refund and cancel replay the first answer`, async (t) => {
    const h = await ingestHarness(`ingest_idem_conc_${redis.split(" ")[0]}`, {
      profile: redis.startsWith("none") ? "embedded" : "scale-out",
    });
    try {
      if (redis === "down") h.redis!.redis.disconnect();

      await t.step("capture: one settlement request, 19 replays of the 202", async () => {
        const paymentId = await authorized(h, "src-capture");
        await assertOneAnswerReplayed(h, `/api/payments/capture/${paymentId}`, "cap", 202);
        assert.equal(await countRows(h.db, "settlement_request"), 1);
        assert.equal(
          await countWhere(
            h,
            "SELECT COUNT(*) AS n FROM outbox_event WHERE topic = 'payment.capture-requested'",
          ),
          1,
        );
      });

      await t.step("refund: one refund request, 19 replays of the 202", async () => {
        const paymentId = await authorized(h, "src-refund");
        await markCaptured(h, paymentId);
        await assertOneAnswerReplayed(h, `/api/payments/refund/${paymentId}`, "ref", 202);
        assert.equal(await countRows(h.db, "refund_request"), 1);
      });

      await t.step("cancel: one transition, 19 replays of the 200", async () => {
        const paymentId = await authorized(h, "src-cancel");
        await assertOneAnswerReplayed(h, `/api/payments/cancel/${paymentId}`, "can", 200);
        assert.equal(
          await countWhere(
            h,
            "SELECT COUNT(*) AS n FROM payment_event WHERE payment_id = ? AND to_status = 'CANCELLED'",
            paymentId,
          ),
          1,
        );
      });

      await t.step(
        "unkeyed repeats stay distinct requests: the second is invalid_state",
        async () => {
          const paymentId = await authorized(h, "src-unkeyed");
          const path = `/api/payments/capture/${paymentId}`;
          const [a, b] = await Promise.all([h.call("POST", path), h.call("POST", path)]);
          const codes = [a.status, b.status].sort();
          assert.deepEqual(codes, [202, 409]);
          const refused = a.status === 409 ? a : b;
          assert.equal((await refused.json()).code, "invalid_state");
          await (a.status === 409 ? b : a).body?.cancel();
        },
      );
    } finally {
      if (redis === "down") await h.db.close();
      else await h.close();
    }
  });
}

Deno.test("a repeat waits at most idempotencyClaimWaitSeconds for a stuck holder, then is 409 idempotency_key_in_use", async () => {
  const h = await ingestHarness("ingest_idem_stuck");
  const holder = await h.db.pool.driver.getConnection();
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
