import assert from "node:assert/strict";
import { fixtureWrite } from "@pay/lib/testing";
import { countRows, ingestHarness } from "./testing/harness.ts";

const keys = (count: number, keyChars = 8, valueChars = 1) =>
  Object.fromEntries(
    Array.from({ length: count }, (_, i) => [
      `k${i}`.padEnd(keyChars, "x"),
      "v".repeat(valueChars),
    ]),
  );

Deno.test("metadata is stored and returned wherever the payment appears", async () => {
  const h = await ingestHarness("ingest_metadata");
  const metadata = { order_ref: "A-1001", "고객": "김민준", empty: "" };
  try {
    const created = await h.call("POST", "/api/payments/authorize", {
      body: { amount: 1000, currency: "KRW", metadata },
      idempotencyKey: "meta-1",
    });
    const payment = await created.json();
    assert.equal(created.status, 201);
    assert.deepEqual(payment.metadata, metadata);
    const id = payment.paymentId;
    const answers = [
      await (await h.call("GET", `/api/payments/${id}`)).json(),
      (await (await h.call("GET", "/api/payments")).json()).data[0],
      await (await h.call("POST", `/api/payments/capture/${id}`, { body: {} })).json(),
    ];
    for (const answer of answers) assert.deepEqual(answer.metadata, metadata);
    const declined = await (await h.call("POST", "/api/payments/authorize", {
      body: { amount: 1000, currency: "KRW", metadata, paymentMethod: "tok_decline" },
      idempotencyKey: "meta-2",
    })).json();
    assert.deepEqual(declined.payment.metadata, metadata);
    const without = await (await h.call("POST", "/api/payments/authorize", {
      body: { amount: 1000, currency: "KRW" },
      idempotencyKey: "meta-3",
    })).json();
    assert.deepEqual(without.metadata, {});
  } finally {
    await h.close();
  }
});

Deno.test("metadata limits: 50 keys, keys of 40 characters, values of 500", async (t) => {
  const h = await ingestHarness("ingest_metadata_limits");
  let serial = 0;
  const authorize = (metadata: unknown) =>
    h.call("POST", "/api/payments/authorize", {
      body: { amount: 1000, currency: "KRW", metadata },
      idempotencyKey: `limit-${++serial}`,
    });
  try {
    await t.step("at the limits it is accepted", async () => {
      for (const metadata of [keys(50), keys(1, 40), keys(1, 8, 500)]) {
        const res = await authorize(metadata);
        assert.equal(res.status, 201);
        assert.deepEqual((await res.json()).metadata, metadata);
      }
    });
    await t.step("past them it is 400 naming the param, and nothing is stored", async () => {
      const before = await countRows(h.db, "payment");
      const cases: [unknown, string, RegExp][] = [
        [keys(51), "metadata", /must have at most 50 keys/],
        [keys(1, 41), "metadata", /keys must be 1-40 characters/],
        [{ "": "x" }, "metadata", /keys must be 1-40 characters/],
        [keys(1, 8, 501), "metadata.k0xxxxxx", /values must be strings of at most 500/],
        [{ n: 1 }, "metadata.n", /values must be strings/],
        [{ o: { deep: "x" } }, "metadata.o", /values must be strings/],
        ["flat", "metadata", /must be an object/],
      ];
      for (const [metadata, param, detail] of cases) {
        const res = await authorize(metadata);
        const problem = await res.json();
        assert.equal(res.status, 400, JSON.stringify(problem));
        assert.equal(problem.param, param);
        assert.match(problem.detail, detail);
      }
      assert.equal(await countRows(h.db, "payment"), before);
    });
  } finally {
    await h.close();
  }
});

Deno.test("the list filters by orderId, creation time and amount", async () => {
  const h = await ingestHarness("ingest_list_filters");
  const ids: Record<string, string> = {};
  try {
    for (
      const [name, amount, orderId] of [["a", 100, "o-1"], ["b", 500, "o-2"], ["c", 900, "o-1"]]
    ) {
      const res = await h.call("POST", "/api/payments/authorize", {
        body: { amount, currency: "KRW", orderId },
        idempotencyKey: `filter-${name}`,
      });
      ids[(await res.json()).paymentId] = name as string;
    }
    const byName = Object.fromEntries(Object.entries(ids).map(([id, name]) => [name, id]));
    // Creation days of the three payments: Jan 1, 2 and 3, 2026 (UTC).
    for (const [name, day] of [["a", 1], ["b", 2], ["c", 3]] as const) {
      await fixtureWrite(
        h.db.pool,
        "UPDATE payment SET created_at = ? WHERE id = ?",
        new Date(Date.UTC(2026, 0, day, 12)),
        byName[name],
      );
    }
    const listed = async (query: string) => {
      const res = await h.call("GET", query ? `/api/payments?${query}` : "/api/payments");
      const page = await res.json();
      assert.equal(res.status, 200, JSON.stringify(page));
      return page.data.map((p: { paymentId: string }) => ids[p.paymentId]).join(",");
    };
    assert.equal(await listed(""), "c,b,a");
    assert.equal(await listed("orderId=o-1"), "c,a");
    assert.equal(await listed("createdFrom=2026-01-02"), "c,b");
    assert.equal(await listed("createdTo=2026-01-02T12:00:00%2B00:00"), "a");
    assert.equal(await listed("createdFrom=2026-01-02T09:00:00%2B09:00&createdTo=2026-01-03"), "b");
    assert.equal(await listed("amountMin=500"), "c,b");
    assert.equal(await listed("amountMax=500"), "b,a");
    assert.equal(await listed("amountMin=100&amountMax=100&orderId=o-1"), "a");
    assert.equal(await listed("orderId=o-2&amountMin=501"), "");
    assert.equal(await listed("status=AUTHORIZED&orderId=o-1&limit=1"), "c");
  } finally {
    await h.close();
  }
});
