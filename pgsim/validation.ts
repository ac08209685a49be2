import { z } from "zod";
import type { Context } from "hono";
import { amountMinorMax, isCurrency } from "@pay/lib/domain";
import { pgHeaders, type PgProblem, pgProblem } from "@pay/lib/pg";

/** Longest idempotency key: room for a prefix and a UUID or ULID twice over. */
export const idempotencyKeyCharsMax = 255;

/** Longest reference: our payment and request ids are ~30 characters. */
export const referenceCharsMax = 128;

/** Longest payment-method token; test tokens are under 30 characters. */
export const paymentMethodCharsMax = 64;

const idempotencyKeyPattern = /^[\x21-\x7e]+$/;

const amount = z.number().int().positive().max(amountMinorMax);
const currency = z.string().refine(isCurrency, "must be a supported ISO 4217 currency");
const reference = z.string().min(1).max(referenceCharsMax);

export const authorizeBodySchema = z.object({
  merchantId: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, "must be 1-64 letters, digits, _ or -"),
  amount,
  currency,
  paymentMethod: z.string().min(1).max(paymentMethodCharsMax),
  reference,
});

export const amountBodySchema = z.object({ amount, currency, reference });

export const cancelBodySchema = z.object({ reference: reference.optional() });

/** A checked input, or the 400 problem saying why not. */
export type Checked<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly problem: PgProblem };

function invalid(detail: string, param?: string): { ok: false; problem: PgProblem } {
  return { ok: false, problem: pgProblem("validation_error", detail, param) };
}

/** The request's JSON body checked against `schema`; an empty body stands for `emptyMeans` when given. */
export async function parseBody<S extends z.ZodType>(
  c: Context,
  schema: S,
  emptyMeans?: unknown,
): Promise<Checked<z.output<S>>> {
  const text = await c.req.text();
  let value: unknown;
  if (text.trim() === "" && emptyMeans !== undefined) {
    value = emptyMeans;
  } else {
    try {
      value = JSON.parse(text);
    } catch {
      return invalid("Body is not valid JSON");
    }
  }
  const result = schema.safeParse(value);
  if (result.success) return { ok: true, value: result.data };
  const issue = result.error.issues[0]!;
  const param = issue.path.join(".");
  return invalid(`${param || "body"}: ${issue.message}`, param || undefined);
}

/** The Idempotency-Key header, required on every POST, or the 400 problem. */
export function idempotencyKeyOf(c: Context): Checked<string> {
  return checkedIdempotencyKey(c.req.header(pgHeaders.idempotencyKey), "Idempotency-Key");
}

/** An idempotency key from `param` (a header or query parameter), or the 400 problem. */
export function checkedIdempotencyKey(key: string | undefined, param: string): Checked<string> {
  if (key === undefined || key === "") return invalid(`${param} is required`, param);
  if (key.length > idempotencyKeyCharsMax || !idempotencyKeyPattern.test(key)) {
    return invalid(
      `${param} must be 1-${idempotencyKeyCharsMax} visible ASCII characters: ${key.slice(0, 40)}`,
      param,
    );
  }
  return { ok: true, value: key };
}
