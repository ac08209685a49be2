import type { Statement } from "./batch.ts";
import type { Row } from "./port.ts";

/**
 * How the SQLite adapter binds and reads values, so repositories write one
 * statement for both adapters:
 *
 * - a list bound to one `?` (`id IN (?)`) becomes one placeholder per item,
 *   as mysql2 expands it;
 * - a Date is bound as epoch milliseconds (node:sqlite would bind it as NULL),
 *   a boolean as 1/0, undefined as NULL;
 * - a number in a column named `*_at` reads back as a Date: timestamps are
 *   INTEGER epoch milliseconds in the SQLite schema;
 * - the few MariaDB phrases of `sqliteRewrites` are rewritten: row locks
 *   (`FOR UPDATE`, `SKIP LOCKED`) go, as the file's write lock, taken by
 *   BEGIN IMMEDIATE, serialises writers; `NOW(3)` is the time in epoch
 *   milliseconds; `INSERT IGNORE` is `INSERT OR IGNORE`; a statement's own lock
 *   wait (`SET STATEMENT innodb_lock_wait_timeout = N FOR`) is the busy timeout.
 *
 * Anything else that differs is written per dialect in dialect.ts.
 */
export interface BoundStatement {
  readonly sql: string;
  readonly params: SqliteValue[];
}

export type SqliteValue = null | number | bigint | string | Uint8Array;

const sqliteRewrites: ReadonlyArray<readonly [RegExp, string]> = [
  [/\s+FOR\s+UPDATE(\s+SKIP\s+LOCKED)?\b/gi, ""],
  [/\bNOW\(3\)/g, sqliteNowMs()],
  [/\bINSERT\s+IGNORE\b/gi, "INSERT OR IGNORE"],
  [/^\s*SET\s+STATEMENT\s+innodb_lock_wait_timeout\s*=\s*\d+\s+FOR\s+/i, ""],
];

/** SQLite's expression for now, in epoch milliseconds (what `*_at` columns hold). */
export function sqliteNowMs(): string {
  return "CAST(unixepoch('subsec') * 1000 AS INTEGER)";
}

const rewritten = new Map<string, string>();

function rewrite(text: string): string {
  let out = rewritten.get(text);
  if (out === undefined) {
    out = sqliteRewrites.reduce((t, [pattern, by]) => t.replace(pattern, by), text);
    if (rewritten.size > 1_000) rewritten.clear();
    rewritten.set(text, out);
  }
  return out;
}

export function bindForSqlite(statement: Statement): BoundStatement {
  const values = statement.params;
  const text = rewrite(statement.sql);
  if (!values.some(Array.isArray)) {
    return { sql: text, params: values.map(sqliteValue) };
  }
  const params: SqliteValue[] = [];
  let index = 0;
  const expanded = text.replace(/'(?:[^']|'')*'|\?/g, (token) => {
    if (token !== "?") return token;
    const value = values[index++];
    if (!Array.isArray(value)) {
      params.push(sqliteValue(value));
      return "?";
    }
    if (value.length === 0) return "NULL";
    params.push(...value.map(sqliteValue));
    return value.map(() => "?").join(", ");
  });
  return { sql: expanded, params };
}

function sqliteValue(value: unknown): SqliteValue {
  if (value === undefined || value === null) return null;
  if (value instanceof Date) return value.getTime();
  if (typeof value === "boolean") return value ? 1 : 0;
  if (
    typeof value === "number" || typeof value === "bigint" || typeof value === "string" ||
    value instanceof Uint8Array
  ) return value;
  throw new TypeError(`Cannot bind a ${typeof value} to an SQLite parameter`);
}

const timestampColumn = /_at$/;

/** A row as repositories read it: `*_at` numbers become Dates. */
export function rowFromSqlite(row: Record<string, unknown>): Row {
  const out: Row = {};
  for (const [column, value] of Object.entries(row)) {
    out[column] = typeof value === "number" && timestampColumn.test(column)
      ? new Date(value)
      : value;
  }
  return out;
}

/**
 * A nullable timestamp column not named `*_at` (`failing_since`): a Date from
 * MariaDB, epoch milliseconds from SQLite.
 */
export function timestampOrNull(value: Date | number | null): Date | null {
  return value == null ? null : new Date(value);
}
