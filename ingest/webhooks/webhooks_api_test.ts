import assert from "node:assert/strict";
import { readOutboxEnvelopes, recordWebhookEvent } from "@pay/lib/db";
import { fixtureRows } from "@pay/lib/testing";
import { ingestHarness } from "../testing/harness.ts";

const hook = "https://hooks.example.com/pay";

Deno.test("webhook endpoints API", async (t) => {
  const h = await ingestHarness("wh_api");
  try {
    let endpoint: Record<string, unknown> = {};

    await t.step(
      "POST creates an enabled endpoint for every event with a whsec_ secret",
      async () => {
        const res = await h.call("POST", "/api/webhook-endpoints", {
          body: { url: hook, description: "shop" },
          idempotencyKey: "we-1",
        });
        assert.equal(res.status, 201);
        endpoint = await res.json();
        assert.match(String(endpoint.id), /^we_/);
        assert.equal(endpoint.status, "enabled");
        assert.deepEqual(endpoint.events, ["*"]);
        assert.match(String(endpoint.secret), /^whsec_[A-Za-z0-9+/=]{40,}$/);
      },
    );

    await t.step("a repeat with the same Idempotency-Key replays the same endpoint", async () => {
      const res = await h.call("POST", "/api/webhook-endpoints", {
        body: { url: hook, description: "shop" },
        idempotencyKey: "we-1",
      });
      assert.equal(res.status, 201);
      assert.equal(res.headers.get("idempotent-replayed"), "true");
      assert.deepEqual(await res.json(), endpoint);
      const list = await (await h.call("GET", "/api/webhook-endpoints")).json();
      assert.equal(list.data.length, 1);
      assert.equal(list.data[0].secret, undefined, "the secret is shown only on creation");
    });

    await t.step("bad URLs and unknown event types are 400 problem+json", async () => {
      for (
        const body of [
          { url: "ftp://example.com/x" },
          { url: "https://user:pw@example.com/x" },
          { url: "https://example.com/" + "a".repeat(2_100) },
          { url: "http://127.0.0.1:8080/x" },
          { url: "http://10.0.0.1/x" },
          { url: "http://169.254.169.254/latest" },
          { url: "http://[::1]/x" },
          { url: hook, events: ["payment.unknown"] },
          { url: hook, events: [] },
          { url: hook, extra: 1 },
        ]
      ) {
        const res = await h.call("POST", "/api/webhook-endpoints", { body });
        assert.equal(res.status, 400, JSON.stringify(body).slice(0, 80));
        assert.equal(res.headers.get("content-type"), "application/problem+json");
        assert.equal((await res.json()).code, "validation_error");
      }
    });

    await t.step("PATCH changes url, events and status", async () => {
      const res = await h.call("PATCH", `/api/webhook-endpoints/${endpoint.id}`, {
        body: { events: ["payment.captured", "payment.refunded"], status: "disabled" },
      });
      assert.equal(res.status, 200);
      const updated = await res.json();
      assert.deepEqual(updated.events, ["payment.captured", "payment.refunded"]);
      assert.equal(updated.status, "disabled");
      assert.equal(updated.disabledReason, "merchant");
      const bad = await h.call("PATCH", `/api/webhook-endpoints/${endpoint.id}`, {
        body: { url: "gopher://x" },
      });
      assert.equal(bad.status, 400);
    });

    await t.step(
      "rotate-secret returns a new secret and when the old one stops signing",
      async () => {
        const res = await h.call("POST", `/api/webhook-endpoints/${endpoint.id}/rotate-secret`, {
          idempotencyKey: "rot-1",
        });
        assert.equal(res.status, 200);
        const rotated = await res.json();
        assert.notEqual(rotated.secret, endpoint.secret);
        const overlapH = (Date.parse(rotated.previousSecretExpiresAt) - Date.now()) / 3_600_000;
        assert.ok(overlapH > 23.9 && overlapH <= 24, String(overlapH));
        const row = (await fixtureRows(
          h.db.pool,
          "SELECT secret, previous_secret FROM webhook_endpoint WHERE id = ?",
          endpoint.id,
        ))[0]!;
        assert.equal(row.secret, rotated.secret);
        assert.equal(row.previous_secret, endpoint.secret);
      },
    );

    await t.step("another merchant's endpoint is 404 on every route", async () => {
      const other = { merchantId: "M999" };
      const path = `/api/webhook-endpoints/${endpoint.id}`;
      for (
        const [method, p, body] of [
          ["GET", path, undefined],
          ["PATCH", path, { status: "enabled" }],
          ["DELETE", path, undefined],
          ["POST", `${path}/rotate-secret`, undefined],
        ] as const
      ) {
        const res = await h.call(method, p, { ...other, body });
        assert.equal(res.status, 404, `${method} ${p}`);
        assert.equal((await res.json()).code, "not_found");
      }
      const list = await (await h.call("GET", "/api/webhook-endpoints", other)).json();
      assert.deepEqual(list.data, []);
    });

    await t.step("DELETE removes the endpoint", async () => {
      const res = await h.call("DELETE", `/api/webhook-endpoints/${endpoint.id}`);
      assert.equal(res.status, 204);
      assert.equal((await h.call("GET", `/api/webhook-endpoints/${endpoint.id}`)).status, 404);
    });
  } finally {
    await h.close();
  }
});

Deno.test("events API lists a merchant's events newest first, keyset-paginated", async () => {
  const h = await ingestHarness("wh_events");
  try {
    const paymentIds: string[] = [];
    for (let i = 0; i < 3; i++) {
      const res = await h.call("POST", "/api/payments/authorize", {
        body: { amount: 1000 + i, currency: "KRW" },
        idempotencyKey: `ev-${i}`,
      });
      paymentIds.push((await res.json()).paymentId);
    }
    // What the webhook consumer records, from the outbox rows authorize wrote.
    for (const paymentId of paymentIds) {
      const { envelope } = (await readOutboxEnvelopes(h.db.pool, paymentId))[0]!;
      await recordWebhookEvent(h.db.pool, {
        id: envelope.eventId,
        merchantId: "M123",
        type: "payment.authorized",
        paymentId,
        payload: JSON.stringify({ id: envelope.eventId, type: "payment.authorized" }),
        createdAt: new Date(envelope.occurredAt),
      }, new Date());
    }
    const first = await (await h.call("GET", "/api/events?limit=2")).json();
    assert.equal(first.data.length, 2);
    assert.ok(first.nextCursor);
    const second = await (await h.call("GET", `/api/events?limit=2&cursor=${first.nextCursor}`))
      .json();
    assert.equal(second.data.length, 1);
    assert.equal(second.nextCursor, null);
    const ids = [...first.data, ...second.data].map((e: { id: string }) => e.id);
    assert.equal(new Set(ids).size, 3);
    assert.deepEqual(ids, [...ids].sort().reverse(), "newest first");

    const byPayment = await (await h.call("GET", `/api/events?paymentId=${paymentIds[0]}`)).json();
    assert.equal(byPayment.data.length, 1);
    const one = await h.call("GET", `/api/events/${ids[0]}`);
    assert.equal(one.status, 200);
    assert.equal((await one.json()).id, ids[0]);

    assert.equal(
      (await h.call("GET", `/api/events/${ids[0]}`, { merchantId: "M999" })).status,
      404,
    );
    const otherList = await (await h.call("GET", "/api/events", { merchantId: "M999" })).json();
    assert.deepEqual(otherList.data, []);
    assert.equal((await h.call("GET", "/api/events?cursor=bogus")).status, 400);
    assert.equal((await h.call("GET", "/api/events?type=payment.bogus")).status, 400);
  } finally {
    await h.close();
  }
});
