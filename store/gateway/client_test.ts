import assert from "node:assert/strict";
import { createGatewayClient } from "./client.ts";

const payment = {
  paymentId: "pay_01",
  merchantId: "M123",
  status: "AUTHORIZED",
  amount: 1_690_000,
  currency: "KRW",
  capturedAmount: 0,
  refundedAmount: 0,
  orderId: "ord_1",
  createdAt: "2025-01-01T00:00:00.000Z",
  updatedAt: "2025-01-01T00:00:00.000Z",
  events: [{
    from: null,
    to: "AUTHORIZED",
    amount: 1_690_000,
    requestId: null,
    at: "2025-01-01T00:00:00.000Z",
  }],
  ledger: [],
};

function clientAnswering(response: () => Response | Promise<Response>, seen: Request[] = []) {
  return createGatewayClient({
    baseUrl: "http://gateway.test",
    apiKey: "pk_test_key",
    timeoutMs: 1_000,
    fetch: (input, init) => {
      seen.push(new Request(input, init));
      return Promise.resolve(response());
    },
  });
}

Deno.test("calls carry the API key, the idempotency key and JSON", async () => {
  const seen: Request[] = [];
  const client = clientAnswering(
    () =>
      new Response(JSON.stringify(payment), {
        status: 201,
        headers: { "idempotent-replayed": "true" },
      }),
    seen,
  );
  const result = await client.authorize({
    amount: 1_690_000,
    currency: "KRW",
    orderId: "ord_1",
    description: "iPhone 16 Pro x1",
    paymentMethod: "tok_visa",
  }, "key-1");
  assert.ok(result.ok);
  assert.equal(result.replayed, true);
  assert.equal(result.payment.events[0]!.to, "AUTHORIZED");
  const request = seen[0]!;
  assert.equal(request.url, "http://gateway.test/api/payments/authorize");
  assert.equal(request.headers.get("authorization"), "Bearer pk_test_key");
  assert.equal(request.headers.get("idempotency-key"), "key-1");
  assert.equal((await request.json()).paymentMethod, "tok_visa");
});

Deno.test("a problem answer becomes a failure with its code and Retry-After", async () => {
  const client = clientAnswering(() =>
    new Response(
      JSON.stringify({ status: 429, code: "rate_limited", title: "Too many", detail: "Slow down" }),
      {
        status: 429,
        headers: { "content-type": "application/problem+json", "retry-after": "12" },
      },
    )
  );
  const result = await client.capture("pay_01", "k");
  assert.ok(!result.ok);
  assert.deepEqual(result.failure, {
    status: 429,
    code: "rate_limited",
    detail: "Slow down",
    outcomeUnknown: false,
    retryAfterSeconds: 12,
  });
});

Deno.test("no answer, or a 5xx without a problem body, leaves the outcome unknown", async () => {
  const refused = createGatewayClient({
    baseUrl: "http://gateway.test",
    apiKey: "k",
    timeoutMs: 1_000,
    fetch: () => Promise.reject(new TypeError("connection refused")),
  });
  const down = await refused.getPayment("pay_01");
  assert.ok(!down.ok);
  assert.equal(down.failure.code, "gateway_unreachable");
  assert.equal(down.failure.outcomeUnknown, true);

  const proxy = await clientAnswering(() => new Response("Bad gateway", { status: 502 })).cancel(
    "pay_01",
    "k",
  );
  assert.ok(!proxy.ok);
  assert.equal(proxy.failure.code, "http_502");
  assert.equal(proxy.failure.outcomeUnknown, true);

  const garbled = await clientAnswering(() => new Response("{}", { status: 200 })).getPayment(
    "pay_01",
  );
  assert.ok(!garbled.ok);
  assert.equal(garbled.failure.code, "bad_gateway_response");
});
