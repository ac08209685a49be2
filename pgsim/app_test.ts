import assert from "node:assert/strict";
import { createMemorySimDb, type SimDb } from "@pay/lib/pg";
import { approvedAuthorization, authorizeBody, testConfig, testPgsim } from "./testing.ts";

Deno.test("/health answers ok and /ready checks the db", async () => {
  const pgsim = testPgsim();
  assert.equal((await pgsim.get("/health")).status, 200);
  assert.equal((await pgsim.get("/ready")).status, 200);

  const broken: SimDb = {
    ...createMemorySimDb(10),
    check() {
      throw new Error("database is locked");
    },
  };
  const unready = testPgsim({ db: broken });
  const response = await unready.get("/ready");
  assert.equal(response.status, 503);
  assert.match((await response.json()).detail, /database is locked/);
});

Deno.test("/metrics counts /v1 requests by operation and outcome and times them", async () => {
  const pgsim = testPgsim();
  const id = await approvedAuthorization(pgsim, "a-1");
  await approvedAuthorization(pgsim, "a-1");
  await pgsim.post("/v1/authorizations", "a-2", authorizeBody({ paymentMethod: "tok_decline" }));
  await pgsim.post(`/v1/authorizations/${id}/cancel`, "x-1", {});
  await pgsim.post(`/v1/authorizations/${id}/cancel`, "x-2", {});
  const text = await (await pgsim.get("/metrics")).text();
  const count = (labels: string) => {
    const match = new RegExp(`pgsim_requests_total\\{${labels},service="pgsim"\\} (\\d+)`).exec(
      text,
    );
    return match === null ? 0 : Number(match[1]);
  };
  assert.equal(count('operation="authorize",outcome="approved"'), 1);
  assert.equal(count('operation="authorize",outcome="replayed"'), 1);
  assert.equal(count('operation="authorize",outcome="declined"'), 1);
  assert.equal(count('operation="cancel",outcome="succeeded"'), 1);
  assert.equal(count('operation="cancel",outcome="rejected"'), 1);
  assert.match(
    text,
    /pgsim_request_duration_seconds_count\{service="pgsim",operation="authorize"\} 3/,
  );
});

Deno.test("closing the app releases a held tok_timeout answer without approving it", async () => {
  const pgsim = testPgsim({ config: testConfig({ timeoutTokenDelayMs: 60_000 }) });
  pgsim.close();
  const response = await pgsim.post(
    "/v1/authorizations",
    "k-held",
    authorizeBody({ paymentMethod: "tok_timeout" }),
  );
  assert.equal(response.status, 503);
  await response.body?.cancel();
  assert.deepEqual(pgsim.db.listOperations({ limit: 10 }), []);
});
