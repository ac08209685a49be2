import type { BatchResult, Row, WriteResult } from "./port.ts";

/** One SQL statement with its placeholder values. */
export interface Statement {
  readonly sql: string;
  readonly params: readonly unknown[];
}

export function sql(text: string, ...params: unknown[]): Statement {
  return { sql: text, params };
}

/**
 * One INSERT of several rows, each its values in `columns`' order, written
 * out placeholder by placeholder (mysql2's nested-array `VALUES ?` is
 * MariaDB's alone).
 */
export function insertRows(
  table: string,
  columns: readonly string[],
  rows: readonly (readonly unknown[])[],
): Statement {
  if (rows.length === 0) throw new Error(`No rows to insert into ${table}`);
  const short = rows.find((values) => values.length !== columns.length);
  if (short) {
    throw new Error(`A row of ${table} has ${short.length} values: ${columns.length} expected`);
  }
  const row = `(${columns.map(() => "?").join(", ")})`;
  return sql(
    `INSERT INTO ${table} (${columns.join(", ")}) VALUES ${rows.map(() => row).join(", ")}`,
    ...rows.flat(),
  );
}

/** Something that can send a batch in one round trip (a MariaDB pool or connection). */
export interface BatchSender {
  query(text: string, params: unknown[]): Promise<[unknown, unknown]>;
}

/**
 * MariaDB: sends several statements in ONE round trip (a multi-statement
 * query) and returns one result per statement. On the hot path a transaction
 * costs one network round trip instead of one per statement.
 */
export async function sendBatch(
  sender: BatchSender,
  statements: readonly Statement[],
): Promise<BatchResult[]> {
  if (statements.length === 0) return [];
  const text = statements.map((s) => s.sql).join(";\n");
  const params = statements.flatMap((s) => s.params);
  const [result] = await sender.query(text, params);
  return statements.length === 1 ? [result as BatchResult] : (result as BatchResult[]);
}

/** Several statements, autocommit each, in one round trip where the adapter can. */
export async function runBatch(
  db: { run(statements: readonly Statement[]): Promise<BatchResult[]> },
  statements: readonly Statement[],
): Promise<BatchResult[]> {
  return await db.run(statements);
}

export function affectedRows(result: BatchResult | undefined): number {
  return (result as WriteResult | undefined)?.affectedRows ?? 0;
}

export function rowsOf<T = Row>(result: BatchResult | undefined): T[] {
  return (result ?? []) as unknown as T[];
}
