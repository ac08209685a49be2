import { dirname } from "node:path";
import { dbAddress, type StorageConfig } from "../config/mod.ts";
import { migrate, migrateSqlite } from "./migrate.ts";
import { createPool } from "./pool.ts";
import type { Db } from "./port.ts";
import { openSqliteDb, type SqliteDb } from "./sqlite_db.ts";

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
  return (await openMigratedSqlite(storage.path)).db;
}

/** Applies the configured database's pending migrations; the versions applied. */
export async function migrateStorage(
  storage: StorageConfig,
  log: (line: string) => void = () => {},
): Promise<number[]> {
  if (storage.kind === "mariadb") return await migrate(storage.db, log);
  const { db, applied } = await openMigratedSqlite(storage.path, log);
  await db.close();
  return applied;
}

/** SQLite files this process has brought up to date: opening one again migrates nothing. */
const migratedFiles = new Set<string>();

/** A hold on the process's connection to the file, its folder created and its migrations applied. */
async function openMigratedSqlite(
  path: string,
  log: (line: string) => void = () => {},
): Promise<{ db: SqliteDb; applied: number[] }> {
  await Deno.mkdir(dirname(path), { recursive: true });
  const db = openSqliteDb(path);
  if (migratedFiles.has(path)) return { db, applied: [] };
  try {
    const applied = await migrateSqlite(db, log);
    migratedFiles.add(path);
    return { db, applied };
  } catch (error) {
    await db.close();
    throw error;
  }
}

/** Where the rows are, for a start-up line: the file, or MariaDB's address and database. */
export function describeStorage(storage: StorageConfig): string {
  if (storage.kind === "sqlite") return `SQLite ${storage.path}`;
  return `MariaDB ${dbAddress(storage.db)}/${storage.db.database}`;
}
