import type { RowDataPacket } from "mysql2/promise";
import type { Pool } from "./pool.ts";

/** Equality conditions on columns; a list means "any of these". */
export type RowMatch = Readonly<Record<string, string | number | readonly (string | number)[]>>;

/**
 * Rows in `table` now, optionally only those matching every condition of
 * `where` (tests' "nothing was written" and "everything settled" checks).
 * Names are quoted and values bound: nothing is spliced into the statement.
 */
export async function countRows(pool: Pool, table: string, where: RowMatch = {}): Promise<number> {
  const conditions = Object.entries(where).map(([column, value]) =>
    Array.isArray(value) ? `${pool.escapeId(column)} IN (?)` : `${pool.escapeId(column)} = ?`
  );
  const [rows] = await pool.query<RowDataPacket[]>(
    `SELECT COUNT(*) AS n FROM ${pool.escapeId(table)}${
      conditions.length ? ` WHERE ${conditions.join(" AND ")}` : ""
    }`,
    Object.values(where),
  );
  return Number(rows[0]!.n);
}
