/** Faults at the gateway on any storage (MariaDB's: faults_mariadb_test.ts; Redis's: faults_redis_test.ts). */
import assert from "node:assert/strict";
import { problem, problemResponse } from "@pay/lib/http";
import { freePort } from "@pay/lib/testing";
import { authHeaders, startTestGateway, testSecret } from "./testing/harness.ts";
import { serveStubUpstream } from "./testing/stub_upstream.ts";
import { assertUnavailable } from "./testing/unavailable.ts";

Deno.test("an ingest 503 passes through the gateway with its Retry-After and body", async () => {
  const unavailable = problem("service_unavailable", "A dependency is down");
  const upstream = serveStubUpstream({
    secret: testSecret,
    respond: () => problemResponse(unavailable, { "Retry-After": "7" }),
  });
  const gw = await startTestGateway("fault_passthrough", {
    upstreams: { kind: "static", urls: [upstream.url] },
  });
  try {
    const res = await gw.request("/api/payments/capture/pay_x", {
      method: "POST",
      headers: authHeaders(gw.keys.M1, { "idempotency-key": "k" }),
      body: "{}",
    });
    assert.equal(res.status, 503);
    assert.equal(res.headers.get("retry-after"), "7");
    assert.deepEqual(await res.json(), unavailable);
    assert.equal(upstream.received.length, 1, "a 503 answer is not an upstream failure");
  } finally {
    await gw.close();
    await upstream.close();
  }
});

Deno.test("no reachable ingest is 503 with Retry-After and names no upstream address", async () => {
  const gw = await startTestGateway("fault_no_upstream", {
    upstreams: { kind: "static", urls: [`http://127.0.0.1:${freePort()}`] },
  });
  try {
    const res = await gw.request("/api/payments", {
      headers: authHeaders(gw.keys.M1, { "x-request-id": "req-no-upstream" }),
    });
    await assertUnavailable(res, "upstream_unavailable");
    assert.match(gw.logs.join("\n"), /req-no-upstream.*127\.0\.0\.1/);
  } finally {
    await gw.close();
  }
});
