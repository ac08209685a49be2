import assert from "node:assert/strict";
import { matchPaymentRoute } from "./routes.ts";

Deno.test("payment routes map to their rate-limit class", () => {
  const cases: [string, string, string, string][] = [
    ["POST", "/api/payments/authorize", "/api/payments/authorize", "authorize"],
    ["POST", "/api/payments/capture/pay_1", "/api/payments/capture/:paymentId", "capture"],
    ["POST", "/api/payments/cancel/pay_1", "/api/payments/cancel/:paymentId", "capture"],
    ["POST", "/api/payments/refund/pay_1", "/api/payments/refund/:paymentId", "refund"],
    ["GET", "/api/payments/pay_1", "/api/payments/:paymentId", "read"],
    ["GET", "/api/payments", "/api/payments", "read"],
    ["GET", "/api/payments/", "/api/payments", "read"],
    [
      "GET",
      "/api/payments/pay_1/refunds/ref_1",
      "/api/payments/:paymentId/refunds/:refundId",
      "read",
    ],
  ];
  for (const [method, path, route, endpointClass] of cases) {
    assert.deepEqual(matchPaymentRoute(method, path), {
      kind: "route",
      route: { route, endpointClass },
    });
  }
});

Deno.test("wrong methods are 405 and unknown shapes 404", () => {
  assert.equal(matchPaymentRoute("GET", "/api/payments/authorize").kind, "method_not_allowed");
  assert.equal(matchPaymentRoute("DELETE", "/api/payments/pay_1").kind, "method_not_allowed");
  assert.equal(matchPaymentRoute("POST", "/api/payments").kind, "method_not_allowed");
  assert.equal(
    matchPaymentRoute("POST", "/api/payments/pay_1/refunds/ref_1").kind,
    "method_not_allowed",
  );
  for (
    const path of [
      "/api/payments/capture",
      "/api/payments/pay_1/x",
      "/api/payments/a/b/c",
      "/api/payments/pay_1/refunds",
      "/api/payments/pay_1/refunds/",
      "/api/payments/pay_1/refunds/ref_1/x",
      "/api/payments/capture/refunds/ref_1",
      "/api/other",
    ]
  ) {
    assert.equal(matchPaymentRoute("POST", path).kind, "not_found", path);
  }
});
