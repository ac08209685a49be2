import { Buffer } from "node:buffer";
import { createHash, timingSafeEqual } from "node:crypto";
import { sql } from "./batch.ts";
import { insertedValue, onDuplicateUpdate } from "./dialect.ts";
import type { Db } from "./port.ts";

/**
 * Merchants and their API keys.
 *
 * An API key reads `pk_<env>_<keyId>_<secret>`: a recognisable prefix (secret
 * scanners and humans spot it), the environment (`dev`, `test`, `live`), a public
 * key id (the row's primary key, used for lookup and revocation) and a secret of
 * 190 random bits. Only SHA-256 of the whole key is stored: with that much
 * entropy a slow password hash adds nothing, and SHA-256 keeps verification
 * cheap on the gateway's hot path.
 */
export const apiKeyPattern = /^pk_([a-z]{2,8})_([a-z0-9]{8,24})_([A-Za-z0-9]{24,64})$/;

/** Characters of a generated key id: 16 of Crockford base32 = 80 bits, unique without a check. */
const keyIdChars = 16;
/** Characters of a generated secret: 32 of base62 ≈ 190 bits, beyond guessing. */
const secretChars = 32;
const crockford = "0123456789abcdefghjkmnpqrstvwxyz";
const base62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

export interface ParsedApiKey {
  readonly env: string;
  readonly keyId: string;
}

/** The key's parts, or null when it does not have the key format. */
export function parseApiKey(apiKey: string): ParsedApiKey | null {
  const match = apiKeyPattern.exec(apiKey);
  return match ? { env: match[1]!, keyId: match[2]! } : null;
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

export function generateApiKey(env: string): { keyId: string; apiKey: string } {
  const keyId = randomText(crockford, keyIdChars);
  return { keyId, apiKey: `pk_${env}_${keyId}_${randomText(base62, secretChars)}` };
}

export interface ApiKeyRecord {
  readonly keyId: string;
  readonly merchantId: string;
  readonly keyHash: Uint8Array;
  readonly revoked: boolean;
  readonly merchantActive: boolean;
}

export async function findApiKey(pool: Db, keyId: string): Promise<ApiKeyRecord | null> {
  const rows = await pool.query(sql(
    `SELECT k.id, k.merchant_id, k.key_hash, k.revoked_at, m.status
       FROM merchant_api_key k JOIN merchant m ON m.id = k.merchant_id
      WHERE k.id = ?`,
    keyId,
  ));
  const row = rows[0];
  if (!row) return null;
  return {
    keyId: row.id,
    merchantId: row.merchant_id,
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

/** Issues a new key for a merchant. The returned key is shown once and never stored. */
export async function createApiKey(
  pool: Db,
  input: { merchantId: string; env: string; label?: string },
): Promise<{ keyId: string; apiKey: string }> {
  const key = generateApiKey(input.env);
  await pool.execute(sql(
    "INSERT INTO merchant_api_key (id, merchant_id, key_hash, label) VALUES (?, ?, ?, ?)",
    key.keyId,
    input.merchantId,
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
  readonly label: string | null;
  readonly createdAt: Date;
  readonly revokedAt: Date | null;
}

export async function listApiKeys(pool: Db, merchantId?: string): Promise<ApiKeySummary[]> {
  const rows = await pool.query(sql(
    `SELECT id, merchant_id, label, created_at, revoked_at FROM merchant_api_key
      ${merchantId === undefined ? "" : "WHERE merchant_id = ?"} ORDER BY merchant_id, created_at`,
    ...(merchantId === undefined ? [] : [merchantId]),
  ));
  return rows.map((row) => ({
    keyId: row.id,
    merchantId: row.merchant_id,
    label: row.label,
    createdAt: row.created_at,
    revokedAt: row.revoked_at,
  }));
}

/**
 * Makes the development merchant and its configured key exist, at every start.
 * Idempotent: the merchant is created once; the key row is (re)written with the
 * configured key's hash and un-revoked, because the configuration declares that key valid.
 */
export async function ensureDevMerchant(
  pool: Db,
  dev: { merchantId: string; name: string; apiKey: string },
): Promise<void> {
  const parsed = parseApiKey(dev.apiKey);
  if (!parsed) {
    throw new Error("DEV_API_KEY does not have the key format pk_<env>_<keyId>_<secret>");
  }
  const existing = await findApiKey(pool, parsed.keyId);
  if (existing && existing.merchantId !== dev.merchantId) {
    throw new Error(`DEV_API_KEY key id belongs to another merchant: ${parsed.keyId}`);
  }
  await createMerchant(pool, { id: dev.merchantId, name: dev.name });
  const d = pool.dialect;
  const sameMerchant = `merchant_id = ${insertedValue(d, "merchant_id")}`;
  await pool.execute(sql(
    `INSERT INTO merchant_api_key (id, merchant_id, key_hash, label) VALUES (?, ?, ?, 'dev')
     ${
      onDuplicateUpdate(
        d,
        ["id"],
        `key_hash = CASE WHEN ${sameMerchant} THEN ${
          insertedValue(d, "key_hash")
        } ELSE key_hash END,
         revoked_at = CASE WHEN ${sameMerchant} THEN NULL ELSE revoked_at END`,
      )
    }`,
    parsed.keyId,
    dev.merchantId,
    Buffer.from(hashApiKey(dev.apiKey)),
  ));
  const record = await findApiKey(pool, parsed.keyId);
  if (record?.merchantId !== dev.merchantId) {
    throw new Error(`DEV_API_KEY key id belongs to another merchant: ${parsed.keyId}`);
  }
}
