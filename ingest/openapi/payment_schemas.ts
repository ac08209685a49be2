import { paymentStatuses, refundStatuses } from "@pay/lib/domain";

/** The Payment and Refund objects of the API, and examples of them. */

export const paymentSchema = {
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

export const refundSchema = {
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

export const paymentListSchema = {
  type: "object",
  required: ["data", "nextCursor"],
  properties: {
    data: { type: "array", items: { $ref: "#/components/schemas/Payment" } },
    nextCursor: {
      type: ["string", "null"],
      description: "Pass as `cursor` for the next page; null on the last page",
    },
  },
};

const paymentId = "pay_01jf3x4k5m6n7p8q9r0s1t2v3w";

export const refundExample = {
  refundId: "ref_01jf3x9a2b3c4d5e6f7g8h9j0k",
  paymentId,
  status: "PENDING",
  amount: 4000,
  currency: "KRW",
  reason: "size exchange",
  failureCode: null,
  createdAt: "2026-01-31T09:05:00.000Z",
  completedAt: null,
};

/** A payment in `status`, with the amounts and refunds that status implies. */
export function paymentExample(status: (typeof paymentStatuses)[number]) {
  const captured = ["AUTHORIZED", "CANCELLED", "AUTH_FAILED", "CAPTURE_REQUESTED"].includes(status)
    ? 0
    : 10000;
  const refunds = status === "REFUND_REQUESTED" ? [refundExample] : [];
  return {
    paymentId,
    merchantId: "M123",
    status,
    amount: 10000,
    currency: "KRW",
    capturedAmount: captured,
    refundedAmount: 0,
    orderId: "order-1001",
    description: null,
    metadata: { order_ref: "A-1001" },
    livemode: false,
    refunds,
    ...(status === "REFUND_REQUESTED" ? { refundId: refundExample.refundId } : {}),
    createdAt: "2026-01-31T09:00:00.000Z",
    updatedAt: "2026-01-31T09:05:00.000Z",
  };
}
