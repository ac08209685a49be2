import assert from "node:assert/strict";
import { approvedAuthorization, testPgsim } from "./testing.ts";

const day1NoonMs = Date.UTC(2030, 0, 15, 12);
const day1LastMs = Date.UTC(2030, 0, 15, 23, 59, 59, 999);
const day2StartMs = Date.UTC(2030, 0, 16);

Deno.test("the settlement report lists the captures and refunds of one UTC day", async () => {
  const pgsim = testPgsim();
  pgsim.clock.nowMs = day1NoonMs;
  const a = await approvedAuthorization(pgsim, "a-1", { reference: "pay_a" });
  const b = await approvedAuthorization(pgsim, "a-2", { reference: "pay_b" });
  const amount = (value: number, reference: string) => ({
    amount: value,
    currency: "KRW",
    reference,
  });
  await pgsim.post(`/v1/authorizations/${a}/capture`, "c-a", amount(10_000, "pay_a"));
  pgsim.clock.nowMs = day1LastMs;
  await pgsim.post(`/v1/authorizations/${a}/refund`, "r-a", amount(2_500, "pay_a"));
  pgsim.clock.nowMs = day2StartMs;
  await pgsim.post(`/v1/authorizations/${b}/capture`, "c-b", amount(7_000, "pay_b"));

  const day1 = await (await pgsim.get("/v1/settlements?date=2030-01-15")).json();
  assert.equal(day1.date, "2030-01-15");
  assert.equal(day1.captures.length, 1);
  const [capture] = day1.captures;
  assert.match(capture.pgId, /^cap_/);
  assert.deepEqual({ ...capture, pgId: "" }, {
    pgId: "",
    idempotencyKey: "c-a",
    authorizationId: a,
    reference: "pay_a",
    amount: 10_000,
    currency: "KRW",
    at: "2030-01-15T12:00:00.000Z",
  });
  assert.deepEqual(day1.refunds.map((r: { amount: number; at: string }) => [r.amount, r.at]), [
    [2_500, "2030-01-15T23:59:59.999Z"],
  ]);

  const day2 = await (await pgsim.get("/v1/settlements?date=2030-01-16")).json();
  assert.deepEqual(day2.captures.map((c: { reference: string }) => c.reference), ["pay_b"]);
  assert.deepEqual(day2.refunds, []);
  const empty = await (await pgsim.get("/v1/settlements?date=2030-01-14")).json();
  assert.deepEqual(empty, { date: "2030-01-14", captures: [], refunds: [], authorizations: [] });
});

Deno.test("the settlement report lists the day's approved authorizations with their status now", async () => {
  const pgsim = testPgsim();
  pgsim.clock.nowMs = day1NoonMs;
  const held = await approvedAuthorization(pgsim, "a-held", { reference: "az_held" });
  const voided = await approvedAuthorization(pgsim, "a-void", { reference: "az_void" });
  await pgsim.post("/v1/authorizations", "a-declined", {
    merchantId: "M123",
    amount: 10_000,
    currency: "KRW",
    paymentMethod: "tok_decline",
    reference: "az_declined",
  });
  pgsim.clock.nowMs = day2StartMs;
  const captured = await approvedAuthorization(pgsim, "a-next-day");
  await pgsim.post(`/v1/authorizations/${voided}/cancel`, "x-void", {});
  await pgsim.post(`/v1/authorizations/${captured}/capture`, "c-next", {
    amount: 10_000,
    currency: "KRW",
    reference: "pay_test",
  });

  const day1 = await (await pgsim.get("/v1/settlements?date=2030-01-15")).json();
  assert.deepEqual(
    day1.authorizations.map((a: Record<string, unknown>) => [
      a.pgId,
      a.authorizationId,
      a.idempotencyKey,
      a.reference,
      a.status,
      a.at,
    ]),
    [
      [held, held, "a-held", "az_held", "APPROVED", "2030-01-15T12:00:00.000Z"],
      [voided, voided, "a-void", "az_void", "CANCELLED", "2030-01-15T12:00:00.000Z"],
    ],
  );
  const day2 = await (await pgsim.get("/v1/settlements?date=2030-01-16")).json();
  assert.deepEqual(day2.authorizations.map((a: { status: string }) => a.status), ["CAPTURED"]);
});

Deno.test("a settlement date that is not a real YYYY-MM-DD is a 400", async () => {
  const pgsim = testPgsim();
  for (const date of ["", "2030-1-5", "2030-02-30", "2030-13-01", "yesterday"]) {
    const response = await pgsim.get(`/v1/settlements?date=${date}`);
    assert.equal(response.status, 400, date);
    assert.equal((await response.json()).param, "date");
  }
});
