import assert from "node:assert/strict";
import { emptySession, orderRetentionMs } from "./port.ts";
import { createSqliteState } from "./sqlite.ts";

const ttlMs = 60_000;

Deno.test("a cart in the sqlite state survives a restart of the store", async () => {
  const dataDir = await Deno.makeTempDir({ prefix: "store_state_" });
  try {
    const before = createSqliteState(dataDir, ttlMs);
    await before.updateSession("s1", (data) => ({
      data: { ...data, cart: { version: 1, lines: [{ slug: "p", colourId: "c", quantity: 2 }] } },
      result: undefined,
    }));
    await before.close();
    const after = createSqliteState(dataDir, ttlMs);
    assert.deepEqual((await after.readSession("s1")).cart.lines, [
      { slug: "p", colourId: "c", quantity: 2 },
    ]);
    await after.close();
  } finally {
    await Deno.remove(dataDir, { recursive: true });
  }
});

Deno.test("sqlite sessions expire after their idle time, orders after the retention", async () => {
  const dataDir = await Deno.makeTempDir({ prefix: "store_state_" });
  let nowMs = 1_000_000;
  const state = createSqliteState(dataDir, ttlMs, () => nowMs);
  try {
    await state.updateSession("s1", (data) => ({ data: { ...data, orderIds: ["o1"] }, result: 0 }));
    await state.saveOrder({
      orderId: "ord_1",
      sessionId: "s1",
      paymentId: "pay_1",
      attemptKey: "k",
      lines: [],
      amount: 1,
      currency: "KRW",
      createdAt: new Date(nowMs).toISOString(),
    });
    nowMs += ttlMs - 1;
    assert.deepEqual((await state.readSession("s1")).orderIds, ["o1"]);
    nowMs += 1;
    assert.deepEqual(await state.readSession("s1"), emptySession);
    assert.ok(await state.findOrder("ord_1"));
    nowMs += orderRetentionMs;
    assert.equal(await state.findOrder("ord_1"), undefined);
  } finally {
    await state.close();
    await Deno.remove(dataDir, { recursive: true });
  }
});
