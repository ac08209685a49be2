import type { WebhookEndpointRecord, WebhookEventCursor, WebhookEventRecord } from "@pay/lib/db";

/** An endpoint as the API shows it; `secret` only on creation and rotation. */
export function endpointJson(e: WebhookEndpointRecord, withSecret = false) {
  return {
    id: e.id,
    url: e.url,
    description: e.description,
    events: e.events,
    status: e.status,
    disabledReason: e.disabledReason,
    ...(withSecret ? { secret: e.secret } : {}),
    createdAt: e.createdAt.toISOString(),
    updatedAt: e.updatedAt.toISOString(),
  };
}

/** An event as stored: the exact JSON its deliveries send. */
export function eventJson(e: WebhookEventRecord): unknown {
  return JSON.parse(e.payload);
}

/** The cursor is the last event of a page (time and id), opaque to clients. */
export function encodeEventCursor(e: WebhookEventRecord): string {
  return btoa(`${e.createdAt.getTime()}.${e.id}`).replaceAll("+", "-").replaceAll("/", "_")
    .replaceAll("=", "");
}

export function decodeEventCursor(cursor: string): WebhookEventCursor | undefined {
  try {
    const text = atob(cursor.replaceAll("-", "+").replaceAll("_", "/"));
    const match = /^(\d{1,15})\.(evt_[0-9a-z]{26})$/.exec(text);
    return match ? { at: new Date(Number(match[1])), id: match[2]! } : undefined;
  } catch {
    return undefined;
  }
}
