import assert from "node:assert/strict";
import { approvedAuthorization, testConfig, testPgsim } from "../testing.ts";

Deno.test("GET /admin/faults shows the start-up faults; POST changes only the given ones", async () => {
  const pgsim = testPgsim({ config: testConfig({ faults: { failureRate: 0.1 } }) });
  assert.deepEqual(await (await pgsim.get("/admin/faults")).json(), {
    latencyMsMin: 0,
    latencyMsMax: 0,
    failureRate: 0.1,
    declineRate: 0,
    outage: false,
  });
  const updated = await pgsim.post("/admin/faults", undefined, {
    declineRate: 0.5,
    latencyMsMax: 9,
  });
  assert.equal(updated.status, 200);
  assert.deepEqual(await (await pgsim.get("/admin/faults")).json(), {
    latencyMsMin: 0,
    latencyMsMax: 9,
    failureRate: 0.1,
    declineRate: 0.5,
    outage: false,
  });
});

Deno.test("invalid fault updates are 400 problems and change nothing", async () => {
  const pgsim = testPgsim();
  const before = await (await pgsim.get("/admin/faults")).json();
  const cases: [unknown, string][] = [
    [{ failureRate: 2 }, "failureRate"],
    [{ declineRate: "half" }, "declineRate"],
    [{ latencyMsMin: 20, latencyMsMax: 10 }, "latencyMsMin"],
    [{ latencyMsMax: 1_000_000 }, "latencyMsMax"],
    [{ outage: "yes" }, "outage"],
  ];
  for (const [patch, param] of cases) {
    const response = await pgsim.post("/admin/faults", undefined, patch);
    assert.equal(response.status, 400, JSON.stringify(patch));
    assert.equal((await response.json()).param, param);
  }
  const unknown = await pgsim.post("/admin/faults", undefined, { chaos: true });
  assert.equal(unknown.status, 400);
  await unknown.body?.cancel();
  assert.deepEqual(await (await pgsim.get("/admin/faults")).json(), before);
});

Deno.test("with PGSIM_ADMIN_TOKEN set, /admin needs that bearer token and /v1 does not", async () => {
  const token = "admin-token-0123456789";
  const pgsim = testPgsim({ config: testConfig({ adminToken: token }) });
  const refused: Record<string, string>[] = [
    {},
    { authorization: "Bearer wrong" },
    { authorization: token },
  ];
  for (const headers of refused) {
    const response = await pgsim.get("/admin/faults", headers);
    assert.equal(response.status, 401);
    assert.equal((await response.json()).code, "unauthorized");
  }
  const allowed = await pgsim.get("/admin/faults", { authorization: `Bearer ${token}` });
  assert.equal(allowed.status, 200);
  await allowed.body?.cancel();
  await approvedAuthorization(pgsim, "a-1");
});

Deno.test("reset forgets every record, restores the start-up faults and restarts the PRNG", async () => {
  const pgsim = testPgsim({ seed: 5 });
  const firstDraw = pgsim.prng.next();
  await approvedAuthorization(pgsim, "a-1");
  await pgsim.post("/admin/faults", undefined, { outage: true });
  const response = await pgsim.post("/admin/reset", undefined, "");
  assert.equal(response.status, 200);
  assert.equal((await response.json()).seed, 5);
  assert.equal(pgsim.prng.next(), firstDraw);
  assert.equal((await (await pgsim.get("/admin/faults")).json()).outage, false);
  assert.deepEqual(pgsim.db.listOperations({ limit: 10 }), []);
  await approvedAuthorization(pgsim, "a-1");

  const reseeded = await pgsim.post("/admin/reset", undefined, { seed: 6 });
  assert.equal((await reseeded.json()).seed, 6);
});

Deno.test("operations are listed by reference and type, so a test can count captures", async () => {
  const pgsim = testPgsim();
  const id = await approvedAuthorization(pgsim, "a-1", { reference: "pay_a" });
  await approvedAuthorization(pgsim, "a-2", { reference: "pay_b" });
  const capture = { amount: 10_000, currency: "KRW", reference: "pay_a" };
  await pgsim.post(`/v1/authorizations/${id}/capture`, "c-1", capture);
  await pgsim.post(`/v1/authorizations/${id}/capture`, "c-1", capture);
  await pgsim.post(`/v1/authorizations/${id}/capture`, "c-2", capture);

  const listed = await (await pgsim.get("/admin/operations?reference=pay_a&type=capture")).json();
  assert.equal(listed.operations.length, 1);
  const [operation] = listed.operations;
  assert.equal(operation.type, "capture");
  assert.equal(operation.idempotencyKey, "c-1");
  assert.equal(operation.authorizationId, id);
  assert.equal(operation.at, "2030-01-15T12:00:00.000Z");
  const all = await (await pgsim.get("/admin/operations?reference=pay_a")).json();
  assert.deepEqual(all.operations.map((o: { type: string }) => o.type), ["authorize", "capture"]);
  const limited = await (await pgsim.get("/admin/operations?limit=1")).json();
  assert.equal(limited.operations.length, 1);
  const bad = await pgsim.get("/admin/operations?type=void");
  assert.equal(bad.status, 400);
  assert.equal((await bad.json()).param, "type");
});
