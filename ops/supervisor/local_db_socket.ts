import type { Env } from "@pay/lib/config";

/** Where Debian's MariaDB puts its socket. */
export const debianMariadbSocket = "/run/mysqld/mysqld.sock";

/**
 * The MariaDB Unix socket to use when the platform runs on the database's own
 * machine: DB_SOCKET if set; else Debian's socket when DB_HOST is local and the
 * socket exists; else undefined (TCP). A query over the socket costs the
 * drivers about a third less CPU than over loopback TCP (measured here).
 */
export function localDbSocket(
  env: Env,
  exists: (path: string) => boolean = socketExists,
): string | undefined {
  if (env.DB_SOCKET) return env.DB_SOCKET;
  const host = env.DB_HOST ?? "127.0.0.1";
  if (host !== "127.0.0.1" && host !== "localhost") return undefined;
  return exists(debianMariadbSocket) ? debianMariadbSocket : undefined;
}

function socketExists(path: string): boolean {
  try {
    return Deno.statSync(path).isSocket === true;
  } catch {
    return false;
  }
}
