import { sql } from "./batch.ts";
import { quotedName } from "./dialect.ts";
import type { Db } from "./port.ts";

/** Equality conditions on columns; a list means "any of these". */
export type RowMatch = Readonly<Record<string, string | number | readonly (string | number)[]>>;

/**
 * Rows in `table` now, optionally only those matching every condition of
 * `where` (tests' "nothing was written" and "everything settled" checks).
 * Names are checked and quoted, values bound: nothing is spliced into the
 * statement.
 */
export async function countRows(pool: Db, table: string, where: RowMatch = {}): Promise<number> {
  const conditions = Object.entries(where).map(([column, value]) =>
    `${quotedName(column)} ${Array.isArray(value) ? "IN (?)" : "= ?"}`
  );
  const rows = await pool.query(sql(
    `SELECT COUNT(*) AS n FROM ${quotedName(table)}${
      conditions.length ? ` WHERE ${conditions.join(" AND ")}` : ""
    }`,
    ...Object.values(where),
  ));
  return Number(rows[0]!.n);
}
