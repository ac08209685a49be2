import type mysql from "mysql2/promise";
import { sendBatch, type Statement } from "./batch.ts";
import type { BatchResult, Db, Row, Transaction, TransactionOptions, WriteResult } from "./port.ts";
import { inMariaDbTransaction, type MariaDbConnection } from "./transaction.ts";

/**
 * The storage port on MariaDB (mysql2 pool): the scale-out profile. A batch
 * is one multi-statement round trip; a transaction holds one pooled
 * connection (transaction.ts).
 */
export class MariaDb implements Db {
  readonly dialect = "mariadb" as const;

  /** mysql2's pool: for lib/db's not yet ported statements and test fixtures, never for services. */
  constructor(readonly driver: mysql.Pool) {}

  async query(statement: Statement): Promise<Row[]> {
    const [rows] = await this.driver.query(statement.sql, statement.params as unknown[]);
    return rows as Row[];
  }

  async execute(statement: Statement): Promise<WriteResult> {
    const [result] = await this.driver.query(statement.sql, statement.params as unknown[]);
    return result as unknown as WriteResult;
  }

  async run(statements: readonly Statement[]): Promise<BatchResult[]> {
    return await sendBatch(this.driver as never, statements);
  }

  async transaction<T>(
    work: (tx: Transaction) => Promise<T>,
    options: TransactionOptions = {},
  ): Promise<T> {
    const acquire = () => this.driver.getConnection() as unknown as Promise<MariaDbConnection>;
    return await inMariaDbTransaction(acquire, work, options);
  }

  async close(): Promise<void> {
    await this.driver.end();
  }
}

/**
 * mysql2's pool behind `db`, for statements still written in MariaDB's own
 * SQL (named locks, migrations, repositories not yet ported to SQLite: see
 * README). On another adapter it throws, naming what is missing.
 */
export function mariadbDriver(db: Db, what = "this repository"): mysql.Pool {
  if (db instanceof MariaDb) return db.driver;
  throw new Error(`${what} runs on MariaDB only; it is not yet ported to ${db.dialect}`);
}
