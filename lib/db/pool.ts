import mysql from "mysql2/promise";
import type { DbConfig } from "../config/mod.ts";
import { DependencyUnavailableError } from "../domain/mod.ts";
import { MariaDb } from "./mariadb_db.ts";

/**
 * How long anything (getConnection, query, execute) may wait for a pooled
 * connection, including opening a new one, before it fails with a
 * DependencyUnavailableError (a 503). A healthy pool hands one out in
 * microseconds and our longest transaction takes milliseconds, so 2 s means
 * the pool is exhausted or MariaDB is gone; it stays well under the
 * gateway's 5 s UPSTREAM_TIMEOUT_MS so the client gets our 503, not a timeout.
 */
export const poolAcquireTimeoutMs = 2_000;

/** How long opening one TCP connection to MariaDB may take (bounded by poolAcquireTimeoutMs for requests). */
export const connectTimeoutMs = 2_000;

/** The MariaDB adapter of the storage port on a new connection pool. */
export function createPool(config: DbConfig): MariaDb {
  return new MariaDb(createDriverPool(config));
}

/** mysql2's own pool, as the MariaDB adapter drives it. */
export function createDriverPool(config: DbConfig): mysql.Pool {
  const pool = mysql.createPool({
    host: config.host,
    port: config.port,
    socketPath: config.socketPath,
    user: config.user,
    password: config.password,
    database: config.database,
    connectionLimit: config.poolSize,
    waitForConnections: true,
    queueLimit: 0,
    connectTimeout: connectTimeoutMs,
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
  boundAcquire(pool.pool as unknown as CallbackPool, poolAcquireTimeoutMs);
  return pool;
}

type ConnectionCallback = (error: Error | null, connection?: { release(): void }) => void;

interface CallbackPool {
  getConnection(callback: ConnectionCallback): void;
}

/**
 * mysql2 pools have no acquire timeout (PoolConfig knows only queueLimit):
 * a request for a connection waits in its queue without any bound, so an
 * exhausted pool would hold requests forever. The callback pool's
 * getConnection is what the promise pool's getConnection, query and execute
 * all go through, so bounding it here bounds every path. A connection that
 * arrives after its caller gave up goes straight back to the pool.
 */
function boundAcquire(pool: CallbackPool, timeoutMs: number): void {
  const acquire = pool.getConnection.bind(pool);
  pool.getConnection = (callback) => {
    let settled = false;
    const timer = setTimeout(() => {
      settled = true;
      callback(
        new DependencyUnavailableError(
          "database",
          `No MariaDB connection within ${timeoutMs} ms: pool exhausted or server unreachable`,
        ),
      );
    }, timeoutMs);
    acquire((error, connection) => {
      if (settled) {
        connection?.release();
        return;
      }
      settled = true;
      clearTimeout(timer);
      callback(error, connection);
    });
  };
}
