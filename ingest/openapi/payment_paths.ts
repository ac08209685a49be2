import { z } from "zod";
import { amountMinorMax, paymentStatuses } from "@pay/lib/domain";
import {
  authorizeBodySchema,
  cancelBodySchema,
  captureBodySchema,
  listLimitMax,
  refundBodySchema,
} from "../payments/schemas.ts";
import {
  bodyStatuses,
  idempotencyKeyParameter,
  idempotentStatuses,
  problemsOf,
  success,
} from "./components.ts";
import { curlSample } from "./guide.ts";
import { paymentExample, refundExample } from "./payment_schemas.ts";

/** The operations under /api/payments. */

function jsonBody(schema: z.ZodType, required: boolean, example: Record<string, unknown>) {
  return {
    required,
    content: {
      "application/json": {
        schema: z.toJSONSchema(schema, { io: "input", unrepresentable: "any" }),
        example,
      },
    },
  };
}

const paymentIdParam = {
  name: "paymentId",
  in: "path",
  required: true,
  schema: { type: "string" },
  example: "pay_01jf3x4k5m6n7p8q9r0s1t2v3w",
};

const optionalKey = idempotencyKeyParameter(
  false,
  "Scope (merchant, key): a repeat replays the first answer with Idempotent-Replayed: true; without a key a repeat is a new request",
);

/** A POST action on one payment (capture, refund, cancel). */
function paymentAction(spec: {
  operationId: string;
  summary: string;
  description: string;
  action: string;
  schema: z.ZodType;
  example: Record<string, unknown>;
  status: string;
  answer: ReturnType<typeof paymentExample>;
}) {
  return {
    post: {
      operationId: spec.operationId,
      tags: ["Payments"],
      summary: spec.summary,
      description: spec.description,
      parameters: [paymentIdParam, optionalKey],
      requestBody: jsonBody(spec.schema, false, spec.example),
      responses: {
        [spec.status]: success(spec.answer.status, "Payment", spec.answer, { replayable: true }),
        ...problemsOf([...bodyStatuses, ...idempotentStatuses, "404"]),
      },
      "x-codeSamples": curlSample("POST", `/api/payments/${spec.action}/{paymentId}`, {
        idempotencyKey: `${spec.action}-1001`,
        body: spec.example,
      }),
    },
  };
}

const listParameters = [
  { name: "status", in: "query", schema: { type: "string", enum: [...paymentStatuses] } },
  {
    name: "limit",
    in: "query",
    schema: { type: "integer", minimum: 1, maximum: listLimitMax, default: 20 },
  },
  {
    name: "cursor",
    in: "query",
    schema: { type: "string" },
    description: "The `nextCursor` of the previous page",
  },
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
    description: "Created at or after: a date (UTC midnight) or a date-time with its offset",
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
];

const authorizeExample = {
  amount: 10000,
  currency: "KRW",
  orderId: "order-1001",
  paymentMethod: "tok_visa",
  metadata: { order_ref: "A-1001" },
};

export const paymentPaths = {
  "/api/payments/authorize": {
    post: {
      operationId: "authorizePayment",
      tags: ["Payments"],
      summary: "Authorize a payment",
      description:
        "Reserves the amount on the card. In test mode `paymentMethod` picks a test card's outcome. A decline stores an AUTH_FAILED payment (402); a PG outage stores nothing (503): retry with the same key.",
      parameters: [
        idempotencyKeyParameter(
          true,
          "Required. Scope (merchant, key): a repeat replays the first answer with Idempotent-Replayed: true",
        ),
      ],
      requestBody: jsonBody(authorizeBodySchema, true, authorizeExample),
      responses: {
        "201": success("AUTHORIZED", "Payment", paymentExample("AUTHORIZED"), {
          replayable: true,
        }),
        "402": { $ref: "#/components/responses/Problem402" },
        ...problemsOf([...bodyStatuses, ...idempotentStatuses]),
      },
      "x-codeSamples": curlSample("POST", "/api/payments/authorize", {
        idempotencyKey: "order-1001-try-1",
        body: authorizeExample,
      }),
    },
  },
  "/api/payments/capture/{paymentId}": paymentAction({
    operationId: "capturePayment",
    summary: "Capture a payment (full or partial)",
    description:
      "Only from AUTHORIZED, before the authorization expires. Without `amount` the full authorized amount; the answer is CAPTURE_REQUESTED, then CAPTURED once the PG confirms.",
    action: "capture",
    schema: captureBodySchema,
    example: { amount: 10000 },
    status: "202",
    answer: paymentExample("CAPTURE_REQUESTED"),
  }),
  "/api/payments/refund/{paymentId}": paymentAction({
    operationId: "refundPayment",
    summary: "Refund a payment (full or partial)",
    description:
      "From CAPTURED or PARTIALLY_REFUNDED, up to the captured amount not yet refunded; one refund in flight at a time. The answer names the refund it created in `refundId` (also last in `refunds`).",
    action: "refund",
    schema: refundBodySchema,
    example: { amount: 4000, reason: "size exchange" },
    status: "202",
    answer: paymentExample("REFUND_REQUESTED"),
  }),
  "/api/payments/cancel/{paymentId}": paymentAction({
    operationId: "cancelPayment",
    summary: "Cancel (void) an authorized payment",
    description:
      "Only from AUTHORIZED (never captured); a captured payment is refunded instead (409 invalid_state).",
    action: "cancel",
    schema: cancelBodySchema,
    example: { reason: "customer changed their mind" },
    status: "200",
    answer: paymentExample("CANCELLED"),
  }),
  "/api/payments/{paymentId}": {
    get: {
      operationId: "getPayment",
      tags: ["Payments"],
      summary: "Get a payment",
      description: "The payment with its timeline (events), ledger lines and refunds.",
      parameters: [paymentIdParam],
      responses: {
        "200": success("The payment", "Payment", paymentExample("CAPTURED")),
        ...problemsOf(["400", "404"]),
      },
      "x-codeSamples": curlSample("GET", "/api/payments/{paymentId}"),
    },
  },
  "/api/payments/{paymentId}/refunds/{refundId}": {
    get: {
      operationId: "getRefund",
      tags: ["Refunds"],
      summary: "Get a refund",
      description:
        "One refund of a payment: PENDING until the PG answers, then SUCCEEDED or FAILED.",
      parameters: [
        paymentIdParam,
        {
          name: "refundId",
          in: "path",
          required: true,
          schema: { type: "string" },
          example: refundExample.refundId,
        },
      ],
      responses: {
        "200": success("The refund", "Refund", refundExample),
        ...problemsOf(["400", "404"]),
      },
      "x-codeSamples": curlSample("GET", "/api/payments/{paymentId}/refunds/{refundId}"),
    },
  },
  "/api/payments": {
    get: {
      operationId: "listPayments",
      tags: ["Payments"],
      summary: "List payments",
      description:
        "Your payments of your key's mode, newest first, keyset-paginated. Every given filter applies; each payment carries its refunds and metadata.",
      parameters: listParameters,
      responses: {
        "200": success("A page of payments", "PaymentList", {
          data: [paymentExample("CAPTURED")],
          nextCursor: null,
        }),
        ...problemsOf(["400"]),
      },
      "x-codeSamples": curlSample("GET", "/api/payments?status=CAPTURED&limit=20"),
    },
  },
};
