import { apiKeyMatches, type ApiKeyRecord, parseApiKey } from "@pay/lib/db";

export type AuthResult =
  | { readonly ok: true; readonly merchantId: string; readonly keyId: string }
  | { readonly ok: false; readonly code: "unauthorized" | "forbidden"; readonly detail: string };

export interface ApiKeyVerifier {
  /** Verifies an `Authorization` header value. Throws only when the key store is unreachable. */
  verify(authorization: string | null | undefined): Promise<AuthResult>;
}

export interface ApiKeyVerifierOptions {
  readonly lookup: (keyId: string) => Promise<ApiKeyRecord | null>;
  /**
   * How long a looked-up key row (or its absence) is trusted. A revocation takes
   * effect within this time; 0 looks up every request.
   */
  readonly ttlMs: number;
  readonly nowMs?: () => number;
  readonly onLookup?: (source: "cache" | "db") => void;
}

/**
 * Distinct key ids cached at once. Far above any real merchant count; bounds
 * memory when someone sprays random key ids (unknown ids are cached too).
 */
export const apiKeyCacheEntriesMax = 10_000;

interface CacheEntry {
  readonly record: ApiKeyRecord | null;
  readonly expiresAtMs: number;
}

const bearerPattern = /^Bearer +(\S+)\s*$/i;

/**
 * API-key authentication with a short in-memory cache of key rows by key id.
 * The secret is always checked (SHA-256, constant-time compare) against the
 * cached hash, so the cache never accepts a wrong secret. Concurrent misses for
 * one key id share a single lookup.
 */
export function createApiKeyVerifier(options: ApiKeyVerifierOptions): ApiKeyVerifier {
  const nowMs = options.nowMs ?? Date.now;
  const cache = new Map<string, CacheEntry>();
  const pending = new Map<string, Promise<ApiKeyRecord | null>>();

  async function recordOf(keyId: string): Promise<ApiKeyRecord | null> {
    const cached = cache.get(keyId);
    if (cached && cached.expiresAtMs > nowMs()) {
      options.onLookup?.("cache");
      return cached.record;
    }
    let lookup = pending.get(keyId);
    if (!lookup) {
      options.onLookup?.("db");
      lookup = options.lookup(keyId).finally(() => pending.delete(keyId));
      pending.set(keyId, lookup);
    }
    const record = await lookup;
    if (options.ttlMs > 0) remember(keyId, record);
    return record;
  }

  function remember(keyId: string, record: ApiKeyRecord | null): void {
    cache.delete(keyId);
    if (cache.size >= apiKeyCacheEntriesMax) {
      const oldest = cache.keys().next().value;
      if (oldest !== undefined) cache.delete(oldest);
    }
    cache.set(keyId, { record, expiresAtMs: nowMs() + options.ttlMs });
  }

  return {
    async verify(authorization) {
      if (!authorization) return unauthorized("Missing API key: send Authorization: Bearer <key>");
      const apiKey = bearerPattern.exec(authorization)?.[1];
      const parsed = apiKey === undefined ? null : parseApiKey(apiKey);
      if (!apiKey || !parsed) {
        return unauthorized(
          "Malformed API key: expected Authorization: Bearer pk_<env>_<keyId>_<secret>",
        );
      }
      const record = await recordOf(parsed.keyId);
      if (!record || !apiKeyMatches(apiKey, record.keyHash)) {
        return unauthorized(`Invalid API key: ${parsed.keyId}`);
      }
      if (record.revoked) return unauthorized(`API key revoked: ${parsed.keyId}`);
      if (!record.merchantActive) {
        return {
          ok: false,
          code: "forbidden",
          detail: `Merchant is not active: ${record.merchantId}`,
        };
      }
      return { ok: true, merchantId: record.merchantId, keyId: record.keyId };
    },
  };
}

function unauthorized(detail: string): AuthResult {
  return { ok: false, code: "unauthorized", detail };
}
