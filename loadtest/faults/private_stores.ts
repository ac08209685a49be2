/**
 * Private MariaDB and Redis for the fault suite (TOOLING.md): their own data
 * folders and ports, so the suite can kill them freely. The machine's shared
 * instances (3306, 6379) are never touched.
 */
import mysql from "mysql2/promise";
import { createDaemon, type Daemon, redisCommand } from "./daemon.ts";

/** InnoDB buffer pool of the private server: the suite's data is a few MB. */
const bufferPoolSize = "128M";
/** Four service pools of 16 connections, the suite's own, and room for reconnect storms. */
const connectionsMax = 400;

/** `mariadb-install-db` into `dir/data` once, then a daemon that runs `mariadbd` on it. */
export async function privateMariaDb(dir: string, port: number): Promise<Daemon> {
  if (port === 3306) throw new Error("The fault suite never uses the shared MariaDB port 3306");
  const install = await new Deno.Command("mariadb-install-db", {
    args: [
      "--no-defaults",
      "--user=root",
      `--datadir=${dir}/data`,
      "--auth-root-authentication-method=normal",
      "--skip-test-db",
    ],
    stdout: "piped",
    stderr: "piped",
  }).output();
  if (!install.success) {
    throw new Error(`mariadb-install-db failed:\n${new TextDecoder().decode(install.stderr)}`);
  }
  return createDaemon({
    name: "mariadb",
    command: "mariadbd",
    args: [
      "--no-defaults",
      "--user=root",
      `--datadir=${dir}/data`,
      `--port=${port}`,
      `--socket=${dir}/mysqld.sock`,
      "--bind-address=127.0.0.1",
      "--innodb-flush-log-at-trx-commit=1",
      "--skip-log-bin",
      `--innodb-buffer-pool-size=${bufferPoolSize}`,
      `--max-connections=${connectionsMax}`,
    ],
    ready: async () => {
      const connection = await mysql.createConnection({
        host: "127.0.0.1",
        port,
        user: "root",
        password: "",
        connectTimeout: 1_000,
      });
      try {
        await connection.query("SELECT 1");
        return true;
      } finally {
        await connection.end().catch(() => connection.destroy());
      }
    },
  });
}

export interface PrivateRedis extends Daemon {
  /** `SHUTDOWN SAVE`: writes dump.rdb and exits; the next start loads it. */
  shutdownSaving(): Promise<void>;
  /** Removes dump.rdb, so the next start is empty (as after a crash without persistence). */
  forgetData(): Promise<void>;
}

/**
 * redis-server without persistence (`--save "" --appendonly no`): killed, it
 * restarts empty. Only an explicit `SHUTDOWN SAVE` leaves a dump to restart with.
 */
export function privateRedis(dir: string, port: number): PrivateRedis {
  if (port === 6379) throw new Error("The fault suite never uses the shared Redis port 6379");
  const daemon = createDaemon({
    name: "redis",
    command: "redis-server",
    args: [
      "--port",
      String(port),
      "--bind",
      "127.0.0.1",
      "--save",
      "",
      "--appendonly",
      "no",
      "--dir",
      dir,
      "--dbfilename",
      "dump.rdb",
      "--daemonize",
      "no",
    ],
    ready: async () => (await redisCommand(port, "PING")) === "+PONG",
  });
  return {
    ...daemon,
    async shutdownSaving() {
      await redisCommand(port, "SHUTDOWN SAVE").catch(() => "");
      await daemon.exited();
    },
    async forgetData() {
      await Deno.remove(`${dir}/dump.rdb`).catch((error) => {
        if (!(error instanceof Deno.errors.NotFound)) throw error;
      });
    },
  };
}
