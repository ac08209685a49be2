/**
 * Typed identifiers.
 *
 * Payment and request ids are opaque: a prefix, then 26 characters of
 * Crockford base32 — 10 of millisecond time (so ids sort by creation) and 16
 * of randomness (80 bits, so collisions need ~2^40 ids in one millisecond).
 */
export type PaymentId = string & { readonly __brand: "PaymentId" };
export type MerchantId = string & { readonly __brand: "MerchantId" };
export type EventId = string & { readonly __brand: "EventId" };
export type RequestId = string & { readonly __brand: "RequestId" };
export type WebhookEndpointId = string & { readonly __brand: "WebhookEndpointId" };

const crockford = "0123456789abcdefghjkmnpqrstvwxyz";
const timeChars = 10;
const randomChars = 16;

export const idPrefixes = {
  payment: "pay_",
  event: "evt_",
  capture: "cap_",
  refund: "ref_",
  webhookEndpoint: "we_",
} as const;

export function sortableId(nowMs = Date.now()): string {
  let time = "";
  let t = nowMs;
  for (let i = 0; i < timeChars; i++) {
    time = crockford[t % 32] + time;
    t = Math.floor(t / 32);
  }
  const bytes = crypto.getRandomValues(new Uint8Array(randomChars));
  let random = "";
  for (const byte of bytes) random += crockford[byte % 32];
  return time + random;
}

const idBodyPattern = "[0-9a-hjkmnp-tv-z]{26}";
const paymentIdRegex = new RegExp(`^pay_${idBodyPattern}$`);
const merchantIdRegex = /^[A-Za-z0-9_-]{1,64}$/;

export function newPaymentId(): PaymentId {
  return (idPrefixes.payment + sortableId()) as PaymentId;
}

export function newEventId(): EventId {
  return (idPrefixes.event + sortableId()) as EventId;
}

export function newCaptureRequestId(): RequestId {
  return (idPrefixes.capture + sortableId()) as RequestId;
}

export function newRefundRequestId(): RequestId {
  return (idPrefixes.refund + sortableId()) as RequestId;
}

export function newWebhookEndpointId(): WebhookEndpointId {
  return (idPrefixes.webhookEndpoint + sortableId()) as WebhookEndpointId;
}

const webhookEndpointIdRegex = new RegExp(`^we_${idBodyPattern}$`);
const eventIdRegex = new RegExp(`^evt_${idBodyPattern}$`);
const refundIdRegex = new RegExp(`^ref_${idBodyPattern}$`);

export function isWebhookEndpointId(value: unknown): value is WebhookEndpointId {
  return typeof value === "string" && webhookEndpointIdRegex.test(value);
}

export function isEventId(value: unknown): value is EventId {
  return typeof value === "string" && eventIdRegex.test(value);
}

/** A refund's id: the id of its refund request (`ref_…`). */
export function isRefundId(value: unknown): value is RequestId {
  return typeof value === "string" && refundIdRegex.test(value);
}

export function isPaymentId(value: unknown): value is PaymentId {
  return typeof value === "string" && paymentIdRegex.test(value);
}

export function isMerchantId(value: unknown): value is MerchantId {
  return typeof value === "string" && merchantIdRegex.test(value);
}
