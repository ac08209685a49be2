import assert from "node:assert/strict";
import { fixtureWrite } from "@pay/lib/testing";
import { ingestHarness } from "./testing/harness.ts";

interface Refund {
  refundId: string;
  paymentId: string;
  status: string;
  amount: number;
  currency: string;
  reason: string | null;
  failureCode: string | null;
  createdAt: string;
  completedAt: string | null;
}

Deno.test("a refund is a first-class object: its id, its status, its own URL", async (t) => {
  const h = await ingestHarness("ingest_refunds");
  try {
    const created = await (await h.call("POST", "/api/payments/authorize", {
      body: { amount: 10000, currency: "KRW" },
      idempotencyKey: "refund-1",
    })).json();
    const id = created.paymentId as string;
    await (await h.call("POST", `/api/payments/capture/${id}`, { body: {} })).body?.cancel();
    // The settlement worker's part: the PG captured it.
    await fixtureWrite(
      h.db.pool,
      "UPDATE payment SET status = 'CAPTURED', captured_amount = amount WHERE id = ?",
      id,
    );
    const refundOf = (path: string) => h.call("GET", `/api/payments/${id}/refunds/${path}`);
    let first: Refund;

    await t.step("the 202 answer carries refundId and the payment's refunds", async () => {
      const res = await h.call("POST", `/api/payments/refund/${id}`, {
        body: { amount: 3000, reason: "damaged" },
        idempotencyKey: "refund-1a",
      });
      assert.equal(res.status, 202);
      const answer = await res.json();
      assert.match(answer.refundId, /^ref_[0-9a-z]{26}$/);
      assert.equal(answer.status, "REFUND_REQUESTED");
      assert.equal(answer.refunds.length, 1);
      first = answer.refunds[0];
      assert.deepEqual({ ...first, createdAt: "t" }, {
        refundId: answer.refundId,
        paymentId: id,
        status: "PENDING",
        amount: 3000,
        currency: "KRW",
        reason: "damaged",
        failureCode: null,
        createdAt: "t",
        completedAt: null,
      });
      const replay = await h.call("POST", `/api/payments/refund/${id}`, {
        body: { amount: 3000, reason: "damaged" },
        idempotencyKey: "refund-1a",
      });
      assert.equal(replay.headers.get("idempotent-replayed"), "true");
      assert.equal((await replay.json()).refundId, answer.refundId);
    });

    await t.step("GET the refund and the payment's refunds[] show the same refund", async () => {
      const res = await refundOf(first.refundId);
      assert.equal(res.status, 200);
      assert.deepEqual(await res.json(), first);
      const payment = await (await h.call("GET", `/api/payments/${id}`)).json();
      assert.deepEqual(payment.refunds, [first]);
    });

    await t.step(
      "a completed refund reads SUCCEEDED; the next one is listed after it",
      async () => {
        await fixtureWrite(
          h.db.pool,
          "UPDATE refund_request SET status = 'SUCCESS', completed_at = ? WHERE id = ?",
          new Date(),
          first.refundId,
        );
        await fixtureWrite(
          h.db.pool,
          "UPDATE payment SET status = 'PARTIALLY_REFUNDED', refunded_amount = 3000 WHERE id = ?",
          id,
        );
        const done = await (await refundOf(first.refundId)).json();
        assert.equal(done.status, "SUCCEEDED");
        assert.ok(Date.parse(done.completedAt) > 0);
        const second = await (await h.call("POST", `/api/payments/refund/${id}`, {
          body: { amount: 2000 },
        })).json();
        assert.deepEqual(
          second.refunds.map((r: Refund) => [r.refundId, r.status, r.amount]),
          [[first.refundId, "SUCCEEDED", 3000], [second.refundId, "PENDING", 2000]],
        );
        const listed = await (await h.call("GET", "/api/payments")).json();
        assert.deepEqual(listed.data[0].refunds, second.refunds);
      },
    );

    await t.step("a refund is not found through another payment or merchant", async () => {
      const other = await (await h.call("POST", "/api/payments/authorize", {
        body: { amount: 500, currency: "KRW" },
        idempotencyKey: "refund-2",
      })).json();
      for (
        const [path, merchantId] of <[string, string][]> [
          [`/api/payments/${other.paymentId}/refunds/${first.refundId}`, "M123"],
          [`/api/payments/${id}/refunds/${first.refundId}`, "M999"],
          [`/api/payments/${id}/refunds/ref_01jf3x4k5m6n7p8q9r0s1t2v3w`, "M123"],
        ]
      ) {
        const res = await h.call("GET", path, { merchantId });
        assert.equal(res.status, 404, path);
        assert.equal((await res.json()).code, "not_found");
      }
    });
  } finally {
    await h.close();
  }
});
