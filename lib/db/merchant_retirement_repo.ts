import { mariadbDriver } from "./mariadb_db.ts";
import type { ResultSetHeader, RowDataPacket } from "mysql2/promise";
import type { Db } from "./port.ts";

/** `prefix` as a LIKE pattern matching exactly the names that start with it. */
function likePrefix(prefix: string): string {
  return `${prefix.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** Of `merchantIds`, those whose name starts with `namePrefix`. */
export async function merchantsNamedWith(
  pool: Db,
  merchantIds: readonly string[],
  namePrefix: string,
): Promise<string[]> {
  if (merchantIds.length === 0) return [];
  const [rows] = await mariadbDriver(pool).query<RowDataPacket[]>(
    "SELECT id FROM merchant WHERE id IN (?) AND name LIKE ?",
    [merchantIds, likePrefix(namePrefix)],
  );
  return rows.map((r) => String(r.id));
}

/** Revokes every live key of these merchants; returns how many were revoked. */
export async function revokeMerchantsKeys(
  pool: Db,
  merchantIds: readonly string[],
): Promise<number> {
  if (merchantIds.length === 0) return 0;
  const [result] = await mariadbDriver(pool).query<ResultSetHeader>(
    "UPDATE merchant_api_key SET revoked_at = CURRENT_TIMESTAMP(3) " +
      "WHERE merchant_id IN (?) AND revoked_at IS NULL",
    [merchantIds],
  );
  return result.affectedRows;
}

/** Of `merchantIds`, those that never got a payment or an idempotency record. */
export async function merchantsWithoutHistory(
  pool: Db,
  merchantIds: readonly string[],
): Promise<string[]> {
  if (merchantIds.length === 0) return [];
  const [rows] = await mariadbDriver(pool).query<RowDataPacket[]>(
    `SELECT m.id FROM merchant m WHERE m.id IN (?)
        AND NOT EXISTS (SELECT 1 FROM payment p WHERE p.merchant_id = m.id)
        AND NOT EXISTS (SELECT 1 FROM idempotency_record i WHERE i.merchant_id = m.id)`,
    [merchantIds],
  );
  return rows.map((r) => String(r.id));
}

/** Deletes these merchants with their keys (callers check they have no history first). */
export async function deleteMerchants(pool: Db, merchantIds: readonly string[]): Promise<void> {
  if (merchantIds.length === 0) return;
  await mariadbDriver(pool).query("DELETE FROM merchant_api_key WHERE merchant_id IN (?)", [
    merchantIds,
  ]);
  await mariadbDriver(pool).query("DELETE FROM merchant WHERE id IN (?)", [merchantIds]);
}

/** Sets the status of these merchants; returns how many rows changed. */
export async function setMerchantsStatus(
  pool: Db,
  merchantIds: readonly string[],
  status: string,
): Promise<number> {
  if (merchantIds.length === 0) return 0;
  const [result] = await mariadbDriver(pool).query<ResultSetHeader>(
    "UPDATE merchant SET status = ? WHERE id IN (?)",
    [status, merchantIds],
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
  const [rows] = await mariadbDriver(pool).query<RowDataPacket[]>(
    `SELECT m.id FROM merchant m
      WHERE m.id LIKE ? AND m.name LIKE ?
        AND (m.status = 'ACTIVE' OR EXISTS (SELECT 1 FROM merchant_api_key k
                                             WHERE k.merchant_id = m.id AND k.revoked_at IS NULL))`,
    [likePrefix(prefixes.id), likePrefix(prefixes.name)],
  );
  return rows.map((r) => String(r.id));
}
