import { sql } from "./batch.ts";
import type { Db, Row } from "./port.ts";
import { runTransactionBatch } from "./transaction.ts";

/**
 * `prefix` as a LIKE pattern matching exactly the names that start with it,
 * for `LIKE ? ESCAPE '!'`. The escape character is named in the statement
 * because SQLite has none by default (MariaDB's is `\`); `!` reads the same
 * in both dialects' string literals, where `\` does not.
 */
function likePrefix(prefix: string): string {
  return `${prefix.replace(/[!%_]/g, (c) => `!${c}`)}%`;
}

/**
 * Merchant ids in code-unit order, sorted here because the dialects' orders
 * differ: MariaDB's ascii_general_ci puts letters before `_`, SQLite after.
 */
function idsOf(rows: readonly Row[]): string[] {
  return rows.map((r) => String(r.id)).sort();
}

/** Of `merchantIds`, those whose name starts with `namePrefix`. */
export async function merchantsNamedWith(
  pool: Db,
  merchantIds: readonly string[],
  namePrefix: string,
): Promise<string[]> {
  if (merchantIds.length === 0) return [];
  const rows = await pool.query(sql(
    "SELECT id FROM merchant WHERE id IN (?) AND name LIKE ? ESCAPE '!'",
    merchantIds,
    likePrefix(namePrefix),
  ));
  return idsOf(rows);
}

/** Revokes every live key of these merchants; returns how many were revoked. */
export async function revokeMerchantsKeys(
  pool: Db,
  merchantIds: readonly string[],
): Promise<number> {
  if (merchantIds.length === 0) return 0;
  const result = await pool.execute(sql(
    "UPDATE merchant_api_key SET revoked_at = NOW(3) WHERE merchant_id IN (?) AND revoked_at IS NULL",
    merchantIds,
  ));
  return result.affectedRows;
}

/** Of `merchantIds`, those that never got a payment or an idempotency record. */
export async function merchantsWithoutHistory(
  pool: Db,
  merchantIds: readonly string[],
): Promise<string[]> {
  if (merchantIds.length === 0) return [];
  const rows = await pool.query(sql(
    `SELECT m.id FROM merchant m WHERE m.id IN (?)
        AND NOT EXISTS (SELECT 1 FROM payment p WHERE p.merchant_id = m.id)
        AND NOT EXISTS (SELECT 1 FROM idempotency_record i WHERE i.merchant_id = m.id)`,
    merchantIds,
  ));
  return idsOf(rows);
}

/** Deletes these merchants with their keys, together (callers check they have no history first). */
export async function deleteMerchants(pool: Db, merchantIds: readonly string[]): Promise<void> {
  if (merchantIds.length === 0) return;
  await runTransactionBatch(pool, [
    sql("DELETE FROM merchant_api_key WHERE merchant_id IN (?)", merchantIds),
    sql("DELETE FROM merchant WHERE id IN (?)", merchantIds),
  ]);
}

/** Sets the status of these merchants; returns how many rows changed. */
export async function setMerchantsStatus(
  pool: Db,
  merchantIds: readonly string[],
  status: string,
): Promise<number> {
  if (merchantIds.length === 0) return 0;
  const result = await pool.execute(
    sql("UPDATE merchant SET status = ? WHERE id IN (?)", status, merchantIds),
  );
  return result.affectedRows;
}

/**
 * Merchants whose id and name start with these prefixes that are still
 * ACTIVE or still hold a live key.
 */
export async function liveMerchantsWithPrefixes(
  pool: Db,
  prefixes: { readonly id: string; readonly name: string },
): Promise<string[]> {
  const rows = await pool.query(sql(
    `SELECT m.id FROM merchant m
      WHERE m.id LIKE ? ESCAPE '!' AND m.name LIKE ? ESCAPE '!'
        AND (m.status = 'ACTIVE' OR EXISTS (SELECT 1 FROM merchant_api_key k
                                             WHERE k.merchant_id = m.id AND k.revoked_at IS NULL))`,
    likePrefix(prefixes.id),
    likePrefix(prefixes.name),
  ));
  return idsOf(rows);
}
