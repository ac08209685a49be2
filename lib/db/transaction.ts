import { sendBatch, sql, type Statement } from "./batch.ts";
import { isDeadlock } from "./db_errors.ts";
import type { BatchResult, Db, Transaction, TransactionOptions } from "./port.ts";

/**
 * The one module where transactions are opened, committed and rolled back:
 * the unit of work of each adapter (MariaDB's batched transaction on a pooled
 * connection, SQLite's BEGIN IMMEDIATE on its file) and the helpers
 * repositories call.
 */

/**
 * Runs `work` in one transaction of `db`: commits when it returns without
 * having ended the transaction, rolls back when it throws. With
 * `deadlockAttemptsMax`, a transaction the database picked as a deadlock
 * victim (it lost nothing: everything was rolled back) runs again, up to that
 * many times in all; `work` must then touch nothing but the database.
 */
export async function inTransaction<T>(
  db: Db,
  work: (tx: Transaction) => Promise<T>,
  options: TransactionOptions & { readonly deadlockAttemptsMax?: number } = {},
): Promise<T> {
  const { deadlockAttemptsMax = 1, ...transactionOptions } = options;
  for (let attempt = 1;; attempt++) {
    try {
      return await db.transaction(work, transactionOptions);
    } catch (error) {
      if (!isDeadlock(error) || attempt >= deadlockAttemptsMax) throw error;
    }
  }
}

/**
 * Runs `statements` as one transaction in ONE round trip (the hot path).
 * When any statement fails the transaction is rolled back.
 */
export async function runTransactionBatch(
  db: Db,
  statements: readonly Statement[],
): Promise<BatchResult[]> {
  return await db.transaction((tx) => tx.commit(statements));
}

/** A pooled MariaDB connection as the batched transaction needs it. */
export interface MariaDbConnection {
  query(text: string, params?: unknown): Promise<[unknown, unknown]>;
  release(): void;
  destroy(): void;
}

/**
 * MariaDB: one transaction on one pooled connection. Statements travel in
 * batches (one round trip each): the first batch also opens the transaction
 * and `commit` carries COMMIT with its statements, so a transaction of N
 * batches costs N round trips, not N + 2. A connection that cannot even roll
 * back is destroyed, never returned to the pool half-open; the connection is
 * always released.
 */
export async function inMariaDbTransaction<T>(
  acquire: () => Promise<MariaDbConnection>,
  work: (tx: Transaction) => Promise<T>,
  options: TransactionOptions = {},
): Promise<T> {
  const connection = await acquire();
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

class BatchedTransaction implements Transaction {
  #state: "idle" | "open" | "ended" = "idle";

  constructor(readonly connection: MariaDbConnection, readonly options: TransactionOptions) {}

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
    const results = await sendBatch(this.connection, batch);
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

/**
 * SQLite: one transaction on the process's connection to the file. The first
 * batch opens it with BEGIN IMMEDIATE, which takes the file's write lock at
 * once (waiting up to the busy timeout for another process's writer), so a
 * transaction that reads and then writes never fails half-way on a lock
 * upgrade; `commit` ends it, a throwing work rolls it back.
 */
export async function inSqliteTransaction<T>(
  exec: (text: string) => void,
  send: (statements: readonly Statement[]) => BatchResult[],
  work: (tx: Transaction) => Promise<T>,
): Promise<T> {
  const tx = new ImmediateTransaction(exec, send);
  try {
    const result = await work(tx);
    await tx.commit();
    return result;
  } catch (error) {
    tx.abandon();
    throw error;
  }
}

class ImmediateTransaction implements Transaction {
  #state: "idle" | "open" | "ended" = "idle";

  constructor(
    readonly exec: (text: string) => void,
    readonly send: (statements: readonly Statement[]) => BatchResult[],
  ) {}

  // Async although node:sqlite is synchronous: a failure rejects the promise, as on MariaDB,
  // instead of throwing at the call.
  // deno-lint-ignore require-await
  async run(statements: readonly Statement[]): Promise<BatchResult[]> {
    return this.#send(statements, false);
  }

  // deno-lint-ignore require-await
  async commit(statements: readonly Statement[] = []): Promise<BatchResult[]> {
    if (this.#state === "ended") return [];
    return this.#send(statements, true);
  }

  // deno-lint-ignore require-await
  async rollback(): Promise<void> {
    if (this.#state === "open") this.exec("ROLLBACK");
    this.#state = "ended";
  }

  /** After the work threw: rolls back what is open. */
  abandon(): void {
    if (this.#state !== "open") return;
    this.#state = "ended";
    this.exec("ROLLBACK");
  }

  #send(statements: readonly Statement[], commit: boolean): BatchResult[] {
    if (this.#state === "ended") throw new Error("Transaction already ended");
    if (this.#state === "idle") {
      if (statements.length === 0 && commit) {
        this.#state = "ended";
        return [];
      }
      this.exec("BEGIN IMMEDIATE");
      this.#state = "open";
    }
    const results = this.send(statements);
    if (commit) {
      this.exec("COMMIT");
      this.#state = "ended";
    }
    return results;
  }
}
