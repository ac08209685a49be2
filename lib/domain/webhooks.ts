import { type PaymentTopic, topics } from "./events.ts";

/**
 * Merchant webhooks (DESIGN §11): which payment events become webhook events,
 * what an endpoint subscribes to, its secrets and the retry schedule. Pure.
 */

/** Event types a merchant receives: the DESIGN §6 topic names of lifecycle outcomes. */
export const webhookEventTypes = [
  topics.authorized,
  topics.declined,
  topics.captured,
  topics.captureFailed,
  topics.refunded,
  topics.refundFailed,
  topics.cancelled,
  topics.expired,
] as const satisfies readonly PaymentTopic[];

export type WebhookEventType = typeof webhookEventTypes[number];

/** Subscribing to every type, present and future. */
export const allWebhookEvents = "*";

export function isWebhookEventType(value: unknown): value is WebhookEventType {
  return (webhookEventTypes as readonly unknown[]).includes(value);
}

/** Whether an endpoint subscribed to `events` receives `type`. */
export function endpointWants(events: readonly string[], type: string): boolean {
  return events.includes(allWebhookEvents) || events.includes(type);
}

export type WebhookEndpointStatus = "enabled" | "disabled";

/** The JSON of one webhook event: the body every delivery of it sends, byte for byte. */
export interface WebhookEventJson {
  readonly id: string;
  readonly type: WebhookEventType;
  readonly createdAt: string;
  readonly data: Readonly<Record<string, unknown>>;
}

/**
 * Random bytes of a signing secret: 32 (256 bits, the HMAC-SHA256 block's
 * worth of key) is above the issue's floor of 24 and what Standard Webhooks'
 * own libraries generate.
 */
export const webhookSecretBytes = 32;

/** A Standard Webhooks secret: `whsec_` + base64 of random bytes. */
export function newWebhookSecret(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(webhookSecretBytes));
  return "whsec_" + btoa(String.fromCharCode(...bytes));
}

/**
 * How long a rotated-out secret keeps signing next to the new one, so a
 * merchant can deploy the new secret without missing a delivery.
 */
export const webhookSecretOverlapMs = 24 * 3_600_000;

/**
 * Delays after each failed attempt (the schedule, stretched to about
 * three days: 5 s, 5 min, 30 min, 2 h, 5 h, then 10 h, with a last 14 h).
 * Attempts = delays + 1; after the last failure the delivery is FAILED.
 */
export const webhookRetryDelaysMs: readonly number[] = [
  5_000,
  300_000,
  1_800_000,
  7_200_000,
  18_000_000,
  36_000_000,
  36_000_000,
  36_000_000,
  36_000_000,
  36_000_000,
  50_400_000,
];

/** ± this share of a delay is random, so endpoints failing together do not retry in lockstep. */
export const webhookRetryJitterRatio = 0.2;

/**
 * The delay before attempt `attempts + 1` after `attempts` failed ones, or
 * null when the schedule is exhausted. `random` in [0, 1) picks the jitter.
 */
export function webhookRetryDelayMs(
  schedule: readonly number[],
  attempts: number,
  random: number,
): number | null {
  const base = schedule[attempts - 1];
  if (base === undefined) return null;
  return Math.round(base * (1 + webhookRetryJitterRatio * (2 * random - 1)));
}
