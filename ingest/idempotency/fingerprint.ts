import { createHash } from "node:crypto";

/**
 * JSON with object keys sorted at every level, so two bodies that differ
 * only in key order or whitespace have the same fingerprint.
 */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
  }
  return JSON.stringify(value);
}

/**
 * The request fingerprint of DESIGN §3: method, path and canonical body. The
 * body's own `idempotencyKey` field is left out: it is the key, not the request.
 */
export function requestFingerprint(
  method: string,
  path: string,
  body: Record<string, unknown>,
): string {
  const { idempotencyKey: _key, ...rest } = body;
  return createHash("sha256").update(`${method.toUpperCase()}\n${path}\n${canonicalJson(rest)}`)
    .digest("hex");
}
