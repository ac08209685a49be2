import assert from "node:assert/strict";
import { approvedAuthorization, authorizeBody, type TestPgsim, testPgsim } from "./testing.ts";

async function setFaults(pgsim: TestPgsim, faults: Record<string, unknown>): Promise<void> {
  const response = await pgsim.post("/admin/faults", undefined, faults);
  assert.equal(response.status, 200, await response.clone().text());
  await response.body?.cancel();
}

async function faultyRun(seed: number): Promise<{ statuses: number[]; sleeps: number[] }> {
  const pgsim = testPgsim({ seed });
  await setFaults(pgsim, { failureRate: 0.3, declineRate: 0.3, latencyMsMin: 5, latencyMsMax: 50 });
  const statuses: number[] = [];
  for (let i = 0; i < 40; i++) {
    const response = await pgsim.post("/v1/authorizations", `k-${i}`, authorizeBody());
    statuses.push(response.status);
    await response.body?.cancel();
  }
  return { statuses, sleeps: pgsim.clock.sleeps };
}

Deno.test("the same seed gives the same latencies, failures and declines", async () => {
  const first = await faultyRun(42);
  const again = await faultyRun(42);
  assert.deepEqual(again, first);
  for (const status of [200, 402, 503]) assert.ok(first.statuses.includes(status), `${status}`);
  const other = await faultyRun(43);
  assert.notDeepEqual(other.statuses, first.statuses);
});

Deno.test("latency is drawn within [latencyMsMin, latencyMsMax], both ends included", async () => {
  const pgsim = testPgsim();
  await setFaults(pgsim, { latencyMsMin: 5, latencyMsMax: 15 });
  for (let i = 0; i < 300; i++) await (await pgsim.get("/v1/settlements?date=2030-01-15")).text();
  assert.equal(pgsim.clock.sleeps.length, 300);
  assert.equal(Math.min(...pgsim.clock.sleeps), 5);
  assert.equal(Math.max(...pgsim.clock.sleeps), 15);
});

Deno.test("an injected failure answers 503 without doing anything, so a retry can succeed", async () => {
  const pgsim = testPgsim();
  const id = await approvedAuthorization(pgsim, "a-1");
  await setFaults(pgsim, { failureRate: 1 });
  const capture = { amount: 10_000, currency: "KRW", reference: "pay_test" };
  const failed = await pgsim.post(`/v1/authorizations/${id}/capture`, "c-1", capture);
  assert.equal(failed.status, 503);
  assert.equal((await failed.json()).code, "service_unavailable");
  assert.equal(pgsim.db.listOperations({ types: ["capture"], limit: 10 }).length, 0);

  await setFaults(pgsim, { failureRate: 0 });
  const retried = await pgsim.post(`/v1/authorizations/${id}/capture`, "c-1", capture);
  assert.equal(retried.status, 200);
  assert.equal(retried.headers.get("idempotent-replayed"), null);
});

Deno.test("declineRate declines approving cards only, as card_declined", async () => {
  const pgsim = testPgsim();
  await setFaults(pgsim, { declineRate: 1 });
  const visa = await pgsim.post("/v1/authorizations", "k-1", authorizeBody());
  assert.equal(visa.status, 402);
  assert.equal((await visa.json()).code, "card_declined");
  const poor = await pgsim.post(
    "/v1/authorizations",
    "k-2",
    authorizeBody({ paymentMethod: "tok_insufficient_funds" }),
  );
  assert.equal((await poor.json()).code, "insufficient_funds");
});

Deno.test("an outage answers every /v1 call 503 at once, until it is lifted", async () => {
  const pgsim = testPgsim();
  const id = await approvedAuthorization(pgsim, "a-1");
  await setFaults(pgsim, { outage: true, latencyMsMin: 100, latencyMsMax: 200 });
  const calls = [
    pgsim.post("/v1/authorizations", "a-2", authorizeBody()),
    pgsim.post(`/v1/authorizations/${id}/cancel`, "x-1", {}),
    pgsim.get("/v1/settlements?date=2030-01-15"),
  ];
  for (const response of await Promise.all(calls)) {
    assert.equal(response.status, 503);
    assert.equal((await response.json()).code, "service_unavailable");
  }
  assert.deepEqual(pgsim.clock.sleeps, []);
  assert.equal(pgsim.db.listOperations({ limit: 10 }).length, 1);

  await setFaults(pgsim, { outage: false, latencyMsMin: 0, latencyMsMax: 0 });
  const cancel = await pgsim.post(`/v1/authorizations/${id}/cancel`, "x-1", {});
  assert.equal(cancel.status, 200);
});
