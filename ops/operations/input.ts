import { z } from "zod";
import { isPaymentStatus, paymentStatuses, supportedCurrencies } from "@pay/lib/domain";

/**
 * Input schemas shared by the HTTP API (query strings and JSON bodies), the
 * MCP tools (JSON) and the CLI (flags): every value may arrive as text.
 */

/** A page size in [1, max] with a default. */
export function limitInput(defaultValue: number, max: number) {
  return z.coerce.number().int().min(1).max(max).default(defaultValue)
    .describe(`Rows to return (1-${max}, default ${defaultValue})`);
}

export const booleanInput = z.union([
  z.boolean(),
  z.enum(["true", "false", "1", "0", ""]).transform((v) => v === "true" || v === "1" || v === ""),
]);

/** An instant as ISO 8601 text (or epoch milliseconds). */
export const instantInput = z.union([z.string(), z.number()]).transform((value, ctx) => {
  const date = typeof value === "number" || /^\d+$/.test(value)
    ? new Date(Number(value))
    : new Date(value);
  if (Number.isNaN(date.getTime())) {
    ctx.addIssue({ code: "custom", message: `not an ISO 8601 timestamp: ${value}` });
    return z.NEVER;
  }
  return date;
}).describe("ISO 8601 timestamp, e.g. 2025-01-31T12:00:00Z");

export const merchantIdInput = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, "1-64 of A-Z a-z 0-9 _ -")
  .describe("Merchant id, e.g. M123");

export const paymentIdInput = z.string().regex(/^pay_[0-9a-z]{26}$/, "a payment id pay_...")
  .describe("Payment id, e.g. pay_01j...");

export const paymentStatusInput = z.string().refine(isPaymentStatus, {
  message: `one of ${paymentStatuses.join(", ")}`,
}).describe(`Payment status: ${paymentStatuses.join(", ")}`);

export const currencyInput = z.enum(supportedCurrencies as [string, ...string[]]);

/** A list of positive integer ids, as an array or as "1,2,3". */
export const idListInput = z.union([
  z.array(z.coerce.number().int().positive()),
  z.string().transform((text, ctx) => {
    const ids = text.split(",").map((s) => s.trim()).filter(Boolean).map(Number);
    if (ids.some((id) => !Number.isSafeInteger(id) || id < 1)) {
      ctx.addIssue({ code: "custom", message: `expected ids like 1,2,3: ${text}` });
      return z.NEVER;
    }
    return ids;
  }),
]).describe("Row ids: an array, or comma-separated text");

/** A UTC day `YYYY-MM-DD`. */
export const utcDateInput = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "a UTC date YYYY-MM-DD")
  .refine((d) =>
    !Number.isNaN(Date.parse(`${d}T00:00:00Z`)) &&
    new Date(`${d}T00:00:00Z`).toISOString().startsWith(d), { message: "not a calendar date" })
  .describe("UTC date YYYY-MM-DD");
