import { z } from "zod";
import { webhookEventTypes } from "@pay/lib/domain";
import {
  bodyStatuses,
  idempotencyKeyParameter,
  idempotentStatuses,
  noContent,
  problemsOf,
  success,
} from "../openapi/components.ts";
import { curlSample } from "../openapi/guide.ts";
import { paymentExample } from "../openapi/payment_schemas.ts";
import { createEndpointSchema, eventListLimitMax, updateEndpointSchema } from "./schemas.ts";

/** OpenAPI parts of the webhook endpoints and events API (merged into ingest/openapi.ts). */

const body = (schema: z.ZodType, example: Record<string, unknown>) => ({
  required: true,
  content: {
    "application/json": { schema: z.toJSONSchema(schema, { io: "input" }), example },
  },
});

const idempotencyKey = idempotencyKeyParameter(
  false,
  "A repeat replays the first answer (with the same secret) and Idempotent-Replayed: true",
);

const endpointId = {
  name: "id",
  in: "path",
  required: true,
  schema: { type: "string" },
  example: "we_01jf3x4k5m6n7p8q9r0s1t2v3w",
};

const endpointExample = {
  id: "we_01jf3x4k5m6n7p8q9r0s1t2v3w",
  url: "https://shop.example.com/webhooks/payments",
  description: "Order fulfilment",
  events: ["*"],
  status: "enabled",
  disabledReason: null,
  createdAt: "2026-01-31T09:00:00.000Z",
  updatedAt: "2026-01-31T09:00:00.000Z",
};

const withSecret = { ...endpointExample, secret: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw" };

const eventExample = {
  id: "evt_01jf3x4k5m6n7p8q9r0s1t2v3w",
  type: webhookEventTypes[2],
  createdAt: "2026-01-31T09:01:00.000Z",
  data: { payment: paymentExample("CAPTURED") },
};

const createExample = {
  url: "https://shop.example.com/webhooks/payments",
  events: ["*"],
  description: "Order fulfilment",
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
  WebhookEndpointList: {
    type: "object",
    required: ["data"],
    properties: {
      data: {
        type: "array",
        items: { $ref: "#/components/schemas/WebhookEndpoint" },
        description: "Your endpoints, without their secrets",
      },
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
  EventList: {
    type: "object",
    required: ["data", "nextCursor"],
    properties: {
      data: { type: "array", items: { $ref: "#/components/schemas/Event" } },
      nextCursor: { type: ["string", "null"] },
    },
  },
};

const endpointsTag = ["Webhook endpoints"];

export const webhookOpenApiPaths = {
  "/api/webhook-endpoints": {
    post: {
      operationId: "createWebhookEndpoint",
      tags: endpointsTag,
      summary: "Register a webhook endpoint",
      description:
        "The URL must be http(s), without credentials, at most 2048 characters and not a private address. The answer carries the endpoint's signing secret, shown only here and on rotate-secret.",
      parameters: [idempotencyKey],
      requestBody: body(createEndpointSchema, createExample),
      responses: {
        "201": success("The enabled endpoint with its secret", "WebhookEndpoint", withSecret, {
          replayable: true,
        }),
        ...problemsOf([...bodyStatuses, ...idempotentStatuses]),
      },
      "x-codeSamples": curlSample("POST", "/api/webhook-endpoints", {
        idempotencyKey: "we-create-1",
        body: createExample,
      }),
    },
    get: {
      operationId: "listWebhookEndpoints",
      tags: endpointsTag,
      summary: "List webhook endpoints",
      responses: {
        "200": success("Your endpoints (without secrets)", "WebhookEndpointList", {
          data: [endpointExample],
        }),
        ...problemsOf([]),
      },
      "x-codeSamples": curlSample("GET", "/api/webhook-endpoints"),
    },
  },
  "/api/webhook-endpoints/{id}": {
    get: {
      operationId: "getWebhookEndpoint",
      tags: endpointsTag,
      summary: "Get a webhook endpoint",
      parameters: [endpointId],
      responses: {
        "200": success("The endpoint", "WebhookEndpoint", endpointExample),
        ...problemsOf(["404"]),
      },
      "x-codeSamples": curlSample("GET", "/api/webhook-endpoints/{id}"),
    },
    patch: {
      operationId: "updateWebhookEndpoint",
      tags: endpointsTag,
      summary: "Update a webhook endpoint",
      description: "Change its url, events, description or status (enabled/disabled).",
      parameters: [endpointId],
      requestBody: body(updateEndpointSchema, { status: "disabled" }),
      responses: {
        "200": success("The endpoint", "WebhookEndpoint", {
          ...endpointExample,
          status: "disabled",
          disabledReason: "merchant",
        }),
        ...problemsOf([...bodyStatuses, "404"]),
      },
      "x-codeSamples": curlSample("PATCH", "/api/webhook-endpoints/{id}", {
        body: { status: "disabled" },
      }),
    },
    delete: {
      operationId: "deleteWebhookEndpoint",
      tags: endpointsTag,
      summary: "Delete a webhook endpoint",
      description: "Deletes the endpoint and its pending deliveries.",
      parameters: [endpointId],
      responses: { "204": noContent("Deleted"), ...problemsOf(["404"]) },
      "x-codeSamples": curlSample("DELETE", "/api/webhook-endpoints/{id}"),
    },
  },
  "/api/webhook-endpoints/{id}/rotate-secret": {
    post: {
      operationId: "rotateWebhookEndpointSecret",
      tags: endpointsTag,
      summary: "Rotate a signing secret",
      description: "A new secret signs from now on; the previous one keeps signing too for 24 h.",
      parameters: [endpointId, idempotencyKey],
      responses: {
        "200": success("The endpoint with its new secret", "WebhookEndpoint", {
          ...withSecret,
          previousSecretExpiresAt: "2026-02-01T09:00:00.000Z",
        }, { replayable: true }),
        ...problemsOf(["404", ...idempotentStatuses]),
      },
      "x-codeSamples": curlSample("POST", "/api/webhook-endpoints/{id}/rotate-secret", {
        idempotencyKey: "we-rotate-1",
      }),
    },
  },
  "/api/events": {
    get: {
      operationId: "listEvents",
      tags: ["Events"],
      summary: "List events",
      description: "Your events of the last 30 days, newest first.",
      parameters: [
        { name: "type", in: "query", schema: { type: "string", enum: [...webhookEventTypes] } },
        {
          name: "paymentId",
          in: "query",
          schema: { type: "string" },
          description: "Only this payment's events",
        },
        {
          name: "limit",
          in: "query",
          schema: { type: "integer", minimum: 1, maximum: eventListLimitMax },
        },
        { name: "cursor", in: "query", schema: { type: "string" } },
      ],
      responses: {
        "200": success("A page of events", "EventList", { data: [eventExample], nextCursor: null }),
        ...problemsOf(["400"]),
      },
      "x-codeSamples": curlSample("GET", "/api/events?paymentId={paymentId}"),
    },
  },
  "/api/events/{id}": {
    get: {
      operationId: "getEvent",
      tags: ["Events"],
      summary: "Get an event",
      parameters: [{
        name: "id",
        in: "path",
        required: true,
        schema: { type: "string" },
        example: eventExample.id,
      }],
      responses: {
        "200": success("The event", "Event", eventExample),
        ...problemsOf(["404"]),
      },
      "x-codeSamples": curlSample("GET", "/api/events/{id}"),
    },
  },
};
