import { Webhook } from "standardwebhooks";

/** The Standard Webhooks headers of one attempt. */
export interface WebhookHeaders {
  readonly "webhook-id": string;
  readonly "webhook-timestamp": string;
  readonly "webhook-signature": string;
}

/**
 * Signs `body` for event `id` at `at` with every secret given (the current
 * one and, during a rotation's overlap, the previous one): the signatures are
 * space-separated, and a receiver accepts the delivery if any verifies.
 * Signing is the reference `standardwebhooks` library's, not our own.
 */
export function signWebhook(
  secrets: readonly string[],
  id: string,
  at: Date,
  body: string,
): WebhookHeaders {
  const timestamp = Math.floor(at.getTime() / 1000);
  // The library signs with the timestamp in whole seconds; pass exactly that instant.
  const signedAt = new Date(timestamp * 1000);
  const signatures = secrets.map((secret) => new Webhook(secret).sign(id, signedAt, body));
  return {
    "webhook-id": id,
    "webhook-timestamp": String(timestamp),
    "webhook-signature": signatures.join(" "),
  };
}
