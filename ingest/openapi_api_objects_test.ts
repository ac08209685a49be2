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
  assert.match(
    doc.paths["/api/payments/authorize"].post.responses["403"].description,
    /publishable_key/,
  );
  assert.match(doc.info.description, /sk_test_/);
});

Deno.test("every $ref of the document resolves, and problem types point at the problems page", () => {
  const refs = JSON.stringify(doc).matchAll(/"\$ref":"#\/components\/schemas\/([A-Za-z]+)"/g);
  for (const [, name] of refs) assert.ok(doc.components.schemas[name!], String(name));
  assert.match(
    doc.components.schemas.Problem.properties.type.description,
    /\/api\/docs\/problems#/,
  );
  assert.ok(problemCatalog.some((p) => p.code === "publishable_key" && p.status === 403));
});
