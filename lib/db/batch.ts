import type { ResultSetHeader, RowDataPacket } from "mysql2/promise";
import type { Connection, Pool } from "./pool.ts";

/** One SQL statement with its placeholder values. */
export interface Statement {
  readonly sql: string;
  readonly params: readonly unknown[];
}

export function sql(text: string, ...params: unknown[]): Statement {
  return { sql: text, params };
}

export type BatchResult = ResultSetHeader | RowDataPacket[];

/**
 * Sends several statements in ONE round trip (a multi-statement query) and
 * returns one result per statement. On the hot path a transaction costs one
 * network round trip instead of one per statement.
 */
export async function runBatch(
  db: Pool | Connection,
  statements: readonly Statement[],
): Promise<BatchResult[]> {
  if (statements.length === 0) return [];
  const text = statements.map((s) => s.sql).join(";\n");
  const params = statements.flatMap((s) => s.params);
  const [result] = await db.query(text, params);
  return statements.length === 1 ? [result as BatchResult] : (result as BatchResult[]);
}

export function affectedRows(result: BatchResult | undefined): number {
  return (result as ResultSetHeader | undefined)?.affectedRows ?? 0;
}

export function rowsOf<T>(result: BatchResult | undefined): T[] {
  return (result ?? []) as unknown as T[];
}
