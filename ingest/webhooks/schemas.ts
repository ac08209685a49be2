import { z } from "zod";
import { allWebhookEvents, webhookEventTypes } from "@pay/lib/domain";

/** Endpoints one merchant may register: a bound against runaway scripts. */
export const webhookEndpointsPerMerchantMax = 16;

/** Longest endpoint description. */
export const webhookDescriptionCharsMax = 500;

/** Events one page lists at most, and by default. */
export const eventListLimitMax = 100;
export const eventListLimitDefault = 20;

const eventsSchema = z.array(
  z.enum([allWebhookEvents, ...webhookEventTypes], {
    error: `must be "*" or event types: ${webhookEventTypes.join(", ")}`,
  }),
).min(1, "must name at least one event type").max(webhookEventTypes.length + 1);

// The URL is a string here; its rules (scheme, credentials, length, address) are checkWebhookUrl's.
const urlSchema = z.string().min(1, "must not be empty");

export const createEndpointSchema = z.strictObject({
  url: urlSchema,
  events: eventsSchema.optional(),
  description: z.string().max(webhookDescriptionCharsMax).optional(),
});

export const updateEndpointSchema = z.strictObject({
  url: urlSchema.optional(),
  events: eventsSchema.optional(),
  description: z.string().max(webhookDescriptionCharsMax).nullable().optional(),
  status: z.enum(["enabled", "disabled"]).optional(),
});

export const emptyBodySchema = z.strictObject({});

export const eventListQuerySchema = z.strictObject({
  type: z.enum(webhookEventTypes).optional(),
  paymentId: z.string().regex(/^pay_[0-9a-z]{26}$/, "must be a payment id").optional(),
  limit: z.coerce.number().int().min(1).max(eventListLimitMax).default(eventListLimitDefault),
  cursor: z.string().regex(/^[A-Za-z0-9_-]{1,120}$/, "must be a cursor from nextCursor").optional(),
});
