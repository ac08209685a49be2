import type { Statement } from "./batch.ts";

/**
 * The storage port: what every repository needs of a database, whichever it
 * is. Two adapters implement it: MariaDB (mysql2, the scale-out profile,
 * mariadb_db.ts) and SQLite (Deno's node:sqlite, one file, sqlite_db.ts).
 * Services hold a `Db` and pass it to repository functions; they never see a
 * driver.
 */
export type Dialect = "mariadb" | "sqlite";

/** One result row, by column name. */
// deno-lint-ignore no-explicit-any
export type Row = { [column: string]: any };

/** What a write did: rows it changed, and the id an AUTO_INCREMENT/INTEGER PRIMARY KEY insert got. */
export interface WriteResult {
  readonly affectedRows: number;
  readonly insertId: number;
}

/** One statement's result: rows for a query, a WriteResult for a write. */
export type BatchResult = WriteResult | Row[];

/** A unit of work: statements sent in batches inside one transaction. */
export interface Transaction {
  /** Sends `statements` in one round trip inside the transaction; one result per statement. */
  run(statements: readonly Statement[]): Promise<BatchResult[]>;
  /** Sends `statements` and COMMIT in one round trip: the transaction ends. */
  commit(statements?: readonly Statement[]): Promise<BatchResult[]>;
  /** Rolls the transaction back now: the work may still return a value. */
  rollback(): Promise<void>;
}

export interface TransactionOptions {
  /**
   * MariaDB: READ COMMITTED takes no gap locks, so a claim with SKIP LOCKED
   * never makes ingest's inserts wait. Default: the server's (REPEATABLE
   * READ). SQLite ignores it: its write transactions are serialisable.
   */
  readonly isolation?: "READ COMMITTED";
}

export interface Db {
  readonly dialect: Dialect;
  /** Rows of one query. */
  query(statement: Statement): Promise<Row[]>;
  /** One write outside any transaction (autocommit). */
  execute(statement: Statement): Promise<WriteResult>;
  /** Several statements in one round trip, autocommit each; one result per statement. */
  run(statements: readonly Statement[]): Promise<BatchResult[]>;
  /**
   * Runs `work` in one transaction: commits when it returns without having
   * ended the transaction, rolls back when it throws.
   */
  transaction<T>(work: (tx: Transaction) => Promise<T>, options?: TransactionOptions): Promise<T>;
  close(): Promise<void>;
}
