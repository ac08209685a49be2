import type { RowDataPacket } from "mysql2/promise";
import type { Pool } from "./pool.ts";

/** Rows in `table` now, for "nothing was written" checks in tests. */
export async function countRows(pool: Pool, table: string): Promise<number> {
  const [rows] = await pool.query<RowDataPacket[]>(
    `SELECT COUNT(*) AS n FROM ${pool.escapeId(table)}`,
  );
  return Number(rows[0]!.n);
}
