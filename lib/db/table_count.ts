import { mariadbDriver } from "./mariadb_db.ts";
import type { RowDataPacket } from "mysql2/promise";
import type { Db } from "./port.ts";

/** Equality conditions on columns; a list means "any of these". */
export type RowMatch = Readonly<Record<string, string | number | readonly (string | number)[]>>;

/**
 * Rows in `table` now, optionally only those matching every condition of
 * `where` (tests' "nothing was written" and "everything settled" checks).
 * Names are quoted and values bound: nothing is spliced into the statement.
 */
export async function countRows(pool: Db, table: string, where: RowMatch = {}): Promise<number> {
  const conditions = Object.entries(where).map(([column, value]) =>
    Array.isArray(value)
      ? `${mariadbDriver(pool).escapeId(column)} IN (?)`
      : `${mariadbDriver(pool).escapeId(column)} = ?`
  );
  const [rows] = await mariadbDriver(pool).query<RowDataPacket[]>(
    `SELECT COUNT(*) AS n FROM ${mariadbDriver(pool).escapeId(table)}${
      conditions.length ? ` WHERE ${conditions.join(" AND ")}` : ""
    }`,
    Object.values(where),
  );
  return Number(rows[0]!.n);
}
