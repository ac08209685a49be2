import assert from "node:assert/strict";
import { signedHeaders } from "@pay/lib/http";
import { countRows, ingestHarness, signedRequest, testSecret } from "./testing/harness.ts";

interface BadCase {
  readonly name: string;
  readonly method?: string;
  readonly path?: string;
  readonly body?: unknown;
  readonly rawBody?: string;
  readonly idempotencyKey?: string;
  readonly headers?: Record<string, string>;
  readonly status: number;
  readonly code: string;
}

const ok = { amount: 10000, currency: "KRW" };
const authorize = "/api/payments/authorize";
const validId = "pay_01jf3x4k5m6n7p8q9r0s1t2v3w";
const big = "x".repeat(20_000);

const cases: BadCase[] = [
  { name: "missing idempotency key", body: ok, status: 400, code: "validation_error" },
  { name: "empty body", rawBody: "", idempotencyKey: "k", status: 400, code: "validation_error" },
  {
    name: "invalid JSON",
    rawBody: "{amount: 1",
    idempotencyKey: "k",
    status: 400,
    code: "validation_error",
  },
  {
    name: "truncated JSON",
    rawBody: '{"amount":',
    idempotencyKey: "k",
    status: 400,
    code: "validation_error",
  },
  {
    name: "JSON array body",
    rawBody: "[1,2]",
    idempotencyKey: "k",
    status: 400,
    code: "validation_error",
  },
  {
    name: "JSON string body",
    rawBody: '"hi"',
    idempotencyKey: "k",
    status: 400,
    code: "validation_error",
  },
  {
    name: "JSON null body",
    rawBody: "null",
    idempotencyKey: "k",
    status: 400,
    code: "validation_error",
  },
  {
    name: "invalid UTF-8",
    rawBody: "\udc00",
    idempotencyKey: "k",
    status: 400,
    code: "validation_error",
  },
  {
    name: "missing amount",
    body: { currency: "KRW" },
    idempotencyKey: "k",
    status: 400,
    code: "validation_error",
  },
  {
    name: "missing currency",
    body: { amount: 100 },
    idempotencyKey: "k",
    status: 400,
    code: "validation_error",
  },
  {
    name: "amount as string",
    body: { ...ok, amount: "10000" },
    idempotencyKey: "k",
    status: 400,
    code: "validation_error",
  },
  {
    name: "amount zero",
    body: { ...ok, amount: 0 },
    idempotencyKey: "k",
    status: 400,
    code: "validation_error",
  },
  {
    name: "amount negative",
    body: { ...ok, amount: -5 },
    idempotencyKey: "k",
    status: 400,
    code: "validation_error",
  },
  {
    name: "amount float",
    body: { ...ok, amount: 10.5 },
    idempotencyKey: "k",
    status: 400,
    code: "validation_error",
  },
  {
    name: "amount huge",
    body: { ...ok, amount: 1e15 },
    idempotencyKey: "k",
    status: 400,
    code: "validation_error",
  },
  {
    name: "amount beyond 2^53",
    rawBody: '{"amount":90071992547409930,"currency":"KRW"}',
    idempotencyKey: "k",
    status: 400,
    code: "validation_error",
  },
  {
    name: "amount overflowing to Infinity",
    rawBody: '{"amount":1e400,"currency":"KRW"}',
    idempotencyKey: "k",
    status: 400,
    code: "validation_error",
  },
  {
    name: "amount null",
    body: { ...ok, amount: null },
    idempotencyKey: "k",
    status: 400,
    code: "validation_error",
  },
  {
    name: "amount boolean",
    body: { ...ok, amount: true },
    idempotencyKey: "k",
    status: 400,
    code: "validation_error",
  },
  {
    name: "amount object",
    body: { ...ok, amount: { value: 1 } },
    idempotencyKey: "k",
    status: 400,
    code: "validation_error",
  },
  {
    name: "unknown currency",
    body: { ...ok, currency: "XYZ" },
    idempotencyKey: "k",
    status: 400,
    code: "validation_error",
  },
  {
    name: "lower-case currency",
    body: { ...ok, currency: "krw" },
    idempotencyKey: "k",
    status: 400,
    code: "validation_error",
  },
  {
    name: "currency number",
    body: { ...ok, currency: 410 },
    idempotencyKey: "k",
    status: 400,
    code: "validation_error",
  },
  {
    name: "unknown field",
    body: { ...ok, amnount: 1 },
    idempotencyKey: "k",
    status: 400,
    code: "validation_error",
  },
  {
    name: "prototype pollution field",
    rawBody: '{"amount":1,"currency":"KRW","__proto__":{"x":1}}',
    idempotencyKey: "k",
    status: 400,
    code: "validation_error",
  },
  {
    name: "orderId too long",
    body: { ...ok, orderId: "o".repeat(65) },
    idempotencyKey: "k",
    status: 400,
    code: "validation_error",
  },
  {
    name: "orderId empty",
    body: { ...ok, orderId: "" },
    idempotencyKey: "k",
    status: 400,
    code: "validation_error",
  },
  {
    name: "description too long",
    body: { ...ok, description: "d".repeat(256) },
    idempotencyKey: "k",
    status: 400,
    code: "validation_error",
  },
  {
    name: "payment method unknown to the PG",
    body: { ...ok, paymentMethod: "tok_amex" },
    idempotencyKey: "k",
    status: 400,
    code: "validation_error",
  },
  {
    name: "payment method not a token",
    body: { ...ok, paymentMethod: "4242424242424242" },
    idempotencyKey: "k",
    status: 400,
    code: "validation_error",
  },
  {
    name: "merchantId of another merchant",
    body: { ...ok, merchantId: "M999" },
    idempotencyKey: "k",
    status: 403,
    code: "forbidden",
  },
  {
    name: "merchantId malformed",
    body: { ...ok, merchantId: "M 1" },
    idempotencyKey: "k",
    status: 400,
    code: "validation_error",
  },
  {
    name: "idempotency key too long",
    body: ok,
    idempotencyKey: "k".repeat(256),
    status: 400,
    code: "validation_error",
  },
  {
    name: "idempotency key with spaces",
    body: ok,
    idempotencyKey: "a b",
    status: 400,
    code: "validation_error",
  },
  {
    name: "body idempotencyKey wrong type",
    body: { ...ok, idempotencyKey: 123 },
    status: 400,
    code: "validation_error",
  },
  {
    name: "wrong content type",
    rawBody: JSON.stringify(ok),
    idempotencyKey: "k",
    headers: { "content-type": "text/plain" },
    status: 415,
    code: "unsupported_media_type",
  },
  {
    name: "oversize body",
    body: { ...ok, description: big },
    idempotencyKey: "k",
    status: 413,
    code: "payload_too_large",
  },
  {
    name: "oversize declared length",
    rawBody: "{}",
    idempotencyKey: "k",
    headers: { "content-length": "999999" },
    status: 413,
    code: "payload_too_large",
  },
  {
    name: "capture malformed payment id",
    path: "/api/payments/capture/123",
    body: {},
    status: 400,
    code: "validation_error",
  },
  {
    name: "capture id with SQL",
    path: "/api/payments/capture/pay_'%20OR%201=1",
    body: {},
    status: 400,
    code: "validation_error",
  },
  {
    name: "capture unknown payment",
    path: `/api/payments/capture/${validId}`,
    body: {},
    status: 404,
    code: "not_found",
  },
  {
    name: "capture amount float",
    path: `/api/payments/capture/${validId}`,
    body: { amount: 1.5 },
    status: 400,
    code: "validation_error",
  },
  {
    name: "capture unknown field",
    path: `/api/payments/capture/${validId}`,
    body: { amonut: 1 },
    status: 400,
    code: "validation_error",
  },
  {
    name: "refund negative amount",
    path: `/api/payments/refund/${validId}`,
    body: { amount: -1 },
    status: 400,
    code: "validation_error",
  },
  {
    name: "refund reason too long",
    path: `/api/payments/refund/${validId}`,
    body: { reason: "r".repeat(300) },
    status: 400,
    code: "validation_error",
  },
  {
    name: "cancel with amount",
    path: `/api/payments/cancel/${validId}`,
    body: { amount: 1 },
    status: 400,
    code: "validation_error",
  },
  {
    name: "get malformed id",
    method: "GET",
    path: "/api/payments/not-an-id",
    status: 400,
    code: "validation_error",
  },
  {
    name: "get unknown id",
    method: "GET",
    path: `/api/payments/${validId}`,
    status: 404,
    code: "not_found",
  },
  {
    name: "list bad status",
    method: "GET",
    path: "/api/payments?status=PAID",
    status: 400,
    code: "validation_error",
  },
  {
    name: "list limit too big",
    method: "GET",
    path: "/api/payments?limit=1000",
    status: 400,
    code: "validation_error",
  },
  {
    name: "list limit not a number",
    method: "GET",
    path: "/api/payments?limit=ten",
    status: 400,
    code: "validation_error",
  },
  {
    name: "list bad cursor",
    method: "GET",
    path: "/api/payments?cursor=zzzz",
    status: 400,
    code: "validation_error",
  },
  {
    name: "list limit zero",
    method: "GET",
    path: "/api/payments?limit=0",
    status: 400,
    code: "validation_error",
  },
  {
    name: "list createdFrom not a date",
    method: "GET",
    path: "/api/payments?createdFrom=yesterday",
    status: 400,
    code: "validation_error",
  },
  {
    name: "list createdTo before createdFrom",
    method: "GET",
    path: "/api/payments?createdFrom=2026-02-01&createdTo=2026-01-01",
    status: 400,
    code: "validation_error",
  },
  {
    name: "list amountMax below amountMin",
    method: "GET",
    path: "/api/payments?amountMin=500&amountMax=100",
    status: 400,
    code: "validation_error",
  },
  {
    name: "list amountMin not an amount",
    method: "GET",
    path: "/api/payments?amountMin=1.5",
    status: 400,
    code: "validation_error",
  },
  {
    name: "list orderId too long",
    method: "GET",
    path: `/api/payments?orderId=${"o".repeat(65)}`,
    status: 400,
    code: "validation_error",
  },
  {
    name: "get refund with a malformed refund id",
    method: "GET",
    path: `/api/payments/${validId}/refunds/nope`,
    status: 400,
    code: "validation_error",
  },
  {
    name: "get refund of an unknown payment",
    method: "GET",
    path: `/api/payments/${validId}/refunds/ref_01jf3x4k5m6n7p8q9r0s1t2v3w`,
    status: 404,
    code: "not_found",
  },
  {
    name: "metadata not an object",
    body: { ...ok, metadata: ["a"] },
    idempotencyKey: "k",
    status: 400,
    code: "validation_error",
  },
  {
    name: "metadata value not a string",
    body: { ...ok, metadata: { a: 1 } },
    idempotencyKey: "k",
    status: 400,
    code: "validation_error",
  },
  {
    name: "metadata key __proto__",
    rawBody: '{"amount":1,"currency":"KRW","metadata":{"__proto__":"x"}}',
    idempotencyKey: "k",
    status: 400,
    code: "validation_error",
  },
  {
    name: "list unknown parameter",
    method: "GET",
    path: "/api/payments?sort=asc",
    status: 400,
    code: "validation_error",
  },
  {
    name: "unknown route",
    path: "/api/payments/teleport",
    body: {},
    status: 404,
    code: "not_found",
  },
  {
    name: "wrong method",
    method: "DELETE",
    path: `/api/payments/${validId}`,
    status: 404,
    code: "not_found",
  },
];

const tables = [
  "payment",
  "payment_event",
  "idempotency_record",
  "outbox_event",
  "settlement_request",
  "refund_request",
];

Deno.test(`bad input: ${cases.length} malformed requests each get a 4xx problem+json and write nothing`, async (t) => {
  assert.ok(cases.length >= 40);
  const h = await ingestHarness("ingest_bad_input");
  try {
    for (const c of cases) {
      await t.step(c.name, async () => {
        const res = await h.call(c.method ?? "POST", c.path ?? authorize, {
          body: c.body,
          rawBody: c.rawBody,
          idempotencyKey: c.idempotencyKey,
          headers: c.headers,
        });
        const text = await res.text();
        assert.equal(res.status, c.status, text);
        assert.equal(res.headers.get("content-type"), "application/problem+json");
        const problem = JSON.parse(text);
        assert.equal(problem.code, c.code);
        assert.equal(problem.status, c.status);
        assert.ok(problem.title && problem.detail && problem.type, text);
        assert.equal(problem.type, `/api/docs/problems#${c.code}`);
        if (c.code === "validation_error") {
          // The offending parameter is always named, and first in the detail.
          assert.ok(typeof problem.param === "string" && problem.param !== "", text);
          assert.ok(problem.detail.startsWith(`${problem.param}: `), text);
        }
      });
    }
    for (const table of tables) assert.equal(await countRows(h.db, table), 0, `${table} has rows`);
  } finally {
    await h.close();
  }
});

Deno.test("validation messages name their param and read alike for one rule", async () => {
  const h = await ingestHarness("ingest_messages");
  const problemOf = async (method: string, path: string, o: Parameters<typeof h.call>[2] = {}) => {
    const res = await h.call(method, path, o);
    const problem = await res.json();
    assert.equal(res.status, 400, JSON.stringify(problem));
    return problem as { param: string; detail: string };
  };
  const amountRule = "amount: must be an integer from 1 to 99999999999 (minor units)";
  try {
    for (const limit of ["0", "1000", "ten", "1.5"]) {
      const p = await problemOf("GET", `/api/payments?limit=${limit}`);
      assert.equal(p.param, "limit");
      assert.equal(p.detail, `limit: must be an integer from 1 to 100: "${limit}"`);
    }
    const longKey = await problemOf("POST", authorize, {
      body: ok,
      idempotencyKey: "k".repeat(256),
    });
    assert.equal(longKey.param, "Idempotency-Key");
    assert.match(longKey.detail, /^Idempotency-Key: must be 1-255 printable ASCII characters/);
    const missingKey = await problemOf("POST", authorize, { body: ok });
    assert.equal(missingKey.param, "Idempotency-Key");
    for (const amount of ["1e15", "90071992547409930", "1e400", "0", "-5", "10.5", '"100"']) {
      const p = await problemOf("POST", authorize, {
        rawBody: `{"amount":${amount},"currency":"KRW"}`,
        idempotencyKey: "k",
      });
      assert.equal(p.param, "amount");
      assert.ok(p.detail.startsWith(`${amountRule}: `), p.detail);
    }
    const unknown = await problemOf("POST", authorize, {
      body: { ...ok, amnount: 1 },
      idempotencyKey: "k",
    });
    assert.deepEqual([unknown.param, unknown.detail], [
      "amnount",
      "amnount: is not a field of this request",
    ]);
  } finally {
    await h.close();
  }
});

Deno.test("ingest accepts only fresh, valid gateway signatures", async (t) => {
  const h = await ingestHarness("ingest_signature");
  const body = JSON.stringify({ amount: 100, currency: "KRW" });
  const base = { "content-type": "application/json", "idempotency-key": "sig-1" };
  const sign = (o: Partial<Parameters<typeof signedHeaders>[1]> = {}, secret = testSecret) =>
    signedHeaders(secret, {
      method: "POST",
      pathWithQuery: "/api/payments/authorize",
      merchantId: "M123",
      body,
      timestampSeconds: Math.floor(Date.now() / 1000),
      nonce: crypto.randomUUID(),
      ...o,
    });
  const send = (headers: Record<string, string>, payload = body) =>
    h.fetch(
      new Request("http://ingest.test/api/payments/authorize", {
        method: "POST",
        headers: { ...base, ...headers },
        body: payload,
      }),
    );
  const expect401 = async (res: Response) => {
    assert.equal(res.status, 401);
    assert.equal((await res.json()).code, "unauthorized");
  };
  try {
    await t.step("unsigned", async () => await expect401(await send({})));
    await t.step(
      "wrong secret",
      async () => await expect401(await send(sign({}, "another-secret-0123456789abcdefghij"))),
    );
    await t.step(
      "tampered body",
      async () =>
        await expect401(await send(sign(), JSON.stringify({ amount: 999999, currency: "KRW" }))),
    );
    await t.step(
      "tampered merchant",
      async () => await expect401(await send({ ...sign(), "x-pay-merchant": "M999" })),
    );
    await t.step(
      "tampered mode",
      async () => await expect401(await send({ ...sign(), "x-pay-mode": "live" })),
    );
    await t.step(
      "unknown mode",
      async () => await expect401(await send({ ...sign(), "x-pay-mode": "dev" })),
    );
    await t.step(
      "stale timestamp",
      async () =>
        await expect401(
          await send(sign({ timestampSeconds: Math.floor(Date.now() / 1000) - 120 })),
        ),
    );
    await t.step("replayed nonce", async () => {
      const headers = sign();
      const first = await send(headers);
      assert.equal(first.status, 201);
      await first.body?.cancel();
      await expect401(await send(headers));
    });
    await t.step("health and metrics need no signature", async () => {
      for (const path of ["/health", "/metrics"]) {
        const res = await h.fetch(new Request(`http://ingest.test${path}`));
        assert.equal(res.status, 200);
        await res.body?.cancel();
      }
    });
    await t.step("a signed GET works", async () => {
      const res = await h.fetch(signedRequest("GET", "/api/payments?limit=1"));
      assert.equal(res.status, 200);
      await res.body?.cancel();
    });
    assert.equal(await countRows(h.db, "payment"), 1);
  } finally {
    await h.close();
  }
});
