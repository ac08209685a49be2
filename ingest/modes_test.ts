import assert from "node:assert/strict";
import { fixtureWrite } from "@pay/lib/testing";
import { countRows, ingestHarness } from "./testing/harness.ts";

const body = { amount: 10000, currency: "KRW" };

Deno.test("test and live modes never see each other's payments", async (t) => {
  const h = await ingestHarness("ingest_modes");
  const authorizeIn = async (mode: "test" | "live", idempotencyKey: string) => {
    const res = await h.call("POST", "/api/payments/authorize", { body, idempotencyKey, mode });
    assert.equal(res.status, 201);
    return await res.json();
  };
  try {
    const test = await authorizeIn("test", "mode-test");
    const live = await authorizeIn("live", "mode-live");

    await t.step("a payment records its key's mode", () => {
      assert.equal(test.livemode, false);
      assert.equal(live.livemode, true);
    });

    await t.step("each mode reads and lists only its own payments", async () => {
      for (const [mode, own, other] of [["test", test, live], ["live", live, test]] as const) {
        const got = await h.call("GET", `/api/payments/${own.paymentId}`, { mode });
        assert.equal(got.status, 200);
        assert.equal((await got.json()).paymentId, own.paymentId);
        const hidden = await h.call("GET", `/api/payments/${other.paymentId}`, { mode });
        assert.equal(hidden.status, 404);
        assert.equal((await hidden.json()).code, "not_found");
        const listed = await (await h.call("GET", "/api/payments", { mode })).json();
        assert.deepEqual(listed.data.map((p: { paymentId: string }) => p.paymentId), [
          own.paymentId,
        ]);
      }
    });

    await t.step("a key cannot capture, cancel or refund the other mode's payment", async () => {
      await fixtureWrite(
        h.db.pool,
        "UPDATE payment SET status = 'CAPTURED', captured_amount = amount WHERE id = ?",
        live.paymentId,
      );
      for (
        const [action, target] of [
          ["capture", test.paymentId],
          ["cancel", test.paymentId],
          ["refund", live.paymentId],
        ]
      ) {
        const mode = target === live.paymentId ? "test" : "live";
        const res = await h.call("POST", `/api/payments/${action}/${target}`, { body: {}, mode });
        assert.equal(res.status, 404, `${action} in ${mode}`);
        await res.body?.cancel();
      }
      const unchanged = await (await h.call("GET", `/api/payments/${test.paymentId}`)).json();
      assert.equal(unchanged.status, "AUTHORIZED");
      assert.equal(await countRows(h.db, "refund_request"), 0);
      assert.equal(await countRows(h.db, "settlement_request"), 0);
    });

    await t.step("an idempotency key of one mode never replays into the other", async () => {
      const res = await h.call("POST", "/api/payments/authorize", {
        body,
        idempotencyKey: "mode-test",
        mode: "live",
      });
      assert.equal(res.status, 422);
      const problem = await res.json();
      assert.equal(problem.code, "idempotency_key_mismatch");
      assert.doesNotMatch(JSON.stringify(problem), new RegExp(test.paymentId));
      assert.equal(await countRows(h.db, "payment"), 2);
      const replay = await h.call("POST", "/api/payments/authorize", {
        body,
        idempotencyKey: "mode-test",
        mode: "test",
      });
      assert.equal(replay.status, 201);
      assert.equal(replay.headers.get("idempotent-replayed"), "true");
      assert.equal((await replay.json()).paymentId, test.paymentId);
    });
  } finally {
    await h.close();
  }
});
