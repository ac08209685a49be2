import { Buffer } from "node:buffer";
import { createHash, timingSafeEqual } from "node:crypto";
import { sql } from "./batch.ts";
import { insertedValue, onDuplicateUpdate } from "./dialect.ts";
import type { Db } from "./port.ts";
import { isPaymentMode, modeOfKeyEnv, type PaymentMode } from "../domain/mod.ts";

/**
 * Merchants and their API keys.
 *
 * A key reads `<prefix>_<mode>_<keyId>_<secret>`, as integrators know them:
 * - `sk_test_…` / `sk_live_…`: secret keys, for the merchant's servers;
 * - `pk_test_…` / `pk_live_…`: publishable keys, safe in a browser (the
 *   payment API refuses them: nothing on it is for browsers);
 * - `pk_<env>_…` secret keys of the former format (`pk_dev_…`, `pk_test_…`,
 *   `pk_live_…`), still accepted for one release. Their text cannot tell them
 *   from publishable keys: the row's `kind` does.
 * The prefix is recognisable by humans and secret scanners, the mode (`dev`
 * of former keys reads as test) separates test from live payments, the key id
 * is the row's primary key (lookup, revocation), and the secret has 190
 * random bits. Only SHA-256 of the whole key is stored, so the prefix and mode
 * a key presents are as authentic as its secret: with that much entropy a slow
 * password hash adds nothing, and SHA-256 keeps verification cheap on the
 * gateway's hot path.
 */
export const apiKeyPattern = /^(sk|pk)_([a-z]{2,8})_([a-z0-9]{8,24})_([A-Za-z0-9]{24,64})$/;

/** What a key row is for: `secret` keys call the API; `publishable` ones are for browsers. */
export type ApiKeyKind = "secret" | "publishable";

/** Characters of a generated key id: 16 of Crockford base32 = 80 bits, unique without a check. */
const keyIdChars = 16;
/** Characters of a generated secret: 32 of base62 ≈ 190 bits, beyond guessing. */
const secretChars = 32;
const crockford = "0123456789abcdefghjkmnpqrstvwxyz";
const base62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

export interface ParsedApiKey {
  /** `sk` (secret) or `pk` (publishable, or a secret key of the former format). */
  readonly prefix: "sk" | "pk";
  /** As written: `test`, `live`, or a former key's `dev`. */
  readonly env: string;
  readonly mode: PaymentMode;
  readonly keyId: string;
}

/** The key's parts, or null when it does not have the key format (an `sk_` key is test or live). */
export function parseApiKey(apiKey: string): ParsedApiKey | null {
  const match = apiKeyPattern.exec(apiKey);
  if (!match) return null;
  const prefix = match[1] as "sk" | "pk";
  const env = match[2]!;
  if (prefix === "sk" && !isPaymentMode(env)) return null;
  return { prefix, env, mode: modeOfKeyEnv(env), keyId: match[3]! };
}

export function hashApiKey(apiKey: string): Uint8Array {
  return new Uint8Array(createHash("sha256").update(apiKey).digest());
}

/** Compares a presented key with a stored hash in constant time. */
export function apiKeyMatches(apiKey: string, keyHash: Uint8Array): boolean {
  const presented = hashApiKey(apiKey);
  return presented.length === keyHash.length && timingSafeEqual(presented, keyHash);
}

function randomText(alphabet: string, length: number): string {
  // Rejection sampling keeps every character equally likely.
  const limit = 256 - (256 % alphabet.length);
  let text = "";
  while (text.length < length) {
    for (const byte of crypto.getRandomValues(new Uint8Array(length * 2))) {
      if (byte < limit && text.length < length) text += alphabet[byte % alphabet.length];
    }
  }
  return text;
}

/** A new key of `kind` in `mode`: `sk_<mode>_…` or `pk_<mode>_…`. */
export function generateApiKey(
  mode: PaymentMode,
  kind: ApiKeyKind = "secret",
): { keyId: string; apiKey: string } {
  const keyId = randomText(crockford, keyIdChars);
  const prefix = kind === "secret" ? "sk" : "pk";
  return { keyId, apiKey: `${prefix}_${mode}_${keyId}_${randomText(base62, secretChars)}` };
}

export interface ApiKeyRecord {
  readonly keyId: string;
  readonly merchantId: string;
  readonly kind: ApiKeyKind;
  readonly keyHash: Uint8Array;
  readonly revoked: boolean;
  readonly merchantActive: boolean;
}

export async function findApiKey(pool: Db, keyId: string): Promise<ApiKeyRecord | null> {
  const rows = await pool.query(sql(
    `SELECT k.id, k.merchant_id, k.kind, k.key_hash, k.revoked_at, m.status
       FROM merchant_api_key k JOIN merchant m ON m.id = k.merchant_id
      WHERE k.id = ?`,
    keyId,
  ));
  const row = rows[0];
  if (!row) return null;
  return {
    keyId: row.id,
    merchantId: row.merchant_id,
    kind: row.kind,
    keyHash: new Uint8Array(row.key_hash as Uint8Array),
    revoked: row.revoked_at !== null,
    merchantActive: row.status === "ACTIVE",
  };
}

/** Creates a merchant; false when the id is taken. */
export async function createMerchant(
  pool: Db,
  merchant: { id: string; name: string },
): Promise<boolean> {
  const result = await pool.execute(sql(
    "INSERT IGNORE INTO merchant (id, name) VALUES (?, ?)",
    merchant.id,
    merchant.name,
  ));
  return result.affectedRows === 1;
}

/**
 * Issues a new key for a merchant (a secret key unless `kind` says otherwise).
 * `env` is the key's mode: `live`, or test for anything else (`test`, and the
 * former `dev`). The returned key is shown once and never stored.
 */
export async function createApiKey(
  pool: Db,
  input: { merchantId: string; env: string; label?: string; kind?: ApiKeyKind },
): Promise<{ keyId: string; apiKey: string }> {
  const kind = input.kind ?? "secret";
  const key = generateApiKey(modeOfKeyEnv(input.env), kind);
  await pool.execute(sql(
    "INSERT INTO merchant_api_key (id, merchant_id, kind, key_hash, label) VALUES (?, ?, ?, ?, ?)",
    key.keyId,
    input.merchantId,
    kind,
    Buffer.from(hashApiKey(key.apiKey)),
    input.label ?? null,
  ));
  return key;
}

/** Revokes a key; false when it does not exist or was already revoked. */
export async function revokeApiKey(pool: Db, keyId: string): Promise<boolean> {
  const result = await pool.execute(sql(
    "UPDATE merchant_api_key SET revoked_at = NOW(3) WHERE id = ? AND revoked_at IS NULL",
    keyId,
  ));
  return result.affectedRows === 1;
}

export interface ApiKeySummary {
  readonly keyId: string;
  readonly merchantId: string;
  readonly kind: ApiKeyKind;
  readonly label: string | null;
  readonly createdAt: Date;
  readonly revokedAt: Date | null;
}

export async function listApiKeys(pool: Db, merchantId?: string): Promise<ApiKeySummary[]> {
  const rows = await pool.query(sql(
    `SELECT id, merchant_id, kind, label, created_at, revoked_at FROM merchant_api_key
      ${merchantId === undefined ? "" : "WHERE merchant_id = ?"} ORDER BY merchant_id, created_at`,
    ...(merchantId === undefined ? [] : [merchantId]),
  ));
  return rows.map((row) => ({
    keyId: row.id,
    merchantId: row.merchant_id,
    kind: row.kind,
    label: row.label,
    createdAt: row.created_at,
    revokedAt: row.revoked_at,
  }));
}

/**
 * Makes the development merchant and its configured keys exist, at every
 * start: `apiKey`, and the `formerApiKeys` still accepted for one release
 * (the former default `pk_dev_…` key). Idempotent: the merchant is created
 * once; each key row is (re)written as a secret key with the configured key's
 * hash and un-revoked, because the configuration declares that key valid.
 */
export async function ensureDevMerchant(
  pool: Db,
  dev: { merchantId: string; name: string; apiKey: string; formerApiKeys?: readonly string[] },
): Promise<void> {
  const keys = [dev.apiKey, ...(dev.formerApiKeys ?? [])].map((apiKey) => {
    const parsed = parseApiKey(apiKey);
    if (!parsed) {
      throw new Error(
        "DEV_API_KEY does not have the key format sk_<test|live>_<keyId>_<secret> (or the former pk_<env>_<keyId>_<secret>)",
      );
    }
    return { apiKey, keyId: parsed.keyId };
  });
  for (const key of keys) await refuseOtherMerchantsKey(pool, dev.merchantId, key.keyId);
  await createMerchant(pool, { id: dev.merchantId, name: dev.name });
  for (const key of keys) {
    await upsertDevKey(pool, dev.merchantId, key);
    await refuseOtherMerchantsKey(pool, dev.merchantId, key.keyId);
  }
}

async function refuseOtherMerchantsKey(pool: Db, merchantId: string, keyId: string) {
  const existing = await findApiKey(pool, keyId);
  if (existing && existing.merchantId !== merchantId) {
    throw new Error(`DEV_API_KEY key id belongs to another merchant: ${keyId}`);
  }
}

async function upsertDevKey(
  pool: Db,
  merchantId: string,
  key: { apiKey: string; keyId: string },
): Promise<void> {
  const d = pool.dialect;
  const sameMerchant = `merchant_id = ${insertedValue(d, "merchant_id")}`;
  const whenSame = (column: string, value: string) =>
    `${column} = CASE WHEN ${sameMerchant} THEN ${value} ELSE ${column} END`;
  await pool.execute(sql(
    `INSERT INTO merchant_api_key (id, merchant_id, kind, key_hash, label)
     VALUES (?, ?, 'secret', ?, 'dev')
     ${
      onDuplicateUpdate(
        d,
        ["id"],
        [
          whenSame("key_hash", insertedValue(d, "key_hash")),
          whenSame("kind", "'secret'"),
          whenSame("revoked_at", "NULL"),
        ].join(", "),
      )
    }`,
    key.keyId,
    merchantId,
    Buffer.from(hashApiKey(key.apiKey)),
  ));
}
