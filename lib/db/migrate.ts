import mysql from "mysql2/promise";
import type { DbConfig } from "../config/mod.ts";
import { sql } from "./batch.ts";
import type { Dialect } from "./port.ts";
import type { SqliteDb } from "./sqlite_db.ts";

/** One versioned SQL file: `NNNN_name.sql`. */
export interface Migration {
  readonly version: number;
  readonly name: string;
  readonly sql: string;
}

/** Each dialect's migrations: the same versions in both folders (migrate_test.ts checks). */
export function migrationsDir(dialect: Dialect): URL {
  return new URL(`./migrations/${dialect}/`, import.meta.url);
}
const fileNamePattern = /^(\d{4})_([a-z0-9_]+)\.sql$/;

/** How long a second migrator waits for the first to finish (e.g. two ingest instances starting). */
const migrationLockWaitSeconds = 60;

export async function loadMigrations(
  dir: URL = migrationsDir("mariadb"),
): Promise<Migration[]> {
  const migrations: Migration[] = [];
  for await (const entry of Deno.readDir(dir)) {
    const match = fileNamePattern.exec(entry.name);
    if (!entry.isFile || !match) continue;
    const sql = await Deno.readTextFile(new URL(entry.name, dir));
    migrations.push({ version: Number(match[1]), name: match[2]!, sql });
  }
  migrations.sort((a, b) => a.version - b.version);
  for (let i = 1; i < migrations.length; i++) {
    if (migrations[i]!.version === migrations[i - 1]!.version) {
      throw new Error(`Two migrations share a version: ${migrations[i]!.version}`);
    }
  }
  return migrations;
}

/**
 * Creates the database if needed and applies every migration not yet applied,
 * in order. Safe to re-run and to run from several processes at once: a named
 * lock serialises migrators, and applied versions are recorded.
 */
export async function migrate(
  config: DbConfig,
  log: (line: string) => void = () => {},
): Promise<number[]> {
  const connection = await mysql.createConnection({
    host: config.host,
    port: config.port,
    socketPath: config.socketPath,
    user: config.user,
    password: config.password,
    multipleStatements: true,
  });
  try {
    const db = connection.escapeId(config.database);
    await connection.query(
      `CREATE DATABASE IF NOT EXISTS ${db} CHARACTER SET utf8mb4 COLLATE utf8mb4_bin`,
    );
    await connection.query(`USE ${db}`);
    const [locked] = await connection.query<mysql.RowDataPacket[]>(
      "SELECT GET_LOCK(?, ?) AS ok",
      [`migrate:${config.database}`, migrationLockWaitSeconds],
    );
    if (locked[0]?.ok !== 1) {
      throw new Error(`Could not take the migration lock: ${config.database}`);
    }
    try {
      return await applyPending(connection, await loadMigrations(), log);
    } finally {
      await connection.query("SELECT RELEASE_LOCK(?)", [`migrate:${config.database}`]);
    }
  } finally {
    await connection.end();
  }
}

async function applyPending(
  connection: mysql.Connection,
  migrations: Migration[],
  log: (line: string) => void,
): Promise<number[]> {
  await connection.query(`CREATE TABLE IF NOT EXISTS schema_migration (
    version INT NOT NULL PRIMARY KEY,
    name VARCHAR(100) NOT NULL,
    applied_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3)
  ) ENGINE=InnoDB`);
  const [rows] = await connection.query<mysql.RowDataPacket[]>(
    "SELECT version FROM schema_migration",
  );
  const applied = new Set(rows.map((row) => Number(row.version)));
  const done: number[] = [];
  for (const migration of migrations) {
    if (applied.has(migration.version)) continue;
    log(`Applying migration ${migration.version}_${migration.name}`);
    await connection.query(migration.sql);
    await connection.query("INSERT INTO schema_migration (version, name) VALUES (?, ?)", [
      migration.version,
      migration.name,
    ]);
    done.push(migration.version);
  }
  return done;
}

/**
 * SQLite: applies every migration of migrations/sqlite not yet applied, in
 * order, each in its own BEGIN IMMEDIATE transaction with its version row
 * (SQLite's DDL is transactional, so a migration applies whole or not at
 * all). The file's write lock serialises processes migrating at once, and a
 * version already recorded by another is skipped.
 */
export async function migrateSqlite(
  db: SqliteDb,
  log: (line: string) => void = () => {},
): Promise<number[]> {
  await db.execute(sql(`CREATE TABLE IF NOT EXISTS schema_migration (
    version INTEGER NOT NULL PRIMARY KEY,
    name TEXT NOT NULL,
    applied_at INTEGER NOT NULL
  ) STRICT`));
  const done: number[] = [];
  for (const migration of await loadMigrations(migrationsDir("sqlite"))) {
    const applied = await db.transaction(async (tx) => {
      const [found] = await tx.run([
        sql("SELECT version FROM schema_migration WHERE version = ?", migration.version),
      ]);
      if ((found as unknown[]).length > 0) return false;
      log(`Applying migration ${migration.version}_${migration.name}`);
      await tx.run(splitScript(migration.sql).map((text) => sql(text)));
      await tx.commit([
        sql(
          "INSERT INTO schema_migration (version, name, applied_at) VALUES (?, ?, ?)",
          migration.version,
          migration.name,
          new Date(),
        ),
      ]);
      return true;
    });
    if (applied) done.push(migration.version);
  }
  return done;
}

/** A migration file's statements: they end with `;` at the end of a line; comments dropped. */
export function splitScript(script: string): string[] {
  const text = script.split("\n").filter((line) => !/^\s*--/.test(line)).join("\n");
  return text.split(/;\s*$/m).map((s) => s.trim()).filter((s) => s.length > 0);
}
