import assert from "node:assert/strict";
import { problemCatalog } from "@pay/lib/http";
import { buildOpenApiDocument } from "./openapi.ts";

// deno-lint-ignore no-explicit-any
const doc = buildOpenApiDocument() as any;

Deno.test("the OpenAPI document describes refunds, metadata, modes and the list filters", () => {
  const payment = doc.components.schemas.Payment;
  for (const field of ["metadata", "livemode", "refunds"]) {
    assert.ok(payment.required.includes(field), field);
  }
  assert.equal(payment.properties.refunds.items.$ref, "#/components/schemas/Refund");
  assert.deepEqual(doc.components.schemas.Refund.properties.status.enum, [
    "PENDING",
    "SUCCEEDED",
    "FAILED",
  ]);
  const refund = doc.paths["/api/payments/{paymentId}/refunds/{refundId}"].get;
  assert.equal(
    refund.responses["200"].content["application/json"].schema.$ref,
    "#/components/schemas/Refund",
  );
  const metadata =
    doc.paths["/api/payments/authorize"].post.requestBody.content["application/json"].schema
      .properties.metadata;
  assert.equal(metadata.maxProperties, 50);
  assert.equal(metadata.propertyNames.maxLength, 40);
  assert.equal(metadata.additionalProperties.maxLength, 500);
  const listParams = doc.paths["/api/payments"].get.parameters.map((p: { name: string }) => p.name);
  for (const name of ["orderId", "createdFrom", "createdTo", "amountMin", "amountMax"]) {
    assert.ok(listParams.includes(name), name);
  }
  assert.equal(
    doc.paths["/api/payments/authorize"].post.responses["403"].$ref,
    "#/components/responses/Problem403",
  );
  assert.match(doc.components.responses.Problem403.description, /publishable_key/);
  assert.match(doc.info.description, /sk_test_/);
});

Deno.test("every $ref of the document resolves, and problem types point at the problems page", () => {
  const refs = JSON.stringify(doc).matchAll(/"\$ref":"#\/components\/(\w+)\/([\w-]+)"/g);
  for (const [, kind, name] of refs) assert.ok(doc.components[kind!][name!], `${kind}/${name}`);
  assert.match(
    doc.components.schemas.Problem.properties.type.description,
    /\/api\/docs\/problems#/,
  );
  assert.ok(problemCatalog.some((p) => p.code === "publishable_key" && p.status === 403));
});

const operations = Object.values(doc.paths).flatMap((item) =>
  Object.values(item as Record<string, Record<string, unknown>>)
);

Deno.test("every operation has an operationId, a curl sample and the gateway's own answers", () => {
  assert.equal(operations.length, 15);
  const ids = operations.map((op) => op.operationId);
  assert.equal(new Set(ids).size, ids.length);
  for (const op of operations) {
    assert.match(String(op.operationId), /^[a-z][A-Za-z]+$/);
    // deno-lint-ignore no-explicit-any
    const [sample] = op["x-codeSamples"] as any[];
    assert.match(sample.source, /^curl -s/, String(op.operationId));
    const statuses = Object.keys(op.responses as object);
    for (const status of ["401", "403", "429", "503"]) {
      assert.ok(statuses.includes(status), `${op.operationId} ${status}`);
    }
  }
});

Deno.test("the document names every status and header the gateway can answer with", () => {
  const statuses = new Set(operations.flatMap((op) => Object.keys(op.responses as object)));
  for (const status of ["400", "401", "403", "404", "409", "413", "415", "422", "429", "503"]) {
    assert.ok(statuses.has(status), status);
  }
  const headerNames = ["Idempotent-Replayed", "RateLimit", "RateLimit-Policy", "Retry-After"];
  for (const name of [...headerNames, "X-Request-Id"]) assert.ok(doc.components.headers[name]);
  assert.ok(doc.components.responses.Problem429.headers["Retry-After"]);
  assert.ok(doc.components.responses.Problem503.headers["Retry-After"]);
  const authorized = doc.paths["/api/payments/authorize"].post.responses["201"];
  assert.ok(authorized.headers["Idempotent-Replayed"]);
  assert.ok(authorized.content["application/json"].example.paymentId);
  assert.deepEqual(doc.servers, [{
    url: "/",
    description: "The gateway that serves this document",
  }]);
});

Deno.test("the guide carries the payment states, the test cards and a curl session", () => {
  const guide = doc.info.description as string;
  for (const heading of ["# Payment states", "# Test cards", "# Try it with curl"]) {
    assert.ok(guide.includes(heading), heading);
  }
  for (const token of ["tok_visa", "tok_decline", "tok_timeout"]) {
    assert.match(guide, new RegExp(token));
  }
  assert.match(guide, /\| `AUTHORIZED` \| cancel \| `CANCELLED` \|/);
  assert.match(guide, /curl -s -X POST "\$GATEWAY\/api\/payments\/authorize"/);
});
