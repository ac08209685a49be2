import assert from "node:assert/strict";
import { devApiKeyDefault, formerDevApiKeyDefault } from "@pay/lib/config";
import { createApiKey, ensureDevMerchant, revokeApiKey } from "@pay/lib/db";
import { problemCatalog } from "@pay/lib/http";
import { authHeaders, startTestGateway } from "./testing/harness.ts";
import { serveStubUpstream } from "./testing/stub_upstream.ts";
import { testSecret } from "./testing/harness.ts";

const authorizeBody = (merchantId: string, key = crypto.randomUUID()) =>
  JSON.stringify({ merchantId, amount: 10000, currency: "KRW", idempotencyKey: key });

Deno.test("the gateway authenticates, checks and forwards payment requests", async (t) => {
  const upstream = serveStubUpstream({ secret: testSecret });
  const gw = await startTestGateway("app", {
    upstreams: { kind: "static", urls: [upstream.url] },
    apiKeyCacheTtlMs: 0,
    bodySizeBytesMax: 1024,
  });
  try {
    await t.step("a missing key is 401 with a Bearer challenge", async () => {
      const res = await gw.request("/api/payments/pay_x");
      assert.equal(res.status, 401);
      assert.equal(res.headers.get("content-type"), "application/problem+json");
      assert.equal(res.headers.get("www-authenticate"), 'Bearer realm="payments"');
      assert.equal((await res.json()).code, "unauthorized");
    });

    await t.step("malformed, unknown, wrong-secret and revoked keys are 401", async () => {
      const [, env, keyId] = gw.keys.M1.split("_");
      const cases = [
        "Basic abc",
        "Bearer not-a-key",
        `Bearer pk_${env}_unknownkeyid00000_${"a".repeat(32)}`,
        `Bearer pk_${env}_${keyId}_${"b".repeat(32)}`,
      ];
      for (const authorization of cases) {
        const res = await gw.request("/api/payments", { headers: { authorization } });
        assert.equal(res.status, 401, authorization);
        assert.match(res.headers.get("www-authenticate") ?? "", /error="invalid_token"/);
        assert.equal((await res.json()).code, "unauthorized");
      }
      assert.equal(upstream.received.length, 0);
    });

    await t.step("a valid key forwards the exact body, signed, with the merchant id", async () => {
      const body = `{"merchantId":"M1",  "amount":10000,"currency":"KRW","idempotencyKey":"k-1"}`;
      const res = await gw.request("/api/payments/authorize?x=1", {
        method: "POST",
        headers: authHeaders(gw.keys.M1, {
          "idempotency-key": "k-1",
          "x-request-id": "req-abc.123",
          "x-pay-merchant": "M2",
          accept: "application/json",
        }),
        body,
      });
      assert.equal(res.status, 201);
      assert.equal(res.headers.get("x-request-id"), "req-abc.123");
      const seen = upstream.received.at(-1)!;
      assert.equal(seen.merchantId, "M1");
      assert.equal(seen.body, body);
      assert.equal(seen.pathWithQuery, "/api/payments/authorize?x=1");
      assert.equal(seen.headers["idempotency-key"], "k-1");
      assert.equal(seen.headers["x-request-id"], "req-abc.123");
      assert.equal(seen.headers["accept"], "application/json");
      assert.equal(seen.headers["authorization"], undefined);
    });

    await t.step("a body merchantId of another merchant is 403 and not forwarded", async () => {
      const before = upstream.received.length;
      const res = await gw.request("/api/payments/authorize", {
        method: "POST",
        headers: authHeaders(gw.keys.M1),
        body: authorizeBody("M2"),
      });
      assert.equal(res.status, 403);
      assert.equal((await res.json()).code, "forbidden");
      assert.equal(upstream.received.length, before);
    });

    await t.step("a body over the limit is 413, by length or by counting", async () => {
      const big = JSON.stringify({ merchantId: "M1", pad: "x".repeat(2000) });
      const res = await gw.request("/api/payments/authorize", {
        method: "POST",
        headers: authHeaders(gw.keys.M1),
        body: big,
      });
      assert.equal(res.status, 413);
      assert.equal((await res.json()).code, "payload_too_large");
      const chunked = new ReadableStream<Uint8Array>({
        start(controller) {
          controller.enqueue(new TextEncoder().encode(big));
          controller.close();
        },
      });
      const res2 = await gw.request("/api/payments/authorize", {
        method: "POST",
        headers: authHeaders(gw.keys.M1),
        body: chunked,
      });
      assert.equal(res2.status, 413);
      await res2.body?.cancel();
    });

    await t.step("an invalid X-Request-Id is replaced by a generated one", async () => {
      const res = await gw.request("/api/payments/pay_1", {
        headers: authHeaders(gw.keys.M1, { "x-request-id": "bad id with spaces" }),
      });
      assert.equal(res.status, 200);
      const id = res.headers.get("x-request-id")!;
      assert.match(id, /^[0-9a-f-]{36}$/);
      assert.equal(upstream.received.at(-1)!.headers["x-request-id"], id);
    });

    await t.step("unknown routes are 404 and wrong methods 405, as problem+json", async () => {
      const res = await gw.request("/nope");
      assert.equal(res.status, 404);
      assert.equal((await res.json()).code, "not_found");
      const res2 = await gw.request("/api/payments/authorize", {
        headers: authHeaders(gw.keys.M1),
      });
      assert.equal(res2.status, 405);
      assert.equal(res2.headers.get("allow"), "POST");
      await res2.body?.cancel();
    });

    await t.step("a revoked key is refused once the cache no longer holds it", async () => {
      assert.ok(await revokeApiKey(gw.db.pool, gw.keyIds.M2));
      const res = await gw.request("/api/payments", { headers: authHeaders(gw.keys.M2) });
      assert.equal(res.status, 401);
      assert.match((await res.json()).detail, /revoked/);
    });

    await t.step("health, readiness, metrics, OpenAPI and docs are served", async () => {
      assert.equal((await gw.request("/health")).status, 200);
      const ready = await gw.request("/ready");
      assert.equal(ready.status, 200);
      // Embedded: no Redis to ask (faults_redis_test.ts: the scale-out profile's check).
      assert.deepEqual((await ready.json()).checks, { upstream: true });
      const metrics = await (await gw.request("/metrics")).text();
      assert.match(
        metrics,
        /gateway_requests_total\{route="\/api\/payments\/authorize",method="POST",status="201"/,
      );
      assert.match(
        metrics,
        /gateway_request_duration_seconds_bucket\{le="0.5",service="gateway",route="\/api\/payments\/authorize"/,
      );
      assert.match(
        metrics,
        /gateway_upstream_healthy\{upstream="http:\/\/127.0.0.1:\d+",service="gateway"\} 1/,
      );
      assert.equal((await (await gw.request("/api/openapi.json")).json()).info.title, "Test API");
      const docsRes = await gw.request("/api/docs");
      assert.match(docsRes.headers.get("content-security-policy") ?? "", /script-src 'self';/);
      const docs = await docsRes.text();
      assert.match(docs, /<title>Test API<\/title>/);
      assert.match(docs, /<redoc spec-url="\/api\/openapi.json"/);
      // Scripts only from the gateway itself: no CDN, no other host.
      const scripts = [...docs.matchAll(/<script[^>]*>/g)].map(([tag]) => tag);
      assert.deepEqual(scripts, ['<script src="/api/docs/redoc.standalone.js">']);
      assert.doesNotMatch(docs, /https?:\/\//);
      const bundle = await gw.request("/api/docs/redoc.standalone.js");
      assert.equal(bundle.status, 200);
      assert.match(bundle.headers.get("content-type") ?? "", /javascript/);
      assert.ok((await bundle.arrayBuffer()).byteLength > 100_000);
    });
  } finally {
    await gw.close();
    await upstream.close();
  }
});

Deno.test("the gateway passes on an answer without a body, such as a deleted webhook endpoint's 204", async () => {
  const upstream = serveStubUpstream({
    secret: testSecret,
    respond: (request) =>
      request.method === "DELETE" ? new Response(null, { status: 204 }) : undefined,
  });
  const gw = await startTestGateway("app_no_body", {
    upstreams: { kind: "static", urls: [upstream.url] },
  });
  try {
    const res = await gw.request("/api/webhook-endpoints/we_1", {
      method: "DELETE",
      headers: authHeaders(gw.keys.M1),
    });
    assert.equal(res.status, 204);
    assert.equal(res.body, null);
    assert.equal(upstream.received.at(-1)?.pathWithQuery, "/api/webhook-endpoints/we_1");
  } finally {
    await gw.close();
    await upstream.close();
  }
});

Deno.test("API keys: secret keys carry their mode, former pk_ keys are deprecated, publishable keys are 403", async (t) => {
  const upstream = serveStubUpstream({ secret: testSecret });
  const gw = await startTestGateway("keys", {
    upstreams: { kind: "static", urls: [upstream.url] },
    apiKeyCacheTtlMs: 0,
  });
  const get = (apiKey: string) => gw.request("/api/payments", { headers: authHeaders(apiKey) });
  try {
    await t.step("an sk_test_ key and an sk_live_ key sign their own mode to ingest", async () => {
      const live = await createApiKey(gw.db.pool, { merchantId: "M1", env: "live" });
      for (const [apiKey, mode] of [[gw.keys.M1, "test"], [live.apiKey, "live"]]) {
        const res = await get(apiKey!);
        assert.equal(res.status, 200);
        await res.body?.cancel();
        assert.equal(upstream.received.at(-1)!.mode, mode);
      }
    });

    await t.step("the dev keys, new and former, both work; the former is logged once", async () => {
      await ensureDevMerchant(gw.db.pool, {
        merchantId: "M1",
        name: "Merchant one",
        apiKey: devApiKeyDefault,
        formerApiKeys: [formerDevApiKeyDefault],
      });
      for (const apiKey of [devApiKeyDefault, formerDevApiKeyDefault, formerDevApiKeyDefault]) {
        const res = await get(apiKey);
        assert.equal(res.status, 200, apiKey);
        await res.body?.cancel();
        assert.equal(upstream.received.at(-1)!.mode, "test");
      }
      const warnings = gw.logs.filter((line) => line.includes("Deprecated API key"));
      assert.equal(warnings.length, 1, warnings.join("\n"));
      assert.equal(JSON.parse(warnings[0]!).keyId, "devm123key0000000");
    });

    await t.step(
      "a publishable key is 403 publishable_key, without a challenge, not forwarded",
      async () => {
        const before = upstream.received.length;
        for (const env of ["test", "live"]) {
          const key = await createApiKey(gw.db.pool, {
            merchantId: "M1",
            env,
            kind: "publishable",
          });
          const res = await gw.request("/api/payments/authorize", {
            method: "POST",
            headers: authHeaders(key.apiKey, { "idempotency-key": `pk-${env}` }),
            body: authorizeBody("M1"),
          });
          assert.equal(res.status, 403);
          assert.equal(res.headers.get("www-authenticate"), null);
          const body = await res.json();
          assert.equal(body.code, "publishable_key");
          assert.equal(body.type, "/api/docs/problems#publishable_key");
          assert.match(body.detail, new RegExp(`sk_${env}_`));
        }
        assert.equal(upstream.received.length, before);
      },
    );

    await t.step(
      "every problem type resolves to an anchor of the served problems page",
      async () => {
        const res = await gw.request("/api/docs/problems");
        assert.equal(res.status, 200);
        assert.match(res.headers.get("content-type") ?? "", /text\/html/);
        const page = await res.text();
        assert.doesNotMatch(page, /<script|https?:\/\//);
        for (const { code, status } of problemCatalog) {
          assert.match(page, new RegExp(`<section id="${code}">.*${status}`), code);
        }
        const refused = await (await gw.request("/api/payments/pay_1")).json();
        const resolved = new URL(refused.type, "http://gateway.test/api/payments/pay_1");
        assert.equal(resolved.pathname, "/api/docs/problems");
        assert.match(page, new RegExp(`id="${resolved.hash.slice(1)}"`));
      },
    );
  } finally {
    await gw.close();
    await upstream.close();
  }
});
