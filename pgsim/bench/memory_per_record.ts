/**
 * What one payment costs pgsim in memory: authorize, capture and refund of
 * `payments` payments through the engine into the memory db, then the heap
 * growth per payment. The README's cap figure (PGSIM_RECORDS_MAX) comes from
 * here.
 *
 *   deno run --v8-flags=--expose-gc pgsim/bench/memory_per_record.ts [payments=100000]
 */
import { createMemorySimDb, processSimRequest, type SimContext } from "@pay/lib/pg";
import { sortableId } from "@pay/lib/domain";

const payments = Number(Deno.args[0] ?? 100_000);
const gc = (globalThis as { gc?: () => void }).gc;
if (gc === undefined) throw new Error("Run with --v8-flags=--expose-gc");

// Room for every record: three operations and three idempotency records per payment.
const db = createMemorySimDb(3 * payments);
const ctx: SimContext = {
  nowMs: Date.now(),
  newId: (prefix) => prefix + sortableId(),
  randomDecline: () => false,
};
gc();
const heapBefore = Deno.memoryUsage().heapUsed;
for (let i = 0; i < payments; i++) {
  const reference = `pay_${sortableId()}`;
  const authorized = processSimRequest(db, {
    type: "authorize",
    idempotencyKey: `M123:${sortableId()}`,
    body: {
      merchantId: "M123",
      amount: 10_000,
      currency: "KRW",
      paymentMethod: "tok_visa",
      reference,
    },
  }, ctx);
  const authorizationId = JSON.parse(authorized.body).id;
  const body = { amount: 10_000, currency: "KRW", reference };
  processSimRequest(db, {
    type: "capture",
    idempotencyKey: `cap_${sortableId()}`,
    authorizationId,
    body,
  }, ctx);
  processSimRequest(db, {
    type: "refund",
    idempotencyKey: `ref_${sortableId()}`,
    authorizationId,
    body,
  }, ctx);
}
gc();
const bytesPerPayment = (Deno.memoryUsage().heapUsed - heapBefore) / payments;
const kept = db.listOperations({ limit: 3 * payments }).length;
if (kept !== 3 * payments) throw new Error(`Expected ${3 * payments} operations, kept ${kept}`);
console.log(
  `${payments} payments (authorize + capture + refund: 3 operations, 3 idempotency records, ` +
    `1 authorization each): ${bytesPerPayment.toFixed(0)} heap bytes per payment`,
);
