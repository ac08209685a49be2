import assert from "node:assert/strict";
import { matchPaymentRoute } from "./routes.ts";

Deno.test("webhook API routes get the read class for reads and the capture class for changes", () => {
  const cases: Array<[string, string, string, string]> = [
    ["GET", "/api/webhook-endpoints", "/api/webhook-endpoints", "read"],
    ["POST", "/api/webhook-endpoints", "/api/webhook-endpoints", "capture"],
    ["GET", "/api/webhook-endpoints/we_1", "/api/webhook-endpoints/:id", "read"],
    ["HEAD", "/api/webhook-endpoints/we_1", "/api/webhook-endpoints/:id", "read"],
    ["PATCH", "/api/webhook-endpoints/we_1", "/api/webhook-endpoints/:id", "capture"],
    ["DELETE", "/api/webhook-endpoints/we_1", "/api/webhook-endpoints/:id", "capture"],
    [
      "POST",
      "/api/webhook-endpoints/we_1/rotate-secret",
      "/api/webhook-endpoints/:id/rotate-secret",
      "capture",
    ],
    ["GET", "/api/events", "/api/events", "read"],
    ["GET", "/api/events/", "/api/events", "read"],
    ["GET", "/api/events/evt_1", "/api/events/:id", "read"],
  ];
  for (const [method, path, route, endpointClass] of cases) {
    assert.deepEqual(
      matchPaymentRoute(method, path),
      { kind: "route", route: { route, endpointClass } },
      `${method} ${path}`,
    );
  }
});

Deno.test("webhook API routes answer 405 with Allow, and 404 for unknown paths", () => {
  assert.deepEqual(matchPaymentRoute("PUT", "/api/webhook-endpoints/we_1"), {
    kind: "method_not_allowed",
    route: "/api/webhook-endpoints/:id",
    allow: "GET, PATCH, DELETE, HEAD",
  });
  assert.deepEqual(matchPaymentRoute("POST", "/api/events"), {
    kind: "method_not_allowed",
    route: "/api/events",
    allow: "GET, HEAD",
  });
  for (
    const path of [
      "/api/webhook-endpoints/we_1/other",
      "/api/webhook-endpoints/we_1/rotate-secret/x",
      "/api/events/evt_1/deliveries",
      "/api/webhook-endpoints//rotate-secret",
    ]
  ) {
    assert.deepEqual(matchPaymentRoute("GET", path), { kind: "not_found" }, path);
  }
});
