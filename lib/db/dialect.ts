import { sql, type Statement } from "./batch.ts";
import type { Dialect } from "./port.ts";
import { sqliteNowMs } from "./sqlite_statement.ts";

/**
 * SQL that differs between the adapters, one helper per difference, so a
 * repository writes `${nowPlusMs(db.dialect)}` instead of a ternary. What the
 * SQLite adapter rewrites by itself (row locks, NOW(3), INSERT IGNORE) is in
 * sqlite_statement.ts.
 */

/** Now plus a bound number of milliseconds (one `?`), as a timestamp of the dialect. */
export function nowPlusMs(dialect: Dialect): string {
  return dialect === "mariadb"
    ? "NOW(3) + INTERVAL (? * 1000) MICROSECOND"
    : `(${sqliteNowMs()} + CAST(? AS INTEGER))`;
}

/** Seconds from a timestamp column to now. */
export function secondsSince(dialect: Dialect, column: string): string {
  return dialect === "mariadb"
    ? `TIMESTAMPDIFF(MICROSECOND, ${column}, NOW(3)) / 1e6`
    : `(${sqliteNowMs()} - ${column}) / 1000.0`;
}

/** Milliseconds from one timestamp column to another (NULL when either is). */
export function msBetween(dialect: Dialect, from: string, to: string): string {
  return dialect === "mariadb"
    ? `TIMESTAMPDIFF(MICROSECOND, ${from}, ${to}) / 1000`
    : `(${to} - ${from})`;
}

/** A DATE column as `YYYY-MM-DD` text (SQLite stores the text itself). */
export function isoDate(dialect: Dialect, column: string): string {
  return dialect === "mariadb" ? `DATE_FORMAT(${column}, '%Y-%m-%d')` : column;
}

/**
 * DELETE of at most `?` rows matching `condition` (bound last). MariaDB has
 * DELETE … LIMIT; SQLite (without SQLITE_ENABLE_UPDATE_DELETE_LIMIT) deletes
 * by key the rows a limited SELECT picks.
 */
export function boundedDelete(
  dialect: Dialect,
  table: string,
  condition: string,
  key: readonly string[],
): string {
  if (dialect === "mariadb") return `DELETE FROM ${table} WHERE ${condition} LIMIT ?`;
  const columns = key.join(", ");
  return `DELETE FROM ${table} WHERE (${columns}) IN (SELECT ${columns} FROM ${table} WHERE ${condition} LIMIT ?)`;
}

/**
 * The id an INSERT of this transaction gave a row, for the statements after
 * it: `capture` (sent right after the insert) and `ref`, the expression to
 * write where the id goes, with the values it binds. MariaDB keeps the id in
 * a session variable (`SET @v = LAST_INSERT_ID()`); SQLite has no variables,
 * so it reads the row back by a unique key (`table.keyColumn = keyValue`).
 */
export function insertedId(
  dialect: Dialect,
  variable: string,
  row: { readonly table: string; readonly keyColumn: string; readonly keyValue: unknown },
): { readonly capture: Statement[]; readonly ref: string; readonly refParams: unknown[] } {
  if (dialect === "mariadb") {
    return {
      capture: [sql(`SET @${variable} = LAST_INSERT_ID()`)],
      ref: `@${variable}`,
      refParams: [],
    };
  }
  return {
    capture: [],
    ref: `(SELECT id FROM ${row.table} WHERE ${row.keyColumn} = ?)`,
    refParams: [row.keyValue],
  };
}

/** Ends an INSERT so a row that collides on any unique key is kept as it is (no error, no change). */
export function onDuplicateKeepExisting(dialect: Dialect, keyColumn = "id"): string {
  return dialect === "mariadb"
    ? `ON DUPLICATE KEY UPDATE ${keyColumn} = ${keyColumn}`
    : "ON CONFLICT DO NOTHING";
}

/** The scalar at JSON `path` (e.g. `$.data.requestId`, a literal, never bound) of a JSON text column. */
export function jsonValue(dialect: Dialect, column: string, path: string): string {
  return dialect === "mariadb"
    ? `JSON_VALUE(${column}, '${path}')`
    : `json_extract(${column}, '${path}')`;
}

/**
 * Ends an INSERT so a row that collides on `conflictKey` (its primary key)
 * is updated by `assignments` instead; `insertedValue` names the value the
 * INSERT carried for a column.
 */
export function onDuplicateUpdate(
  dialect: Dialect,
  conflictKey: readonly string[],
  assignments: string,
): string {
  return dialect === "mariadb"
    ? `ON DUPLICATE KEY UPDATE ${assignments}`
    : `ON CONFLICT (${conflictKey.join(", ")}) DO UPDATE SET ${assignments}`;
}

/** In `onDuplicateUpdate`'s assignments: the value the INSERT carried for `column`. */
export function insertedValue(dialect: Dialect, column: string): string {
  return dialect === "mariadb" ? `VALUES(${column})` : `excluded.${column}`;
}

/**
 * After SELECT: join the tables in the order written (MariaDB's
 * STRAIGHT_JOIN, for a bounded derived table first). SQLite's planner already
 * starts from a LIMITed subquery in FROM, so it needs no hint.
 */
export function joinInWrittenOrder(dialect: Dialect): string {
  return dialect === "mariadb" ? "STRAIGHT_JOIN " : "";
}

const identifierPattern = /^[a-z_][a-z0-9_]*$/;

/**
 * A table or column name quoted for a statement. Backticks quote a name on
 * both MariaDB and SQLite, so this one does not differ; a name is checked,
 * never escaped: anything but a lower-case SQL name is a programmer's error.
 */
export function quotedName(name: string): string {
  if (!identifierPattern.test(name)) throw new Error(`Not an SQL name: ${JSON.stringify(name)}`);
  return `\`${name}\``;
}

/**
 * Whether the JSON array in `column` holds the string bound to one `?`
 * (MariaDB's JSON_CONTAINS; SQLite walks the array with json_each).
 */
export function jsonArrayHas(dialect: Dialect, column: string): string {
  return dialect === "mariadb"
    ? `JSON_CONTAINS(${column}, JSON_QUOTE(?))`
    : `EXISTS (SELECT 1 FROM json_each(${column}) WHERE json_each.value = ?)`;
}
