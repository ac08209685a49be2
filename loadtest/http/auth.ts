import { signedHeaders } from "@pay/lib/http";

/** A merchant the generator acts for, with its API key (gateway) or only its id (direct). */
export interface LoadMerchant {
  readonly merchantId: string;
  readonly apiKey?: string;
}

/**
 * How requests are authenticated: with the merchant's API key (through the
 * gateway), or signed as the gateway signs them (straight to one ingest
 * instance, which accepts only signed requests).
 */
export type LoadAuth =
  | { readonly kind: "bearer" }
  | { readonly kind: "signed"; readonly secret: string };

export function authHeaders(
  auth: LoadAuth,
  merchant: LoadMerchant,
  method: string,
  path: string,
  body: string,
): Record<string, string> {
  if (auth.kind === "bearer") {
    if (!merchant.apiKey) {
      throw new Error(`Merchant has no API key: ${merchant.merchantId}`);
    }
    return { authorization: `Bearer ${merchant.apiKey}` };
  }
  return signedHeaders(auth.secret, {
    method,
    pathWithQuery: path,
    merchantId: merchant.merchantId,
    body,
    timestampSeconds: Math.floor(Date.now() / 1000),
    nonce: crypto.randomUUID(),
  });
}
