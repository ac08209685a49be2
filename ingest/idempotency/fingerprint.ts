import { createHash } from "node:crypto";
import type { PaymentMode } from "@pay/lib/domain";

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
 *
 * A key's scope is (merchant, key) across modes, so the key's mode is part of
 * the request: a test-mode request never replays a live answer (or the
 * reverse); it is 422 idempotency_key_mismatch. Test mode adds a line; live
 * (and requests without a mode: webhook endpoints) keep the form of before
 * modes, so live requests stored before modes still replay.
 */
export function requestFingerprint(
  method: string,
  path: string,
  body: Record<string, unknown>,
  mode?: PaymentMode,
): string {
  const { idempotencyKey: _key, ...rest } = body;
  const modeLine = mode === "test" ? "test\n" : "";
  return createHash("sha256")
    .update(`${modeLine}${method.toUpperCase()}\n${path}\n${canonicalJson(rest)}`)
    .digest("hex");
}
