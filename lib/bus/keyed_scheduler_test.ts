import assert from "node:assert/strict";
import { KeyedScheduler } from "./keyed_scheduler.ts";

Deno.test("tasks of one key run one at a time in order while keys run in parallel", async () => {
  const scheduler = new KeyedScheduler(3);
  const active = new Map<string, number>();
  const seen = new Map<string, number[]>();
  let parallelMax = 0;
  let running = 0;
  for (let i = 0; i < 60; i++) {
    const key = `k${i % 5}`;
    scheduler.push(key, async () => {
      assert.equal(active.get(key) ?? 0, 0, `two tasks of ${key} overlapped`);
      active.set(key, 1);
      running++;
      parallelMax = Math.max(parallelMax, running);
      await new Promise((r) => setTimeout(r, i % 3));
      seen.set(key, [...(seen.get(key) ?? []), i]);
      running--;
      active.set(key, 0);
    });
  }
  await scheduler.drain();
  assert.equal(scheduler.size, 0);
  assert.equal(parallelMax, 3);
  for (const [key, order] of seen) {
    assert.deepEqual(order, [...order].sort((a, b) => a - b), key);
    assert.equal(order.length, 12);
  }
});

Deno.test("a throwing task does not stall its key", async () => {
  const scheduler = new KeyedScheduler(1);
  const ran: string[] = [];
  scheduler.push("k", () => Promise.reject(new Error("boom")));
  scheduler.push("k", () => {
    ran.push("second");
    return Promise.resolve();
  });
  await scheduler.drain();
  assert.deepEqual(ran, ["second"]);
});

Deno.test("whenBelow resolves as tasks finish", async () => {
  const scheduler = new KeyedScheduler(2);
  const gates: Array<() => void> = [];
  for (let i = 0; i < 4; i++) {
    scheduler.push(`k${i}`, () => new Promise<void>((resolve) => gates.push(resolve)));
  }
  let below = false;
  const waiting = scheduler.whenBelow(4).then(() => below = true);
  await Promise.resolve();
  assert.equal(below, false);
  gates.shift()!();
  await waiting;
  assert.equal(scheduler.size, 3);
  while (scheduler.size > 0) {
    gates.shift()?.();
    await new Promise((r) => setTimeout(r, 0));
  }
  await scheduler.drain();
});
