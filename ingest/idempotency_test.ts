import assert from "node:assert/strict";
import { countRows, ingestHarness } from "./testing/harness.ts";
import { createFakePgClient, type PgAuthorizeRequest } from "@pay/lib/pg";

const body = { merchantId: "M123", amount: 10000, currency: "KRW", idempotencyKey: "abc-123" };

for (const profile of ["scale-out", "embedded"] as const) {
  Deno.test(`${profile}: idempotency follows Stripe semantics`, async (t) => {
    const h = await ingestHarness(`ingest_idem_${profile.replace("-", "_")}`, { profile });
    try {
      await t.step(
        "a repeat replays the byte-identical body with Idempotent-Replayed",
        async () => {
          const first = await h.call("POST", "/api/payments/authorize", { body });
          const firstText = await first.text();
          assert.equal(first.status, 201);
          assert.equal(first.headers.get("idempotent-replayed"), null);
          const again = await h.call("POST", "/api/payments/authorize", { body });
          assert.equal(again.status, 201);
          assert.equal(again.headers.get("idempotent-replayed"), "true");
          assert.equal(await again.text(), firstText);
          assert.equal(await countRows(h.db, "payment"), 1);
        },
      );

      if (h.redis) {
        const testRedis = h.redis;
        await t.step("the replay comes from MariaDB when the Redis cache is empty", async () => {
          const first = await (await h.call("POST", "/api/payments/authorize", { body })).text();
          await testRedis.clear();
          const again = await h.call("POST", "/api/payments/authorize", { body });
          assert.equal(again.headers.get("idempotent-replayed"), "true");
          assert.equal(await again.text(), first);
        });
      }

      await t.step("key order and whitespace do not change the fingerprint", async () => {
        const reordered =
          `{ "currency":"KRW", "idempotencyKey":"abc-123","amount":10000 ,"merchantId":"M123"}`;
        const res = await h.call("POST", "/api/payments/authorize", { rawBody: reordered });
        assert.equal(res.status, 201);
        assert.equal(res.headers.get("idempotent-replayed"), "true");
      });

      await t.step(
        "the same key with a different body is 422 idempotency_key_mismatch",
        async () => {
          const res = await h.call("POST", "/api/payments/authorize", {
            body: { ...body, amount: 10001 },
          });
          assert.equal(res.status, 422);
          assert.equal((await res.json()).code, "idempotency_key_mismatch");
          assert.equal(await countRows(h.db, "payment"), 1);
        },
      );

      await t.step("keys are scoped per merchant", async () => {
        const res = await h.call("POST", "/api/payments/authorize", {
          body: { ...body, merchantId: "M124" },
          merchantId: "M124",
        });
        assert.equal(res.status, 201);
        assert.equal(res.headers.get("idempotent-replayed"), null);
      });

      await t.step(
        "the header and the seed's body field work alike; disagreeing is 400",
        async () => {
          const { idempotencyKey: _, ...noKey } = body;
          const viaHeader = await h.call("POST", "/api/payments/authorize", {
            body: noKey,
            idempotencyKey: "abc-123",
          });
          assert.equal(viaHeader.headers.get("idempotent-replayed"), "true");
          await viaHeader.body?.cancel();
          const both = await h.call("POST", "/api/payments/authorize", {
            body,
            idempotencyKey: "other",
          });
          assert.equal(both.status, 400);
          await both.body?.cancel();
        },
      );

      await t.step("a declined authorize replays its 402", async () => {
        const declined = { ...body, idempotencyKey: "dec-1", paymentMethod: "tok_decline" };
        const first = await h.call("POST", "/api/payments/authorize", { body: declined });
        const text = await first.text();
        const again = await h.call("POST", "/api/payments/authorize", { body: declined });
        assert.equal(again.status, 402);
        assert.equal(await again.text(), text);
      });

      await t.step("capture with a key replays instead of failing with invalid_state", async () => {
        const created = await (await h.call("POST", "/api/payments/authorize", {
          body: { ...body, idempotencyKey: "cap-src" },
        })).json();
        const path = `/api/payments/capture/${created.paymentId}`;
        const first = await h.call("POST", path, { idempotencyKey: "cap-1" });
        const text = await first.text();
        const again = await h.call("POST", path, { idempotencyKey: "cap-1" });
        assert.equal(again.status, 202);
        assert.equal(again.headers.get("idempotent-replayed"), "true");
        assert.equal(await again.text(), text);
        const unkeyed = await h.call("POST", path);
        assert.equal(unkeyed.status, 409);
        await unkeyed.body?.cancel();
      });
    } finally {
      await h.close();
    }
  });
}

for (const profile of ["scale-out", "embedded"] as const) {
  Deno.test(`${profile}: 20 concurrent identical authorizes make one payment and one outbox row`, async () => {
    // A slow PG keeps the first request in flight while the others arrive.
    const pg = createFakePgClient();
    let release!: () => void;
    const gate = new Promise<void>((resolve) => release = resolve);
    const slowPg = {
      ...pg,
      async authorize(request: PgAuthorizeRequest) {
        await gate;
        return pg.authorize(request);
      },
    };
    const h = await ingestHarness(`ingest_idem_race_${profile.replace("-", "_")}`, {
      pg: slowPg,
      profile,
    });
    try {
      const requests = Array.from(
        { length: 20 },
        () => h.call("POST", "/api/payments/authorize", { body }),
      );
      const early = await Promise.race([
        Promise.all(requests),
        new Promise((r) => setTimeout(r, 200, "held")),
      ]);
      assert.equal(early, "held", "the first request waits on the PG");
      release();
      const responses = await Promise.all(requests);
      const statuses = responses.map((r) => r.status).sort();
      const bodies = await Promise.all(responses.map((r) => r.json()));
      const created = statuses.filter((s) => s === 201).length;
      const inUse = bodies.filter((b) => b.code === "idempotency_key_in_use").length;
      assert.equal(created + inUse, 20, `statuses: ${statuses}`);
      assert.ok(created >= 1);
      assert.equal(await countRows(h.db, "payment"), 1);
      assert.equal(await countRows(h.db, "outbox_event"), 1);
      assert.equal(await countRows(h.db, "idempotency_record"), 1);
    } finally {
      await h.close();
    }
  });
}

for (const redis of ["down", "none (embedded)"] as const) {
  Deno.test(`with Redis ${redis}, concurrent identical authorizes still make one payment`, async () => {
    const h = await ingestHarness(
      redis === "down" ? "ingest_idem_noredis" : "ingest_idem_nocache",
      {
        profile: redis === "down" ? "scale-out" : "embedded",
      },
    );
    try {
      h.redis?.redis.disconnect();
      const responses = await Promise.all(
        Array.from({ length: 10 }, () => h.call("POST", "/api/payments/authorize", { body })),
      );
      const statuses = responses.map((r) => r.status);
      const texts = await Promise.all(responses.map((r) => r.text()));
      assert.deepEqual(new Set(statuses), new Set([201]), texts.join("\n"));
      assert.equal(new Set(texts).size, 1, "every answer is the one stored answer");
      assert.equal(await countRows(h.db, "payment"), 1);
      assert.equal(await countRows(h.db, "outbox_event"), 1);
    } finally {
      if (h.redis) await h.db.close();
      else await h.close();
    }
  });
}

Deno.test("20 concurrent captures of one payment: exactly one wins, the rest are 409", async () => {
  const h = await ingestHarness("ingest_capture_race");
  try {
    const created = await (await h.call("POST", "/api/payments/authorize", { body })).json();
    const responses = await Promise.all(
      Array.from(
        { length: 20 },
        () => h.call("POST", `/api/payments/capture/${created.paymentId}`),
      ),
    );
    const statuses = responses.map((r) => r.status);
    await Promise.all(responses.map((r) => r.body?.cancel()));
    assert.equal(statuses.filter((s) => s === 202).length, 1, `statuses: ${statuses}`);
    assert.equal(statuses.filter((s) => s === 409).length, 19, `statuses: ${statuses}`);
    assert.equal(await countRows(h.db, "settlement_request"), 1);
    const [events] = await h.db.pool.driver.query(
      "SELECT COUNT(*) AS n FROM outbox_event WHERE topic = 'payment.capture-requested'",
    );
    assert.equal(Number((events as Array<{ n: number }>)[0]!.n), 1);
  } finally {
    await h.close();
  }
});
