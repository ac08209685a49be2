import { apiKeyMatches, type ApiKeyRecord, parseApiKey } from "@pay/lib/db";
import type { PaymentMode } from "@pay/lib/domain";

export type AuthResult =
  | {
    readonly ok: true;
    readonly merchantId: string;
    readonly keyId: string;
    /** The key's mode: its payments are this mode's, and it sees no other. */
    readonly mode: PaymentMode;
  }
  | {
    readonly ok: false;
    readonly code: "unauthorized" | "forbidden" | "publishable_key";
    readonly detail: string;
  };

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
  /**
   * A valid secret key of the former `pk_<env>_…` format was used: called once
   * per key id and process, so the log says which keys to replace without
   * repeating on every request.
   */
  readonly onDeprecatedKey?: (key: { keyId: string; merchantId: string }) => void;
}

/**
 * Distinct key ids cached at once. Far above any real merchant count; bounds
 * memory when someone sprays random key ids (unknown ids are cached too).
 */
export const apiKeyCacheEntriesMax = 10_000;

/**
 * Key ids remembered as already reported deprecated. Only keys that passed
 * the secret check get here, so this bounds real keys, not sprayed ones;
 * past it a key may be reported again, which is harmless.
 */
export const deprecatedKeysReportedMax = 10_000;

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
  const reportedDeprecated = new Set<string>();

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

  function reportDeprecated(record: ApiKeyRecord): void {
    if (reportedDeprecated.has(record.keyId)) return;
    if (reportedDeprecated.size >= deprecatedKeysReportedMax) reportedDeprecated.clear();
    reportedDeprecated.add(record.keyId);
    options.onDeprecatedKey?.({ keyId: record.keyId, merchantId: record.merchantId });
  }

  return {
    async verify(authorization) {
      if (!authorization) {
        return unauthorized("Missing API key: send Authorization: Bearer sk_<test|live>_…");
      }
      const apiKey = bearerPattern.exec(authorization)?.[1];
      const parsed = apiKey === undefined ? null : parseApiKey(apiKey);
      if (!apiKey || !parsed) {
        return unauthorized(
          "Malformed API key: expected Authorization: Bearer sk_<test|live>_<keyId>_<secret>",
        );
      }
      const record = await recordOf(parsed.keyId);
      if (!record || !apiKeyMatches(apiKey, record.keyHash)) {
        return unauthorized(`Invalid API key: ${parsed.keyId}`);
      }
      if (record.revoked) return unauthorized(`API key revoked: ${parsed.keyId}`);
      if (record.kind === "publishable") {
        return {
          ok: false,
          code: "publishable_key",
          detail:
            `Publishable keys cannot call this API; use a secret key (sk_${parsed.mode}_…) from your server: ${parsed.keyId}`,
        };
      }
      if (!record.merchantActive) {
        return {
          ok: false,
          code: "forbidden",
          detail: `Merchant is not active: ${record.merchantId}`,
        };
      }
      if (parsed.prefix === "pk") reportDeprecated(record);
      return { ok: true, merchantId: record.merchantId, keyId: record.keyId, mode: parsed.mode };
    },
  };
}

function unauthorized(detail: string): AuthResult {
  return { ok: false, code: "unauthorized", detail };
}
