import { z } from "zod";
import { paymentStatuses } from "@pay/lib/domain";
import {
  authorizeBodySchema,
  cancelBodySchema,
  captureBodySchema,
  refundBodySchema,
} from "./payments/schemas.ts";
import { webhookOpenApiPaths, webhookOpenApiSchemas } from "./webhooks/openapi.ts";

const paymentSchema = {
  type: "object",
  required: [
    "paymentId",
    "merchantId",
    "status",
    "amount",
    "currency",
    "capturedAmount",
    "refundedAmount",
    "createdAt",
    "updatedAt",
  ],
  properties: {
    paymentId: { type: "string", examples: ["pay_01jf3x4k5m6n7p8q9r0s1t2v3w"] },
    merchantId: { type: "string" },
    status: { type: "string", enum: [...paymentStatuses] },
    amount: { type: "integer", description: "Authorized amount in the currency's minor unit" },
    currency: { type: "string" },
    capturedAmount: { type: "integer" },
    refundedAmount: { type: "integer" },
    orderId: { type: ["string", "null"] },
    description: { type: ["string", "null"] },
    createdAt: { type: "string", format: "date-time" },
    updatedAt: { type: "string", format: "date-time" },
  },
};

const problemSchema = {
  type: "object",
  required: ["type", "title", "status", "detail", "code"],
  properties: {
    type: { type: "string" },
    title: { type: "string" },
    status: { type: "integer" },
    detail: { type: "string" },
    code: { type: "string" },
    param: { type: "string" },
    paymentId: { type: "string" },
  },
};

function body(schema: z.ZodType) {
  return {
    required: true,
    content: { "application/json": { schema: z.toJSONSchema(schema, { io: "input" }) } },
  };
}

const problemResponse = (description: string) => ({
  description,
  content: { "application/problem+json": { schema: { $ref: "#/components/schemas/Problem" } } },
});

const paymentResponse = (description: string) => ({
  description,
  content: { "application/json": { schema: { $ref: "#/components/schemas/Payment" } } },
});

const idempotencyHeader = (required: boolean) => ({
  name: "Idempotency-Key",
  in: "header",
  required,
  schema: { type: "string", maxLength: 255 },
  description:
    "Scope (merchant, key); a repeat replays the first answer with Idempotent-Replayed: true",
});

const paymentIdParam = {
  name: "paymentId",
  in: "path",
  required: true,
  schema: { type: "string" },
};

const commonErrors = {
  "400": problemResponse("validation_error or amount rules"),
  "401": problemResponse("unauthorized"),
  "403": problemResponse("forbidden (body merchantId is not yours)"),
  "409": problemResponse("invalid_state or idempotency_key_in_use"),
  "413": problemResponse("payload_too_large"),
  "422": problemResponse("idempotency_key_mismatch"),
  "429": problemResponse("rate_limited"),
};

/** The OpenAPI 3.1 document of the public payment API (served by ingest and the gateway). */
export function buildOpenApiDocument(): Record<string, unknown> {
  return {
    openapi: "3.1.0",
    info: {
      title: "Payment platform API",
      version: "1.0.0",
      description:
        "Authorize, capture, refund and cancel card payments; receive their outcomes as signed webhooks and list them as events. Amounts are integers in the currency's minor unit.",
    },
    servers: [{ url: "http://localhost:8080" }],
    security: [{ bearer: [] }],
    components: {
      securitySchemes: { bearer: { type: "http", scheme: "bearer" } },
      schemas: { Payment: paymentSchema, Problem: problemSchema, ...webhookOpenApiSchemas },
    },
    paths: {
      "/api/payments/authorize": {
        post: {
          summary: "Authorize a payment",
          parameters: [idempotencyHeader(true)],
          requestBody: body(authorizeBodySchema),
          responses: {
            "201": paymentResponse("AUTHORIZED"),
            "402": problemResponse("card_declined; the payment is stored AUTH_FAILED"),
            "503": problemResponse(
              "pg_unavailable or service_unavailable; no payment stored, retry with the same key",
            ),
            ...commonErrors,
            "409": problemResponse(
              "idempotency_key_in_use, or authorization_voided: the key's authorization was voided after its outcome was lost; use a new key",
            ),
          },
        },
      },
      "/api/payments/capture/{paymentId}": {
        post: {
          summary: "Request capture (full or partial)",
          parameters: [paymentIdParam, idempotencyHeader(false)],
          requestBody: { ...body(captureBodySchema), required: false },
          responses: {
            "202": paymentResponse("CAPTURE_REQUESTED"),
            "404": problemResponse("not_found"),
            ...commonErrors,
          },
        },
      },
      "/api/payments/refund/{paymentId}": {
        post: {
          summary: "Request a refund (full or partial)",
          parameters: [paymentIdParam, idempotencyHeader(false)],
          requestBody: { ...body(refundBodySchema), required: false },
          responses: {
            "202": paymentResponse("REFUND_REQUESTED"),
            "404": problemResponse("not_found"),
            ...commonErrors,
          },
        },
      },
      "/api/payments/cancel/{paymentId}": {
        post: {
          summary: "Cancel (void) an authorized payment",
          parameters: [paymentIdParam, idempotencyHeader(false)],
          requestBody: { ...body(cancelBodySchema), required: false },
          responses: {
            "200": paymentResponse("CANCELLED"),
            "404": problemResponse("not_found"),
            ...commonErrors,
          },
        },
      },
      "/api/payments/{paymentId}": {
        get: {
          summary: "Get a payment with its timeline (events) and ledger lines",
          parameters: [paymentIdParam],
          responses: { "200": paymentResponse("The payment"), "404": problemResponse("not_found") },
        },
      },
      "/api/payments": {
        get: {
          summary: "List your payments, newest first",
          parameters: [
            { name: "status", in: "query", schema: { type: "string", enum: [...paymentStatuses] } },
            { name: "limit", in: "query", schema: { type: "integer", minimum: 1, maximum: 100 } },
            { name: "cursor", in: "query", schema: { type: "string" } },
          ],
          responses: {
            "200": { description: "{data: Payment[], nextCursor}" },
            "400": problemResponse("validation_error"),
          },
        },
      },
      ...webhookOpenApiPaths,
    },
  };
}
