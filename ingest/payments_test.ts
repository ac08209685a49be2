import assert from "node:assert/strict";
import { fixtureRows } from "@pay/lib/testing";
import { countRows, ingestHarness } from "./testing/harness.ts";

const authorizeBody = { merchantId: "M123", amount: 10000, currency: "KRW" };

Deno.test("ingest payment lifecycle", async (t) => {
  const h = await ingestHarness("ingest_lifecycle");
  try {
    await t.step(
      "authorize returns 201 AUTHORIZED and writes payment, event and outbox row",
      async () => {
        const res = await h.call("POST", "/api/payments/authorize", {
          body: authorizeBody,
          idempotencyKey: "life-1",
        });
        assert.equal(res.status, 201);
        const payment = await res.json();
        assert.equal(payment.status, "AUTHORIZED");
        assert.equal(payment.amount, 10000);
        assert.equal(payment.capturedAmount, 0);
        assert.match(payment.paymentId, /^pay_/);
        const rows = await fixtureRows(h.db.pool, "SELECT topic, payload FROM outbox_event");
        assert.equal(rows.length, 1);
        assert.equal(rows[0]!.topic, "payment.authorized");
        const envelope = JSON.parse(rows[0]!.payload);
        assert.equal(envelope.paymentId, payment.paymentId);
        assert.equal(envelope.amount, 10000);
        assert.match(envelope.eventId, /^evt_/);
      },
    );

    await t.step("authorize → partial capture → get shows the timeline", async () => {
      const created = await (await h.call("POST", "/api/payments/authorize", {
        body: { ...authorizeBody, amount: 5000, orderId: "order-7" },
        idempotencyKey: "life-2",
      })).json();
      const captured = await h.call("POST", `/api/payments/capture/${created.paymentId}`, {
        body: { amount: 4000 },
      });
      assert.equal(captured.status, 202);
      assert.equal((await captured.json()).status, "CAPTURE_REQUESTED");
      const got = await (await h.call("GET", `/api/payments/${created.paymentId}`)).json();
      assert.equal(got.status, "CAPTURE_REQUESTED");
      assert.equal(got.orderId, "order-7");
      assert.deepEqual(got.events.map((e: { to: string }) => e.to), [
        "AUTHORIZED",
        "CAPTURE_REQUESTED",
      ]);
      assert.equal(got.events[1].amount, 4000);
      assert.deepEqual(got.ledger, []);
      const requests = await fixtureRows(
        h.db.pool,
        "SELECT amount, status FROM settlement_request WHERE payment_id = ?",
        created.paymentId,
      );
      assert.deepEqual(requests, [{ amount: 4000, status: "PENDING" }]);
    });

    await t.step("capture above the authorized amount is refused and changes nothing", async () => {
      const created = await (await h.call("POST", "/api/payments/authorize", {
        body: authorizeBody,
        idempotencyKey: "life-3",
      })).json();
      const res = await h.call("POST", `/api/payments/capture/${created.paymentId}`, {
        body: { amount: 10001 },
      });
      assert.equal(res.status, 400);
      assert.equal((await res.json()).code, "amount_exceeds_authorized");
      const got = await (await h.call("GET", `/api/payments/${created.paymentId}`)).json();
      assert.equal(got.status, "AUTHORIZED");
    });

    await t.step(
      "cancel voids an authorized payment; a second cancel is invalid_state",
      async () => {
        const created = await (await h.call("POST", "/api/payments/authorize", {
          body: authorizeBody,
          idempotencyKey: "life-4",
        })).json();
        const res = await h.call("POST", `/api/payments/cancel/${created.paymentId}`);
        assert.equal(res.status, 200);
        assert.equal((await res.json()).status, "CANCELLED");
        const again = await h.call("POST", `/api/payments/cancel/${created.paymentId}`);
        assert.equal(again.status, 409);
        const problem = await again.json();
        assert.equal(problem.code, "invalid_state");
        assert.equal(problem.paymentId, created.paymentId);
        assert.equal(again.headers.get("content-type"), "application/problem+json");
      },
    );

    await t.step("refund before capture completes is invalid_state", async () => {
      const created = await (await h.call("POST", "/api/payments/authorize", {
        body: authorizeBody,
        idempotencyKey: "life-5",
      })).json();
      const res = await h.call("POST", `/api/payments/refund/${created.paymentId}`, {
        body: { amount: 100 },
      });
      assert.equal(res.status, 409);
    });

    await t.step("a declined card is stored AUTH_FAILED and answered 402", async () => {
      const res = await h.call("POST", "/api/payments/authorize", {
        body: { ...authorizeBody, paymentMethod: "tok_decline" },
        idempotencyKey: "life-6",
      });
      assert.equal(res.status, 402);
      const problem = await res.json();
      assert.equal(problem.code, "card_declined");
      assert.equal(problem.payment.status, "AUTH_FAILED");
      const got = await (await h.call("GET", `/api/payments/${problem.paymentId}`)).json();
      assert.equal(got.status, "AUTH_FAILED");
    });

    await t.step("PG unavailable answers 503 and stores nothing", async () => {
      const before = await countRows(h.db, "payment");
      h.pg.setAvailable(false);
      try {
        const res = await h.call("POST", "/api/payments/authorize", {
          body: authorizeBody,
          idempotencyKey: "life-7",
        });
        assert.equal(res.status, 503);
        assert.equal((await res.json()).code, "pg_unavailable");
      } finally {
        h.pg.setAvailable(true);
      }
      assert.equal(await countRows(h.db, "payment"), before);
      assert.equal(await countRows(h.db, "idempotency_record"), before);
      const retried = await h.call("POST", "/api/payments/authorize", {
        body: authorizeBody,
        idempotencyKey: "life-7",
      });
      assert.equal(retried.status, 201, "the key is free again after a 503");
    });

    await t.step("another merchant's payment is 404, never 403", async () => {
      const created = await (await h.call("POST", "/api/payments/authorize", {
        body: authorizeBody,
        idempotencyKey: "life-8",
      })).json();
      for (
        const [method, path] of [
          ["GET", `/api/payments/${created.paymentId}`],
          ["POST", `/api/payments/capture/${created.paymentId}`],
          ["POST", `/api/payments/cancel/${created.paymentId}`],
        ] as const
      ) {
        const res = await h.call(method, path, { merchantId: "M999" });
        assert.equal(res.status, 404, `${method} ${path}`);
        await res.body?.cancel();
      }
    });

    await t.step("a body merchantId other than the signed merchant is 403", async () => {
      const res = await h.call("POST", "/api/payments/authorize", {
        body: { ...authorizeBody, merchantId: "M999" },
        idempotencyKey: "life-9",
      });
      assert.equal(res.status, 403);
      assert.equal((await res.json()).code, "forbidden");
    });

    await t.step("list pages the merchant's own payments newest first", async () => {
      for (let i = 0; i < 3; i++) {
        const res = await h.call("POST", "/api/payments/authorize", {
          body: { amount: 700, currency: "USD" },
          merchantId: "M555",
          idempotencyKey: `list-${i}`,
        });
        await res.body?.cancel();
      }
      const firstRes = await h.call("GET", "/api/payments?limit=2", { merchantId: "M555" });
      const first = await firstRes.json();
      assert.equal(firstRes.status, 200, JSON.stringify(first));
      assert.equal(first.data.length, 2);
      assert.ok(first.nextCursor);
      const second =
        await (await h.call("GET", `/api/payments?limit=2&cursor=${first.nextCursor}`, {
          merchantId: "M555",
        })).json();
      assert.equal(second.data.length, 1);
      assert.equal(second.nextCursor, null);
      const ids = [...first.data, ...second.data].map((p: { paymentId: string }) => p.paymentId);
      assert.deepEqual(ids, [...ids].sort().reverse());
      const authorized =
        await (await h.call("GET", "/api/payments?status=CANCELLED", { merchantId: "M555" }))
          .json();
      assert.equal(authorized.data.length, 0);
    });
  } finally {
    await h.close();
  }
});
