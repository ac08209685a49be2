import mysql from "mysql2/promise";
import type { DbConfig } from "../config/mod.ts";

export type Pool = mysql.Pool;
export type Connection = mysql.PoolConnection;

/**
 * How long a query may wait for a free pool connection before failing.
 * Longer than any healthy transaction here, short enough that an exhausted
 * pool turns into a 503 rather than a hung request.
 */
export const poolQueueTimeoutMs = 5_000;

export function createPool(config: DbConfig): Pool {
  return mysql.createPool({
    host: config.host,
    port: config.port,
    socketPath: config.socketPath,
    user: config.user,
    password: config.password,
    database: config.database,
    connectionLimit: config.poolSize,
    waitForConnections: true,
    queueLimit: 0,
    connectTimeout: poolQueueTimeoutMs,
    // BIGINT money stays a JS number: amounts are bounded far below 2^53.
    supportBigNumbers: true,
    bigNumberStrings: false,
    dateStrings: false,
    timezone: "Z",
    enableKeepAlive: true,
    // Lets one round trip carry a whole transaction (see batch.ts). Values are
    // always bound through placeholders, never concatenated, so this opens no
    // injection path.
    multipleStatements: true,
  });
}

/**
 * Runs `work` in one transaction on one connection: commits when it returns,
 * rolls back when it throws, and always releases the connection.
 */
export async function inTransaction<T>(
  pool: Pool,
  work: (tx: Connection) => Promise<T>,
): Promise<T> {
  const connection = await pool.getConnection();
  try {
    await connection.beginTransaction();
    const result = await work(connection);
    await connection.commit();
    return result;
  } catch (error) {
    await connection.rollback().catch(() => {});
    throw error;
  } finally {
    connection.release();
  }
}

/** MariaDB's error for a duplicate key on a unique index. */
export function isDuplicateKey(error: unknown): boolean {
  return (error as { code?: string })?.code === "ER_DUP_ENTRY";
}
