import { BodyTooLargeError, readBodyLimited } from "@pay/lib/http";

export { BodyTooLargeError, readBodyLimited };

export interface BodyFields {
  /** The body's `merchantId` when it is a JSON object that has one. */
  readonly merchantId?: unknown;
  /** The seed-compatible body field `idempotencyKey`, when present. */
  readonly idempotencyKey?: unknown;
}

/**
 * The few fields the gateway looks at, from a JSON body; empty when the body is
 * not a JSON object (ingest answers malformed bodies with 400).
 */
export function bodyFieldsOf(body: Uint8Array): BodyFields {
  if (body.byteLength === 0) return {};
  try {
    const parsed: unknown = JSON.parse(new TextDecoder().decode(body));
    if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) return {};
    const { merchantId, idempotencyKey } = parsed as Record<string, unknown>;
    return { merchantId, idempotencyKey };
  } catch {
    return {};
  }
}
