/**
 * Ingest called directly has its own admission control: a flood far above
 * its limit is refused with 503 + Retry-After before the signature check,
 * idempotency or any database work, and the admitted requests succeed.
 */
import assert from "node:assert/strict";
import { countRows, ingestHarness } from "./testing/harness.ts";

Deno.test("a flood far above ingest's limit: the excess gets 503 + Retry-After and writes nothing", async () => {
  const limit = 2;
  const h = await ingestHarness("ingest_admission", {
    env: {
      INGEST_ADMISSION_LIMIT_INITIAL: String(limit),
      INGEST_ADMISSION_LIMIT_MIN: String(limit),
      INGEST_ADMISSION_LIMIT_MAX: String(limit),
      INGEST_ADMISSION_QUEUE_SIZE_MAX: "0",
    },
  });
  try {
    const flood = 60;
    const answers = await Promise.all(
      Array.from({ length: flood }, (_, i) =>
        h.call("POST", "/api/payments/authorize", {
          merchantId: "M1",
          idempotencyKey: `ingest-flood-${i}`,
          body: { amount: 1000, currency: "KRW" },
        })),
    );
    const statuses = answers.map((r) => r.status);
    assert.equal(statuses.filter((s) => s === 201).length, limit, statuses.join(" "));
    assert.equal(statuses.filter((s) => s === 503).length, flood - limit);
    for (const res of answers) {
      const body = await res.json();
      if (res.status !== 503) continue;
      assert.equal(body.code, "overloaded");
      assert.equal(res.headers.get("retry-after"), "1");
    }
    assert.equal(await countRows(h.db, "payment"), limit);
    assert.equal(await countRows(h.db, "idempotency_record"), limit);
    const shed = await h.registry.getSingleMetric("ingest_admission_shed_total")!.get();
    assert.equal(shed.values.reduce((sum, v) => sum + v.value, 0), flood - limit);
  } finally {
    await h.close();
  }
});
