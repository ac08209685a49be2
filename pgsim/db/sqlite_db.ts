import { DatabaseSync, type SQLInputValue } from "node:sqlite";
import type {
  SimAuthorization,
  SimDb,
  SimIdempotencyRecord,
  SimOperation,
  SimOperationFilter,
} from "@pay/lib/pg";

/**
 * How long a write waits for another process's lock on the file. Writes take
 * microseconds; a second waiting means something is wrong, so fail.
 */
export const sqliteBusyTimeoutMs = 1_000;

const schema = `
CREATE TABLE IF NOT EXISTS sim_authorization (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  id TEXT NOT NULL UNIQUE,
  data TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS sim_operation (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  pg_id TEXT NOT NULL UNIQUE,
  type TEXT NOT NULL,
  reference TEXT NOT NULL,
  at_ms INTEGER NOT NULL,
  data TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS sim_operation_at ON sim_operation (at_ms);
CREATE INDEX IF NOT EXISTS sim_operation_reference ON sim_operation (reference);
CREATE TABLE IF NOT EXISTS sim_idempotency (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  key TEXT NOT NULL UNIQUE,
  data TEXT NOT NULL
);
`;

const tables = ["sim_authorization", "sim_operation", "sim_idempotency"] as const;

/**
 * A SimDb in one SQLite file (node:sqlite, WAL), so a restarted pgsim still
 * answers replays and reports yesterday's settlements. Each table keeps its
 * newest `recordsMax` rows: every write deletes the rows that fell off, an
 * indexed range delete that usually matches nothing.
 */
export function createSqliteSimDb(path: string, recordsMax: number): SimDb {
  const db = new DatabaseSync(path);
  db.exec(`PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;
    PRAGMA busy_timeout = ${sqliteBusyTimeoutMs};`);
  db.exec(schema);
  const findAuthorization = db.prepare("SELECT data FROM sim_authorization WHERE id = ?");
  const findIdempotency = db.prepare("SELECT data FROM sim_idempotency WHERE key = ?");
  const putAuthorization = db.prepare(
    `INSERT INTO sim_authorization (id, data) VALUES (?, ?)
     ON CONFLICT (id) DO UPDATE SET data = excluded.data`,
  );
  const putOperation = db.prepare(
    "INSERT INTO sim_operation (pg_id, type, reference, at_ms, data) VALUES (?, ?, ?, ?, ?)",
  );
  const putIdempotency = db.prepare("INSERT INTO sim_idempotency (key, data) VALUES (?, ?)");
  const prune = Object.fromEntries(tables.map((table) => [
    table,
    db.prepare(`DELETE FROM ${table} WHERE seq <= (SELECT MAX(seq) FROM ${table}) - ?`),
  ])) as Record<(typeof tables)[number], ReturnType<DatabaseSync["prepare"]>>;

  function inTransaction(work: () => void): void {
    db.exec("BEGIN IMMEDIATE");
    try {
      work();
      db.exec("COMMIT");
    } catch (error) {
      db.exec("ROLLBACK");
      throw error;
    }
  }

  return {
    findAuthorization: (id) => dataOf<SimAuthorization>(findAuthorization.get(id)),
    findIdempotencyRecord: (key) => dataOf<SimIdempotencyRecord>(findIdempotency.get(key)),
    write(change) {
      inTransaction(() => {
        putIdempotency.run(change.idempotency.key, JSON.stringify(change.idempotency));
        prune.sim_idempotency.run(recordsMax);
        const { authorization, operation } = change;
        if (authorization !== undefined) {
          putAuthorization.run(authorization.id, JSON.stringify(authorization));
          prune.sim_authorization.run(recordsMax);
        }
        if (operation !== undefined) {
          putOperation.run(
            operation.pgId,
            operation.type,
            operation.reference,
            operation.atMs,
            JSON.stringify(operation),
          );
          prune.sim_operation.run(recordsMax);
        }
      });
    },
    listOperations: (filter) => listOperations(db, filter),
    clear() {
      inTransaction(() => {
        for (const table of tables) db.exec(`DELETE FROM ${table}`);
      });
    },
    check() {
      db.prepare("SELECT 1").get();
    },
    close() {
      db.close();
    },
  };
}

function listOperations(db: DatabaseSync, filter: SimOperationFilter): SimOperation[] {
  const where: string[] = [];
  const params: SQLInputValue[] = [];
  if (filter.reference !== undefined) {
    where.push("reference = ?");
    params.push(filter.reference);
  }
  if (filter.types !== undefined) {
    where.push(`type IN (${filter.types.map(() => "?").join(", ")})`);
    params.push(...filter.types);
  }
  if (filter.fromMs !== undefined) {
    where.push("at_ms >= ?");
    params.push(filter.fromMs);
  }
  if (filter.toMs !== undefined) {
    where.push("at_ms < ?");
    params.push(filter.toMs);
  }
  const sql = `SELECT data FROM sim_operation ${
    where.length === 0 ? "" : `WHERE ${where.join(" AND ")}`
  } ORDER BY seq LIMIT ?`;
  return db.prepare(sql).all(...params, filter.limit).map((row) => dataOf<SimOperation>(row)!);
}

function dataOf<T>(row: Record<string, SQLInputValue> | undefined): T | undefined {
  return row === undefined ? undefined : JSON.parse(row.data as string) as T;
}
