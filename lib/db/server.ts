import mysql from "mysql2/promise";
import type { DbConfig } from "../config/mod.ts";
import { sql } from "./batch.ts";
import type { Db } from "./port.ts";

/** Where a MariaDB server listens and who logs in: a DbConfig without its database. */
export type ServerLogin = Pick<DbConfig, "host" | "port" | "socketPath" | "user" | "password">;

/**
 * Logs in to the server (no database chosen) and runs one trivial query.
 * Rejects with the driver's error, whose `code` (ECONNREFUSED,
 * ER_ACCESS_DENIED_ERROR...) says what is wrong.
 */
export async function probeServer(login: ServerLogin, connectTimeoutMs: number): Promise<void> {
  const connection = await mysql.createConnection({
    ...loginOptions(login),
    connectTimeout: connectTimeoutMs,
  });
  try {
    await connection.query("SELECT 1");
  } finally {
    await connection.end().catch(() => {});
  }
}

/** Whether the database answers a trivial query now (readiness probes), on either adapter. */
export async function pingDatabase(pool: Db): Promise<void> {
  await pool.query(sql("SELECT 1"));
}

/** Drops `database` when it exists (tests start from an empty one). */
export async function dropDatabase(login: ServerLogin, database: string): Promise<void> {
  const connection = await mysql.createConnection(loginOptions(login));
  try {
    await connection.query(`DROP DATABASE IF EXISTS ${connection.escapeId(database)}`);
  } finally {
    await connection.end();
  }
}

function loginOptions(login: ServerLogin) {
  return {
    host: login.host,
    port: login.port,
    socketPath: login.socketPath,
    user: login.user,
    password: login.password,
  };
}
