import { z } from "zod";
import { webhookEventTypes } from "@pay/lib/domain";
import { createEndpointSchema, updateEndpointSchema } from "./schemas.ts";

/** OpenAPI parts of the webhook endpoints and events API (merged into ingest/openapi.ts). */

const problem = (description: string) => ({
  description,
  content: { "application/problem+json": { schema: { $ref: "#/components/schemas/Problem" } } },
});

const json = (description: string, ref: string) => ({
  description,
  content: { "application/json": { schema: { $ref: `#/components/schemas/${ref}` } } },
});

const body = (schema: z.ZodType, required = true) => ({
  required,
  content: { "application/json": { schema: z.toJSONSchema(schema, { io: "input" }) } },
});

const idempotencyKey = {
  name: "Idempotency-Key",
  in: "header",
  required: false,
  schema: { type: "string", maxLength: 255 },
  description: "A repeat replays the first answer (with the same secret)",
};

const endpointId = { name: "id", in: "path", required: true, schema: { type: "string" } };

const errors = {
  "400": problem(
    "validation_error: bad URL (not http/https, credentials, > 2048 chars, a private address) or event types",
  ),
  "401": problem("unauthorized"),
  "404": problem("not_found (also another merchant's endpoint)"),
  "429": problem("rate_limited"),
};

export const webhookOpenApiSchemas = {
  WebhookEndpoint: {
    type: "object",
    required: ["id", "url", "events", "status", "createdAt"],
    properties: {
      id: { type: "string", examples: ["we_01jf3x4k5m6n7p8q9r0s1t2v3w"] },
      url: { type: "string", format: "uri" },
      description: { type: ["string", "null"] },
      events: { type: "array", items: { type: "string", enum: ["*", ...webhookEventTypes] } },
      status: { type: "string", enum: ["enabled", "disabled"] },
      disabledReason: { type: ["string", "null"], enum: ["merchant", "failures", null] },
      secret: {
        type: "string",
        description: "whsec_ + base64; only in the answers of creation and rotate-secret",
      },
      previousSecretExpiresAt: {
        type: "string",
        format: "date-time",
        description: "rotate-secret only: until then the previous secret signs too",
      },
      createdAt: { type: "string", format: "date-time" },
      updatedAt: { type: "string", format: "date-time" },
    },
  },
  Event: {
    type: "object",
    required: ["id", "type", "createdAt", "data"],
    description:
      "The exact body of every delivery, signed per Standard Webhooks (headers webhook-id = id, webhook-timestamp, webhook-signature)",
    properties: {
      id: { type: "string", examples: ["evt_01jf3x4k5m6n7p8q9r0s1t2v3w"] },
      type: { type: "string", enum: [...webhookEventTypes] },
      createdAt: { type: "string", format: "date-time" },
      data: {
        type: "object",
        properties: {
          payment: { $ref: "#/components/schemas/Payment" },
          refund: { type: "object", description: "refund events: {id, amount}" },
          capture: { type: "object", description: "capture events: {id, amount}" },
          declineCode: { type: ["string", "null"], description: "payment.declined" },
        },
      },
    },
  },
};

export const webhookOpenApiPaths = {
  "/api/webhook-endpoints": {
    post: {
      summary: "Register a webhook endpoint (answer carries its signing secret)",
      parameters: [idempotencyKey],
      requestBody: body(createEndpointSchema),
      responses: { "201": json("Enabled endpoint with secret", "WebhookEndpoint"), ...errors },
    },
    get: {
      summary: "List your webhook endpoints",
      responses: { "200": { description: "{data: WebhookEndpoint[]} (without secrets)" } },
    },
  },
  "/api/webhook-endpoints/{id}": {
    get: {
      summary: "Get a webhook endpoint",
      parameters: [endpointId],
      responses: { "200": json("The endpoint", "WebhookEndpoint"), ...errors },
    },
    patch: {
      summary: "Change url, events, description or status (enabled/disabled)",
      parameters: [endpointId],
      requestBody: body(updateEndpointSchema),
      responses: { "200": json("The endpoint", "WebhookEndpoint"), ...errors },
    },
    delete: {
      summary: "Delete a webhook endpoint and its pending deliveries",
      parameters: [endpointId],
      responses: { "204": { description: "Deleted" }, ...errors },
    },
  },
  "/api/webhook-endpoints/{id}/rotate-secret": {
    post: {
      summary: "Rotate the signing secret; the old one keeps signing for 24 h",
      parameters: [endpointId, idempotencyKey],
      responses: { "200": json("The endpoint with its new secret", "WebhookEndpoint"), ...errors },
    },
  },
  "/api/events": {
    get: {
      summary: "List your events (30 days), newest first",
      parameters: [
        { name: "type", in: "query", schema: { type: "string", enum: [...webhookEventTypes] } },
        { name: "paymentId", in: "query", schema: { type: "string" } },
        { name: "limit", in: "query", schema: { type: "integer", minimum: 1, maximum: 100 } },
        { name: "cursor", in: "query", schema: { type: "string" } },
      ],
      responses: {
        "200": { description: "{data: Event[], nextCursor}" },
        "400": problem("validation_error"),
      },
    },
  },
  "/api/events/{id}": {
    get: {
      summary: "Get one event",
      parameters: [{ name: "id", in: "path", required: true, schema: { type: "string" } }],
      responses: { "200": json("The event", "Event"), "404": problem("not_found") },
    },
  },
};
