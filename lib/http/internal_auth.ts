import { createHash, createHmac, timingSafeEqual } from "node:crypto";
import { isPaymentMode, type PaymentMode } from "../domain/mod.ts";

/**
 * Signed gateway → ingest requests. The gateway authenticates the merchant,
 * then signs method, path (with query), timestamp, nonce, body digest,
 * merchant id and the key's mode (test or live) with a shared secret. Ingest
 * trusts only fresh, valid signatures and never sees API keys.
 */
export const internalHeaders = {
  merchant: "x-pay-merchant",
  mode: "x-pay-mode",
  timestamp: "x-pay-timestamp",
  nonce: "x-pay-nonce",
  signature: "x-pay-signature",
} as const;

export interface SignInput {
  readonly method: string;
  readonly pathWithQuery: string;
  readonly merchantId: string;
  /** The mode of the merchant's key; default test (benches and tests that sign their own requests). */
  readonly mode?: PaymentMode;
  readonly body: Uint8Array | string;
  readonly timestampSeconds: number;
  readonly nonce: string;
}

export function bodyDigestHex(body: Uint8Array | string): string {
  return createHash("sha256").update(body).digest("hex");
}

export function signatureOf(secret: string, input: SignInput): string {
  const canonical = [
    input.method.toUpperCase(),
    input.pathWithQuery,
    String(input.timestampSeconds),
    input.nonce,
    bodyDigestHex(input.body),
    input.merchantId,
    input.mode ?? "test",
  ].join("\n");
  return createHmac("sha256", secret).update(canonical).digest("hex");
}

/** The headers a signed request carries. */
export function signedHeaders(secret: string, input: SignInput): Record<string, string> {
  return {
    [internalHeaders.merchant]: input.merchantId,
    [internalHeaders.mode]: input.mode ?? "test",
    [internalHeaders.timestamp]: String(input.timestampSeconds),
    [internalHeaders.nonce]: input.nonce,
    [internalHeaders.signature]: signatureOf(secret, input),
  };
}

export type VerifyResult =
  | {
    readonly ok: true;
    readonly merchantId: string;
    readonly mode: PaymentMode;
    readonly nonce: string;
  }
  | { readonly ok: false; readonly reason: string };

export interface VerifyInput {
  readonly method: string;
  readonly pathWithQuery: string;
  readonly headers: Headers;
  readonly body: Uint8Array | string;
  readonly nowSeconds: number;
}

/** Checks presence, freshness and the HMAC (in constant time). Replay of a nonce is the caller's check. */
export function verifySignature(
  secret: string,
  maxSkewSeconds: number,
  input: VerifyInput,
): VerifyResult {
  const merchantId = input.headers.get(internalHeaders.merchant);
  const mode = input.headers.get(internalHeaders.mode);
  const timestamp = input.headers.get(internalHeaders.timestamp);
  const nonce = input.headers.get(internalHeaders.nonce);
  const signature = input.headers.get(internalHeaders.signature);
  if (!merchantId || !mode || !timestamp || !nonce || !signature) {
    return { ok: false, reason: "Missing internal signature headers" };
  }
  if (!isPaymentMode(mode)) return { ok: false, reason: `Invalid internal mode: ${mode}` };
  const timestampSeconds = Number(timestamp);
  if (
    !Number.isInteger(timestampSeconds) ||
    Math.abs(input.nowSeconds - timestampSeconds) > maxSkewSeconds
  ) {
    return { ok: false, reason: `Signature timestamp outside the allowed window: ${timestamp}` };
  }
  const expected = signatureOf(secret, {
    method: input.method,
    pathWithQuery: input.pathWithQuery,
    merchantId,
    mode,
    body: input.body,
    timestampSeconds,
    nonce,
  });
  const given = new TextEncoder().encode(signature);
  const wanted = new TextEncoder().encode(expected);
  if (given.length !== wanted.length || !timingSafeEqual(given, wanted)) {
    return { ok: false, reason: "Invalid internal signature" };
  }
  return { ok: true, merchantId, mode, nonce };
}
