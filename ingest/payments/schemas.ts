import { z } from "zod";
import {
  amountMinorMax,
  type Currency,
  paymentStatuses,
  supportedCurrencies,
  ValidationError,
} from "@pay/lib/domain";
import { isTestCardToken, pgTestCards } from "@pay/lib/pg";

/** Printable ASCII without spaces, 1..255 characters (fits the idempotency_record key column). */
export const idempotencyKeySchema = z.string().regex(
  /^[\x21-\x7e]{1,255}$/,
  "must be 1-255 printable ASCII characters without spaces",
);

const amountSchema = z.number().int("must be an integer of minor units").positive(
  "must be greater than 0",
).max(amountMinorMax, `must be at most ${amountMinorMax}`);

const merchantIdSchema = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, "must be a merchant id");

/** Test-card token understood by the PG, e.g. tok_visa, tok_decline. */
export const defaultPaymentMethod = "tok_visa";

export const authorizeBodySchema = z.strictObject({
  merchantId: merchantIdSchema.optional(),
  amount: amountSchema,
  currency: z.enum(supportedCurrencies as [Currency, ...Currency[]], {
    error: `must be one of ${supportedCurrencies.join(", ")}`,
  }),
  idempotencyKey: idempotencyKeySchema.optional(),
  orderId: z.string().min(1).max(64).optional(),
  description: z.string().max(255).optional(),
  paymentMethod: z.string().refine(isTestCardToken, {
    error: `must be a card token: ${pgTestCards.map((card) => card.token).join(", ")}`,
  }).optional(),
}).describe("AuthorizeRequest");

export const captureBodySchema = z.strictObject({
  merchantId: merchantIdSchema.optional(),
  amount: amountSchema.optional(),
  idempotencyKey: idempotencyKeySchema.optional(),
}).describe("CaptureRequest");

export const refundBodySchema = z.strictObject({
  merchantId: merchantIdSchema.optional(),
  amount: amountSchema.optional(),
  reason: z.string().max(255).optional(),
  idempotencyKey: idempotencyKeySchema.optional(),
}).describe("RefundRequest");

export const cancelBodySchema = z.strictObject({
  merchantId: merchantIdSchema.optional(),
  reason: z.string().max(255).optional(),
  idempotencyKey: idempotencyKeySchema.optional(),
}).describe("CancelRequest");

/** Largest page of the payments list. */
export const listLimitMax = 100;
export const listLimitDefault = 20;

export const listQuerySchema = z.strictObject({
  status: z.enum(paymentStatuses).optional(),
  limit: z.coerce.number().int().min(1).max(listLimitMax).default(listLimitDefault),
  cursor: z.string().regex(/^[A-Za-z0-9_-]{1,80}$/, "must be a cursor from nextCursor").optional(),
});

/** Parses with `schema` or throws a ValidationError naming the first offending field. */
export function parseOrThrow<T>(schema: z.ZodType<T>, value: unknown): T {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  const path = issue.path.join(".");
  if (issue.code === "unrecognized_keys") {
    const key = issue.keys[0]!;
    throw new ValidationError(`Unknown field: ${key}`, key);
  }
  throw new ValidationError(
    path ? `${path}: ${issue.message}` : issue.message,
    path || undefined,
  );
}
