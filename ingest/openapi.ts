import { z } from "zod";
import { amountMinorMax, paymentStatuses, refundStatuses } from "@pay/lib/domain";
import { problemTypePage } from "@pay/lib/http";
import {
  authorizeBodySchema,
  cancelBodySchema,
  captureBodySchema,
  listLimitMax,
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
    "metadata",
    "livemode",
    "refunds",
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
    metadata: {
      type: "object",
      additionalProperties: { type: "string" },
      description: "The metadata given on authorize ({} when none)",
    },
    livemode: {
      type: "boolean",
      description:
        "true for a payment made with a live key (sk_live_), false in test mode (sk_test_); a key never sees the other mode's payments",
    },
    refunds: {
      type: "array",
      items: { $ref: "#/components/schemas/Refund" },
      description: "The payment's refunds, oldest first",
    },
    refundId: {
      type: "string",
      description: "Only in the answer of a refund request: the id of the refund it created",
    },
    createdAt: { type: "string", format: "date-time" },
    updatedAt: { type: "string", format: "date-time" },
  },
};

const refundSchema = {
  type: "object",
  required: ["refundId", "paymentId", "status", "amount", "currency", "createdAt"],
  properties: {
    refundId: { type: "string", examples: ["ref_01jf3x4k5m6n7p8q9r0s1t2v3w"] },
    paymentId: { type: "string" },
    status: {
      type: "string",
      enum: [...refundStatuses],
      description: "PENDING until the PG answers, then SUCCEEDED or FAILED",
    },
    amount: { type: "integer", description: "Refunded amount in the currency's minor unit" },
    currency: { type: "string" },
    reason: { type: ["string", "null"] },
    failureCode: { type: ["string", "null"], description: "The PG's code of a FAILED refund" },
    createdAt: { type: "string", format: "date-time" },
    completedAt: { type: ["string", "null"], format: "date-time" },
  },
};

const problemSchema = {
  type: "object",
  required: ["type", "title", "status", "detail", "code"],
  properties: {
    type: {
      type: "string",
      format: "uri-reference",
      description: `${problemTypePage}#<code>: the code's entry on the problems page`,
      examples: [`${problemTypePage}#validation_error`],
    },
    title: { type: "string" },
    status: { type: "integer" },
    detail: { type: "string" },
    code: { type: "string" },
    param: {
      type: "string",
      description:
        "validation_error: the offending field, header (Idempotency-Key) or query parameter; the detail starts with it",
    },
    paymentId: { type: "string" },
  },
};

function body(schema: z.ZodType) {
  return {
    required: true,
    content: {
      "application/json": {
        schema: z.toJSONSchema(schema, { io: "input", unrepresentable: "any" }),
      },
    },
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

const forbidden = problemResponse(
  "forbidden (body merchantId is not yours), or publishable_key: a pk_test_/pk_live_ key, which this API refuses (use an sk_ key from your server)",
);

const commonErrors = {
  "400": problemResponse("validation_error or amount rules"),
  "401": problemResponse("unauthorized"),
  "403": forbidden,
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
        `Authorize, capture, refund and cancel card payments; receive their outcomes as signed webhooks and list them as events. Amounts are integers in the currency's minor unit.

Authenticate with a secret key: \`Authorization: Bearer sk_test_…\` (test mode) or \`sk_live_…\` (live mode). A payment belongs to the mode of the key that made it; a key never sees the other mode's payments. Publishable keys (\`pk_test_…\`/\`pk_live_…\`) are refused (403 publishable_key). Secret keys of the former \`pk_<env>_…\` format still work for this release (\`pk_dev_\`/\`pk_test_\` in test mode, \`pk_live_\` in live mode) and are logged as deprecated.

Errors are application/problem+json; each \`type\` links to its entry on ${problemTypePage}.`,
    },
    servers: [{ url: "http://localhost:8080" }],
    security: [{ bearer: [] }],
    components: {
      securitySchemes: { bearer: { type: "http", scheme: "bearer" } },
      schemas: {
        Payment: paymentSchema,
        Refund: refundSchema,
        Problem: problemSchema,
        ...webhookOpenApiSchemas,
      },
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
            "202": paymentResponse(
              "REFUND_REQUESTED; `refundId` names the refund it created (also last in `refunds`)",
            ),
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
          summary: "Get a payment with its timeline (events), ledger lines and refunds",
          parameters: [paymentIdParam],
          responses: {
            "200": paymentResponse("The payment"),
            "403": forbidden,
            "404": problemResponse("not_found (also another merchant's or the other mode's)"),
          },
        },
      },
      "/api/payments/{paymentId}/refunds/{refundId}": {
        get: {
          summary: "Get one refund of a payment",
          parameters: [
            paymentIdParam,
            { name: "refundId", in: "path", required: true, schema: { type: "string" } },
          ],
          responses: {
            "200": {
              description: "The refund",
              content: {
                "application/json": { schema: { $ref: "#/components/schemas/Refund" } },
              },
            },
            "400": problemResponse("validation_error: not a payment or refund id"),
            "403": forbidden,
            "404": problemResponse("not_found: no such refund of this payment for this key"),
          },
        },
      },
      "/api/payments": {
        get: {
          summary: "List your payments (of your key's mode), newest first",
          description: "Every given filter applies. Each payment carries its refunds and metadata.",
          parameters: [
            { name: "status", in: "query", schema: { type: "string", enum: [...paymentStatuses] } },
            {
              name: "limit",
              in: "query",
              schema: { type: "integer", minimum: 1, maximum: listLimitMax, default: 20 },
            },
            { name: "cursor", in: "query", schema: { type: "string" } },
            {
              name: "orderId",
              in: "query",
              schema: { type: "string", maxLength: 64 },
              description: "Only payments of this orderId",
            },
            {
              name: "createdFrom",
              in: "query",
              schema: { type: "string", examples: ["2026-01-31", "2026-01-31T09:00:00+09:00"] },
              description:
                "Created at or after: a date (UTC midnight) or a date-time with its offset",
            },
            {
              name: "createdTo",
              in: "query",
              schema: { type: "string" },
              description: "Created before (exclusive); after createdFrom",
            },
            {
              name: "amountMin",
              in: "query",
              schema: { type: "integer", minimum: 1, maximum: amountMinorMax },
              description: "Amount at least (minor units)",
            },
            {
              name: "amountMax",
              in: "query",
              schema: { type: "integer", minimum: 1, maximum: amountMinorMax },
              description: "Amount at most (minor units); at least amountMin",
            },
          ],
          responses: {
            "200": { description: "{data: Payment[], nextCursor}" },
            "400": problemResponse("validation_error; `param` names the query parameter"),
            "403": forbidden,
          },
        },
      },
      ...webhookOpenApiPaths,
    },
  };
}
