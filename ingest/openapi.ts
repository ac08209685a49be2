import { headers, problemResponses, problemSchema } from "./openapi/components.ts";
import { guideMarkdown } from "./openapi/guide.ts";
import { paymentPaths } from "./openapi/payment_paths.ts";
import { paymentListSchema, paymentSchema, refundSchema } from "./openapi/payment_schemas.ts";
import { webhookOpenApiPaths, webhookOpenApiSchemas } from "./webhooks/openapi.ts";

const tags = [
  { name: "Payments", description: "Authorize, capture, refund, cancel, read and list payments" },
  { name: "Refunds", description: "The refunds of a payment, each with its own status" },
  {
    name: "Webhook endpoints",
    description: "Where your payments' events are delivered, signed per Standard Webhooks",
  },
  { name: "Events", description: "Your payments' events of the last 30 days" },
];

/**
 * The OpenAPI 3.1 document of the public payment API (served by ingest and
 * the gateway; the gateway renders it at /api/docs). `servers` is relative:
 * calls go to the host that served the document.
 */
export function buildOpenApiDocument(): Record<string, unknown> {
  return {
    openapi: "3.1.0",
    info: {
      title: "Payment platform API",
      version: "1.0.0",
      description: guideMarkdown(),
    },
    servers: [{ url: "/", description: "The gateway that serves this document" }],
    security: [{ bearer: [] }],
    tags,
    components: {
      securitySchemes: {
        bearer: {
          type: "http",
          scheme: "bearer",
          description: "A secret key: sk_test_… (test mode) or sk_live_… (live mode)",
        },
      },
      headers,
      responses: problemResponses,
      schemas: {
        Payment: paymentSchema,
        PaymentList: paymentListSchema,
        Refund: refundSchema,
        Problem: problemSchema,
        ...webhookOpenApiSchemas,
      },
    },
    paths: { ...paymentPaths, ...webhookOpenApiPaths },
  };
}
