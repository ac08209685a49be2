import { z } from "zod";
import {
  amountMinorMax,
  type Currency,
  metadataKeyCharsMax,
  metadataKeysMax,
  metadataValueCharsMax,
  paymentStatuses,
  supportedCurrencies,
  ValidationError,
} from "@pay/lib/domain";
import { isTestCardToken, pgTestCards } from "@pay/lib/pg";

/**
 * Every field has ONE rule message, whichever of its checks failed (type,
 * integer, range), so `limit=0`, `limit=ten` and `limit=1000` read alike, and
 * so do an amount of 1e15, one beyond 2^53 and one overflowing to Infinity.
 */
const rule = (message: string) => ({ error: message });

const idempotencyKeyRule = "must be 1-255 printable ASCII characters without spaces";

/** Printable ASCII without spaces, 1..255 characters (fits the idempotency_record key column). */
export const idempotencyKeySchema = z.string(rule(idempotencyKeyRule)).regex(
  /^[\x21-\x7e]{1,255}$/,
  rule(idempotencyKeyRule),
);

const amountRule = `must be an integer from 1 to ${amountMinorMax} (minor units)`;

function amountOf(number: z.ZodNumber) {
  return number.int(rule(amountRule)).min(1, rule(amountRule)).max(
    amountMinorMax,
    rule(amountRule),
  );
}

const amountSchema = amountOf(z.number(rule(amountRule)));

const merchantIdSchema = z.string(rule("must be a merchant id")).regex(
  /^[A-Za-z0-9_-]{1,64}$/,
  rule("must be a merchant id"),
);

const text = (min: number, max: number) => {
  const message = min > 0
    ? `must be a string of ${min}-${max} characters`
    : `must be a string of at most ${max} characters`;
  return z.string(rule(message)).min(min, rule(message)).max(max, rule(message));
};

const orderIdSchema = text(1, 64);

/** Test-card token understood by the PG, e.g. tok_visa, tok_decline. */
export const defaultPaymentMethod = "tok_visa";

const metadataKeyRule = `keys must be 1-${metadataKeyCharsMax} characters without square brackets`;
const metadataValueRule = `values must be strings of at most ${metadataValueCharsMax} characters`;

/** The JSON Schema of metadata (the custom check below has none of its own). */
const metadataJsonSchema = {
  type: "object",
  maxProperties: metadataKeysMax,
  propertyNames: { minLength: 1, maxLength: metadataKeyCharsMax, pattern: "^[^\\[\\]]*$" },
  additionalProperties: { type: "string", maxLength: metadataValueCharsMax },
  description:
    `Your key-value strings, returned with the payment: at most ${metadataKeysMax} keys of 1-${metadataKeyCharsMax} characters (no square brackets), string values of at most ${metadataValueCharsMax} characters`,
  examples: [{ order_ref: "A-1001", channel: "web" }],
};

/** Stripe's limits: ≤ 50 keys, keys ≤ 40 characters, values strings ≤ 500 characters. */
export const metadataSchema = z.custom<unknown>(
  // A record drops a "__proto__" key (it cannot be assigned): refused rather than lost.
  (value) => !(typeof value === "object" && value !== null && Object.hasOwn(value, "__proto__")),
  rule(`keys may not be "__proto__"`),
).meta(metadataJsonSchema).pipe(z.record(
  z.string().min(1, rule(metadataKeyRule)).max(metadataKeyCharsMax, rule(metadataKeyRule))
    .regex(/^[^[\]]*$/, rule(metadataKeyRule)),
  z.string(rule(metadataValueRule)).max(metadataValueCharsMax, rule(metadataValueRule)),
  rule(`must be an object of string values (at most ${metadataKeysMax} keys)`),
)).refine(
  (metadata) => Object.keys(metadata).length <= metadataKeysMax,
  rule(`must have at most ${metadataKeysMax} keys`),
);

const currencyRule = `must be one of ${supportedCurrencies.join(", ")}`;

export const authorizeBodySchema = z.strictObject({
  merchantId: merchantIdSchema.optional(),
  amount: amountSchema,
  currency: z.enum(supportedCurrencies as [Currency, ...Currency[]], rule(currencyRule)),
  idempotencyKey: idempotencyKeySchema.optional(),
  orderId: orderIdSchema.optional(),
  description: text(0, 255).optional(),
  paymentMethod: z.string(rule("must be a card token")).refine(isTestCardToken, {
    error: `must be a card token: ${pgTestCards.map((card) => card.token).join(", ")}`,
  }).optional(),
  metadata: metadataSchema.optional(),
}).describe("AuthorizeRequest");

export const captureBodySchema = z.strictObject({
  merchantId: merchantIdSchema.optional(),
  amount: amountSchema.optional(),
  idempotencyKey: idempotencyKeySchema.optional(),
}).describe("CaptureRequest");

export const refundBodySchema = z.strictObject({
  merchantId: merchantIdSchema.optional(),
  amount: amountSchema.optional(),
  reason: text(0, 255).optional(),
  idempotencyKey: idempotencyKeySchema.optional(),
}).describe("RefundRequest");

export const cancelBodySchema = z.strictObject({
  merchantId: merchantIdSchema.optional(),
  reason: text(0, 255).optional(),
  idempotencyKey: idempotencyKeySchema.optional(),
}).describe("CancelRequest");

/** Largest page of the payments list. */
export const listLimitMax = 100;
export const listLimitDefault = 20;

const limitRule = `must be an integer from 1 to ${listLimitMax}`;

const instantRule =
  "must be an ISO 8601 date or date-time with offset, e.g. 2026-01-31 or 2026-01-31T09:00:00+09:00";

/** A date (UTC midnight) or a date-time with its offset, as a Date. */
const instantSchema = z.union([z.iso.datetime({ offset: true }), z.iso.date()], rule(instantRule))
  .transform((text) => new Date(text.length === 10 ? `${text}T00:00:00Z` : text));

const queryAmountSchema = amountOf(z.coerce.number(rule(amountRule)));

export const listQuerySchema = z.strictObject({
  status: z.enum(paymentStatuses, rule(`must be one of ${paymentStatuses.join(", ")}`))
    .optional(),
  limit: z.coerce.number(rule(limitRule)).int(rule(limitRule)).min(1, rule(limitRule))
    .max(listLimitMax, rule(limitRule)).default(listLimitDefault),
  cursor: z.string().regex(/^[A-Za-z0-9_-]{1,80}$/, rule("must be a cursor from nextCursor"))
    .optional(),
  orderId: orderIdSchema.optional(),
  createdFrom: instantSchema.optional(),
  createdTo: instantSchema.optional(),
  amountMin: queryAmountSchema.optional(),
  amountMax: queryAmountSchema.optional(),
}).superRefine((q, ctx) => {
  if (q.createdFrom && q.createdTo && q.createdFrom >= q.createdTo) {
    ctx.addIssue({ code: "custom", path: ["createdTo"], message: "must be after createdFrom" });
  }
  if (q.amountMin !== undefined && q.amountMax !== undefined && q.amountMin > q.amountMax) {
    ctx.addIssue({ code: "custom", path: ["amountMax"], message: "must be at least amountMin" });
  }
});

/** Longest rendering of an offending value in a message. */
const offendingValueCharsMax = 64;

/**
 * Parses with `schema` or throws a ValidationError that names the offending
 * parameter (`param`, and first in the message: `<param>: <rule>: <value>`).
 * `param` names a value that is not inside an object (a header).
 */
export function parseOrThrow<T>(schema: z.ZodType<T>, value: unknown, param?: string): T {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  if (issue.code === "unrecognized_keys") {
    const key = issue.keys[0]!;
    throw new ValidationError(`${key}: is not a field of this request`, key);
  }
  // A bad key is named as the value of its object: the key may be too long to be a param.
  const badKey = issue.code === "invalid_key";
  const at = badKey ? issue.path.slice(0, -1) : issue.path;
  const path = [...(param ? [param] : []), ...at.map(String)].join(".");
  const message = badKey ? issue.issues[0]?.message : issue.message;
  const shown = offendingText(badKey ? String(issue.path.at(-1)) : valueAt(value, issue.path));
  throw new ValidationError(
    `${path || "body"}: ${message}${shown === undefined ? "" : `: ${shown}`}`,
    path || "body",
  );
}

function valueAt(value: unknown, path: readonly PropertyKey[]): unknown {
  let current = value;
  for (const key of path) {
    if (current === null || typeof current !== "object") return undefined;
    current = (current as Record<PropertyKey, unknown>)[key];
  }
  return current;
}

/** A primitive as the client wrote it (strings quoted, cut); nothing for objects or a missing value. */
function offendingText(value: unknown): string | undefined {
  if (typeof value === "string") {
    return JSON.stringify(
      value.length > offendingValueCharsMax ? `${value.slice(0, offendingValueCharsMax)}…` : value,
    );
  }
  if (typeof value === "number" || typeof value === "boolean" || value === null) {
    return String(value);
  }
  return undefined;
}
