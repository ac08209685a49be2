/**
 * One set of cases run against every StoreState adapter: what the shop's
 * pages rely on holds whichever backend the profile picks. Memory and SQLite:
 * state_contract_test.ts; Redis: redis_test.ts (it needs a Redis).
 */
import assert from "node:assert/strict";
import { emptySession, type Order, sessionUpdateAttemptsMax, type StoreState } from "./port.ts";

/** Sessions and values live this long in the cases. */
export const contractTtlMs = 60_000;

export interface StoreStateAdapter {
  readonly name: string;
  open(test: string): Promise<{ state: StoreState; close(): Promise<void> }>;
}

const order: Order = {
  orderId: "ord_0000000000aaaaaaaaaaaaaaaa",
  orderNumber: "19700101-00000000",
  sessionId: "s1",
  paymentId: "pay_x",
  attemptKey: "k",
  lines: [{
    slug: "galaxy-s25-ultra",
    colourId: "titanium-gray",
    quantity: 1,
    name: "Galaxy S25 Ultra",
    colourName: "Titanium Gray",
    unitPrice: 1_690_000,
  }],
  amount: 1_690_000,
  currency: "KRW",
  createdAt: new Date(0).toISOString(),
};

/** Registers the cases as tests of `adapter`. */
export function storeStateContract(adapter: StoreStateAdapter): void {
  Deno.test(`${adapter.name} store state: an unknown session is empty; an update is kept and returns its result`, async () => {
    const { state, close } = await adapter.open("update");
    try {
      assert.deepEqual(await state.readSession("nobody"), emptySession);
      const result = await state.updateSession("s1", (data) => ({
        data: { ...data, orderIds: ["o1"] },
        result: "done",
      }));
      assert.equal(result, "done");
      assert.deepEqual((await state.readSession("s1")).orderIds, ["o1"]);
      assert.deepEqual(await state.readSession("s2"), emptySession);
    } finally {
      await close();
    }
  });

  Deno.test(`${adapter.name} store state: concurrent updates of one session are all kept`, async () => {
    const { state, close } = await adapter.open("concurrent");
    try {
      const writers = sessionUpdateAttemptsMax;
      await Promise.all(
        Array.from({ length: writers }, (_, i) =>
          state.updateSession("s1", (data) => ({
            data: { ...data, orderIds: [...data.orderIds, `o${i}`] },
            result: undefined,
          }))),
      );
      const session = await state.readSession("s1");
      assert.equal(new Set(session.orderIds).size, writers);
    } finally {
      await close();
    }
  });

  Deno.test(`${adapter.name} store state: an update that throws changes nothing`, async () => {
    const { state, close } = await adapter.open("throws");
    try {
      await state.updateSession(
        "s1",
        (data) => ({ data: { ...data, orderIds: ["o1"] }, result: 1 }),
      );
      await assert.rejects(
        state.updateSession("s1", () => {
          throw new RangeError("Quantity out of range: 99");
        }),
        RangeError,
      );
      assert.deepEqual((await state.readSession("s1")).orderIds, ["o1"]);
    } finally {
      await close();
    }
  });

  Deno.test(`${adapter.name} store state: an order saved twice is found as saved; an unknown one is not`, async () => {
    const { state, close } = await adapter.open("orders");
    try {
      await state.saveOrder(order);
      await state.saveOrder(order);
      assert.deepEqual(await state.findOrder(order.orderId), order);
      assert.equal(await state.findOrder("ord_missing"), undefined);
      await state.ping();
    } finally {
      await close();
    }
  });

  Deno.test(`${adapter.name} store state: an order update is stored and returned; an unknown order stays unknown`, async () => {
    const { state, close } = await adapter.open("order-update");
    try {
      await state.saveOrder(order);
      const updated = await state.updateOrder(order.orderId, (o) => ({ ...o, email: "a@b.kr" }));
      assert.equal(updated?.email, "a@b.kr");
      assert.deepEqual(await state.findOrder(order.orderId), updated);
      const unchanged = await state.updateOrder(order.orderId, () => undefined);
      assert.deepEqual(unchanged, updated);
      let ran = false;
      const missing = await state.updateOrder("ord_missing", (o) => {
        ran = true;
        return o;
      });
      assert.equal(missing, undefined);
      assert.equal(ran, false);
      assert.equal(await state.findOrder("ord_missing"), undefined);
    } finally {
      await close();
    }
  });

  Deno.test(`${adapter.name} store state: an order update that raced another write is retried on the newer order`, async () => {
    const { state, close } = await adapter.open("order-race");
    try {
      await state.saveOrder(order);
      const payment = (capturedAmount: number, refundedAmount: number) => ({
        status: "CAPTURED" as const,
        capturedAmount,
        refundedAmount,
        asOf: new Date(0).toISOString(),
        eventId: "evt",
      });
      let rival: Promise<unknown> | undefined;
      // The first run of the change starts a rival write of the same order before its own lands:
      // a blind write would drop one of the two; compare-and-set keeps both.
      await state.updateOrder(order.orderId, (o) => {
        rival ??= state.updateOrder(order.orderId, (r) => ({
          ...r,
          payment: payment(r.payment?.capturedAmount ?? 0, 7),
        }));
        return { ...o, payment: payment(5, o.payment?.refundedAmount ?? 0) };
      });
      await rival;
      const stored = await state.findOrder(order.orderId);
      assert.equal(stored?.payment?.capturedAmount, 5);
      assert.equal(stored?.payment?.refundedAmount, 7);
    } finally {
      await close();
    }
  });

  Deno.test(`${adapter.name} store state: a named value is kept, overwritten, and absent when unknown`, async () => {
    const { state, close } = await adapter.open("values");
    try {
      assert.equal(await state.readValue("webhook-seen:msg_1"), undefined);
      await state.writeValue("webhook-seen:msg_1", "1", contractTtlMs);
      await state.writeValue("webhook-secret", "whsec_a", contractTtlMs);
      await state.writeValue("webhook-secret", "whsec_b", contractTtlMs);
      assert.equal(await state.readValue("webhook-seen:msg_1"), "1");
      assert.equal(await state.readValue("webhook-secret"), "whsec_b");
    } finally {
      await close();
    }
  });
}
