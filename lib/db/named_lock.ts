import { mariadbDriver } from "./mariadb_db.ts";
import type { RowDataPacket } from "mysql2/promise";
import type { Db } from "./port.ts";

/**
 * Runs `work` while holding a MariaDB named lock (GET_LOCK, no wait); false
 * (without running it) when another session holds it. The lock is the
 * session's: it goes when the connection does, so a crashed holder frees it.
 */
export async function withNamedLock(
  pool: Db,
  name: string,
  work: () => Promise<void>,
): Promise<boolean> {
  const connection = await mariadbDriver(pool).getConnection();
  try {
    const [rows] = await connection.query<RowDataPacket[]>("SELECT GET_LOCK(?, 0) AS ok", [name]);
    if (rows[0]?.ok !== 1) return false;
    try {
      await work();
    } finally {
      await connection.query("SELECT RELEASE_LOCK(?)", [name]);
    }
    return true;
  } finally {
    connection.release();
  }
}
