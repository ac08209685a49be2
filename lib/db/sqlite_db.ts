import type { DatabaseSync, StatementSync } from "node:sqlite";
import type { Statement } from "./batch.ts";
import type { BatchResult, Db, Row, Transaction, TransactionOptions, WriteResult } from "./port.ts";
import { bindForSqlite, rowFromSqlite } from "./sqlite_statement.ts";
import { inSqliteTransaction } from "./transaction.ts";
import { retryWhileBusy, sqliteBlockingBusyMs } from "../embedded/busy.ts";
import { openSqliteFile } from "../embedded/data_file.ts";

/** Prepared statements kept per connection (repositories use a few dozen distinct texts). */
const preparedStatementsMax = 500;

/**
 * The storage port on one SQLite file (Deno's built-in node:sqlite, no native
 * addon): the embedded profile. WAL journal, `synchronous=FULL` (a committed
 * transaction survives a power cut), foreign keys on. Several processes may
 * open one file: readers never wait, writers serialise on the file's write
 * lock, which `BEGIN IMMEDIATE` takes at a transaction's first statement, so
 * no row lock (`FOR UPDATE`, `SKIP LOCKED`) is needed. Inside one process the
 * connection is shared, so work runs one at a time (a transaction's awaits
 * must not let another caller's statement into it).
 */
export class SqliteDb implements Db {
  readonly dialect = "sqlite" as const;
  readonly #db: DatabaseSync;
  readonly #prepared = new Map<string, StatementSync>();
  #queue: Promise<unknown> = Promise.resolve();
  /** Holders of this connection (openSqliteDb hands it out again); the last close closes it. */
  #holders = 1;

  constructor(readonly path: string) {
    // A wait for another process's write lock is asynchronous past a few ms (busy.ts).
    this.#db = openSqliteFile(path, {
      synchronous: "FULL",
      busyTimeoutMs: sqliteBlockingBusyMs,
      foreignKeys: true,
    });
  }

  query(statement: Statement): Promise<Row[]> {
    return this.#serial(() => retryWhileBusy(() => this.#rows(statement)));
  }

  execute(statement: Statement): Promise<WriteResult> {
    return this.#serial(() => retryWhileBusy(() => this.#write(statement)));
  }

  /** Each statement in autocommit, each retried alone while the file is busy (it took no effect). */
  run(statements: readonly Statement[]): Promise<BatchResult[]> {
    return this.#serial(async () => {
      const results: BatchResult[] = [];
      for (const statement of statements) {
        results.push(await retryWhileBusy(() => this.#send(statement)));
      }
      return results;
    });
  }

  transaction<T>(
    work: (tx: Transaction) => Promise<T>,
    _options: TransactionOptions = {},
  ): Promise<T> {
    return this.#serial(() =>
      inSqliteTransaction(
        (text) => this.#db.exec(text),
        () => retryWhileBusy(() => this.#db.exec("BEGIN IMMEDIATE")),
        (statements) => statements.map((s) => this.#send(s)),
        work,
      )
    );
  }

  /** False once the last holder closed it (even while the close waits for queued work). */
  get isOpen(): boolean {
    return this.#holders > 0 && this.#db.isOpen;
  }

  /** One more holder: its close() will not close the connection for the others. */
  retain(): this {
    this.#holders++;
    return this;
  }

  close(): Promise<void> {
    if (--this.#holders > 0) return Promise.resolve();
    return this.#serial(() => {
      this.#prepared.clear();
      if (this.#db.isOpen) this.#db.close();
    });
  }

  /** One statement: rows when it returns columns (SELECT, RETURNING), else what it changed. */
  #send(statement: Statement): BatchResult {
    const bound = bindForSqlite(statement);
    const prepared = this.#prepare(bound.sql);
    if (prepared.columns().length > 0) {
      return prepared.all(...bound.params).map((row) =>
        rowFromSqlite(row as Record<string, unknown>)
      );
    }
    const result = prepared.run(...bound.params);
    return { affectedRows: Number(result.changes), insertId: Number(result.lastInsertRowid) };
  }

  #rows(statement: Statement): Row[] {
    const result = this.#send(statement);
    if (!Array.isArray(result)) throw new Error(`Not a query: ${statement.sql.slice(0, 60)}`);
    return result;
  }

  #write(statement: Statement): WriteResult {
    const result = this.#send(statement);
    if (Array.isArray(result)) return { affectedRows: 0, insertId: 0 };
    return result;
  }

  #prepare(text: string): StatementSync {
    let prepared = this.#prepared.get(text);
    if (!prepared) {
      if (this.#prepared.size >= preparedStatementsMax) this.#prepared.clear();
      prepared = this.#db.prepare(text);
      this.#prepared.set(text, prepared);
    }
    return prepared;
  }

  /** Runs `task` after every earlier one of this connection settled. */
  #serial<T>(task: () => T | Promise<T>): Promise<T> {
    const next = this.#queue.then(task, task);
    this.#queue = next.catch(() => {});
    return next;
  }
}

const openFiles = new Map<string, SqliteDb>();

/**
 * The process's connection to the SQLite file at `path` (created when
 * needed). One per file and process: two connections of one process would
 * wait on each other's write lock with the event loop blocked (node:sqlite is
 * synchronous), so every caller shares one and its queue; each closes its
 * hold, and the last one closes the connection.
 */
export function openSqliteDb(path: string): SqliteDb {
  const open = openFiles.get(path);
  if (open?.isOpen) return open.retain();
  const db = new SqliteDb(path);
  openFiles.set(path, db);
  return db;
}
