import assert from "node:assert/strict";
import { createPool } from "@pay/lib/db";
import { problem, problemResponse } from "@pay/lib/http";
import { freePort } from "@pay/lib/testing";
import { authHeaders, startTestGateway, testSecret } from "./testing/harness.ts";
import { serveStubUpstream } from "./testing/stub_upstream.ts";

/** Driver and socket text that must never reach a client: hosts, ports, users, error codes. */
const internals = /127\.0\.0\.1|localhost|:\d{4,5}\b|root|Access denied|ECONN|ER_|errno|Error:/i;

async function assertUnavailable(res: Response, code: string): Promise<string> {
  const text = await res.text();
  assert.equal(res.status, 503, text);
  assert.equal(res.headers.get("content-type"), "application/problem+json");
  assert.ok(Number(res.headers.get("retry-after")) >= 1, "Retry-After");
  assert.equal(JSON.parse(text).code, code);
  assert.doesNotMatch(text, internals);
  return text;
}

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

Deno.test("the API key store down is 503 with Retry-After; the driver text goes only to the log", async () => {
  const upstream = serveStubUpstream({ secret: testSecret });
  const gw = await startTestGateway("fault_keystore", {
    upstreams: { kind: "static", urls: [upstream.url] },
    apiKeyCacheTtlMs: 0,
  });
  const wrongPassword = createPool({ ...gw.db.config, password: "not-the-password" });
  const refused = createPool({ ...gw.db.config, port: freePort() });
  try {
    for (const [name, db] of [["wrong password", wrongPassword], ["refused", refused]] as const) {
      const broken = await startTestGateway(`fault_keystore_${name.replace(" ", "_")}`, {
        upstreams: { kind: "static", urls: [upstream.url] },
        apiKeyCacheTtlMs: 0,
      }, { db });
      try {
        const res = await broken.request("/api/payments", {
          headers: authHeaders(gw.keys.M1, { "x-request-id": `req-${name.replace(" ", "-")}` }),
        });
        await assertUnavailable(res, "service_unavailable");
        const logged = broken.logs.join("\n");
        assert.match(logged, new RegExp(`req-${name.replace(" ", "-")}`), name);
        assert.match(logged, name === "refused" ? /ECONNREFUSED/ : /Access denied/, name);
      } finally {
        await broken.close();
      }
    }
    assert.equal(upstream.received.length, 0);
  } finally {
    await wrongPassword.close();
    await refused.close();
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

Deno.test("Redis down at the gateway: rate limiting fails open, requests are served", async () => {
  const upstream = serveStubUpstream({ secret: testSecret });
  const gw = await startTestGateway("fault_redis", {
    upstreams: { kind: "static", urls: [upstream.url] },
    rateLimitEnabled: true,
  });
  try {
    gw.redis.redis.disconnect();
    const res = await gw.request("/api/payments", { headers: authHeaders(gw.keys.M1) });
    assert.equal(res.status, 200);
    await res.body?.cancel();
    assert.equal(upstream.received.length, 1);
  } finally {
    gw.gateway.close();
    await gw.db.close();
    await upstream.close();
  }
});
