import { dirname } from "node:path";
import type { StorageConfig } from "../config/mod.ts";
import { migrate, migrateSqlite } from "./migrate.ts";
import { createPool } from "./pool.ts";
import type { Db } from "./port.ts";
import { openSqliteDb } from "./sqlite_db.ts";

export interface OpenStorageOptions {
  /** MariaDB: at most this many connections in this process's pool (DB_POOL_SIZE otherwise). */
  readonly poolSizeMax?: number;
}

/**
 * The storage port on the configured database: the process's connection to
 * the SQLite file (its folder created, its migrations applied: the file is
 * the platform's own), or a new MariaDB pool (migrated by `deno task start`,
 * compose's bootstrap or `deno task migrate`, as the operator decides).
 */
export async function openStorage(
  storage: StorageConfig,
  options: OpenStorageOptions = {},
): Promise<Db> {
  if (storage.kind === "mariadb") {
    const poolSize = Math.min(storage.db.poolSize, options.poolSizeMax ?? storage.db.poolSize);
    return createPool({ ...storage.db, poolSize });
  }
  await Deno.mkdir(dirname(storage.path), { recursive: true });
  const db = openSqliteDb(storage.path);
  await migrateSqlite(db);
  return db;
}

/** Applies the configured database's pending migrations; the versions applied. */
export async function migrateStorage(
  storage: StorageConfig,
  log: (line: string) => void = () => {},
): Promise<number[]> {
  if (storage.kind === "mariadb") return await migrate(storage.db, log);
  await Deno.mkdir(dirname(storage.path), { recursive: true });
  return await migrateSqlite(openSqliteDb(storage.path), log);
}

/** Where the rows are, for a start-up line: the file, or MariaDB's address and database. */
export function describeStorage(storage: StorageConfig): string {
  if (storage.kind === "sqlite") return `SQLite ${storage.path}`;
  const { db } = storage;
  const where = db.socketPath ? `socket ${db.socketPath}` : `${db.host}:${db.port}`;
  return `MariaDB ${where}/${db.database}`;
}
