import { ConfigError, type Env, intVar, parseEnv, stringVar } from "./env.ts";

export const dbVars = {
  DB_HOST: stringVar("127.0.0.1", "MariaDB host"),
  DB_PORT: intVar(3306, 1, 65535, "MariaDB port"),
  DB_SOCKET: stringVar(
    "",
    "MariaDB Unix socket path (e.g. /run/mysqld/mysqld.sock); when set it is used instead of DB_HOST:DB_PORT (cheaper per query on one machine). Never chosen automatically",
  ),
  DB_USER: stringVar("root", "MariaDB user"),
  DB_PASSWORD: stringVar("", "MariaDB password"),
  DB_NAME: stringVar("payments", "MariaDB database (schema) name"),
  DB_POOL_SIZE: intVar(16, 1, 512, "Connections per process in the MariaDB pool"),
};

export interface DbConfig {
  readonly host: string;
  readonly port: number;
  /** Unix socket path, or undefined to connect over TCP. */
  readonly socketPath: string | undefined;
  readonly user: string;
  readonly password: string;
  readonly database: string;
  readonly poolSize: number;
}

export function readDbConfig(env: Env): DbConfig {
  const v = parseEnv(dbVars, env);
  const socketProblem = v.DB_SOCKET ? dbSocketPermissionProblem(v.DB_SOCKET) : undefined;
  if (socketProblem) throw new ConfigError([socketProblem]);
  return Object.freeze({
    host: v.DB_HOST,
    port: v.DB_PORT,
    socketPath: v.DB_SOCKET || undefined,
    user: v.DB_USER,
    password: v.DB_PASSWORD,
    database: v.DB_NAME,
    poolSize: v.DB_POOL_SIZE,
  });
}

/** Where MariaDB is reached, for messages: `socket <path>` or `host:port`. */
export function dbAddress(config: DbConfig): string {
  return config.socketPath ? `socket ${config.socketPath}` : `${config.host}:${config.port}`;
}

/**
 * Deno asks for write access to connect to a Unix socket. Without it the
 * driver fails deep inside its first query; this names the variable and the
 * flag instead. Undefined when the process may connect.
 */
export function dbSocketPermissionProblem(path: string): string | undefined {
  const { state } = Deno.permissions.querySync({ name: "write", path });
  if (state === "granted") return undefined;
  return `DB_SOCKET: connecting to the socket needs write permission; run with --allow-write=${path} or unset DB_SOCKET to use DB_HOST:DB_PORT (got ${
    JSON.stringify(path)
  })`;
}
