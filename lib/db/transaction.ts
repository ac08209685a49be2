import { type BatchResult, runBatch, sql, type Statement } from "./batch.ts";
import type { Connection, Pool } from "./pool.ts";

/**
 * One transaction on one pooled connection. Statements travel in batches (one
 * round trip each): the first batch also opens the transaction and `commit`
 * carries COMMIT with its statements, so a transaction of N batches costs N
 * round trips, not N + 2.
 */
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
   * READ COMMITTED takes no gap locks: a claim with SKIP LOCKED then never
   * makes ingest's inserts wait. Default: the server's (REPEATABLE READ).
   */
  readonly isolation?: "READ COMMITTED";
}

/**
 * Runs `work` in one transaction: commits when it returns without having
 * ended the transaction, rolls back when it throws (a connection that cannot
 * even roll back is destroyed, never returned to the pool half-open), and
 * always releases the connection. The only place transactions are opened,
 * committed and rolled back.
 */
export async function inTransaction<T>(
  pool: Pool,
  work: (tx: Transaction) => Promise<T>,
  options: TransactionOptions = {},
): Promise<T> {
  const connection = await pool.getConnection();
  const tx = new BatchedTransaction(connection, options);
  try {
    const result = await work(tx);
    await tx.end();
    return result;
  } catch (error) {
    await tx.abandon();
    throw error;
  } finally {
    connection.release();
  }
}

/**
 * Runs `statements` as one transaction in ONE round trip (the hot path).
 * When any statement fails, MariaDB stops the batch with the transaction
 * still open; it is rolled back before the connection returns to the pool.
 */
export async function runTransactionBatch(
  pool: Pool,
  statements: readonly Statement[],
): Promise<BatchResult[]> {
  return await inTransaction(pool, (tx) => tx.commit(statements));
}

class BatchedTransaction implements Transaction {
  #state: "idle" | "open" | "ended" = "idle";

  constructor(readonly connection: Connection, readonly options: TransactionOptions) {}

  async run(statements: readonly Statement[]): Promise<BatchResult[]> {
    return await this.#send(statements, false);
  }

  async commit(statements: readonly Statement[] = []): Promise<BatchResult[]> {
    return await this.#send(statements, true);
  }

  async rollback(): Promise<void> {
    if (this.#state === "open") await this.connection.query("ROLLBACK");
    this.#state = "ended";
  }

  /** After the work returned: commits what it left open. */
  async end(): Promise<void> {
    if (this.#state === "open") await this.commit();
    this.#state = "ended";
  }

  /** After the work threw: rolls back, or destroys a connection that cannot. */
  async abandon(): Promise<void> {
    if (this.#state !== "open") return;
    this.#state = "ended";
    await this.connection.query("ROLLBACK").catch(() => this.connection.destroy());
  }

  async #send(statements: readonly Statement[], commit: boolean): Promise<BatchResult[]> {
    if (this.#state === "ended") throw new Error("Transaction already ended");
    const opening = this.#state === "idle" ? this.#opening() : [];
    // Open before the round trip: a batch that fails half-way leaves the transaction open.
    if (opening.length) this.#state = "open";
    const batch = [...opening, ...statements, ...(commit ? [sql("COMMIT")] : [])];
    const results = await runBatch(this.connection, batch);
    if (commit) this.#state = "ended";
    return results.slice(opening.length, opening.length + statements.length);
  }

  #opening(): Statement[] {
    const start = sql("START TRANSACTION");
    return this.options.isolation
      ? [sql(`SET TRANSACTION ISOLATION LEVEL ${this.options.isolation}`), start]
      : [start];
  }
}
