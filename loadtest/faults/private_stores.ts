/**
 * Private MariaDB and Redis for the fault suite (TOOLING.md): their own data
 * folders and ports, so the suite can kill them freely. The machine's shared
 * instances (3306, 6379) are never touched.
 */
import mysql from "mysql2/promise";
import { createDaemon, type Daemon, redisCommand } from "./daemon.ts";

/** InnoDB buffer pool of the private server: the suite's data is a few MB. */
const bufferPoolSize = "128M";
/** How long Redis may take to save its dump and exit after SHUTDOWN SAVE. */
const shutdownWaitMs = 10_000;
/** Outside the platform's prefix, so nothing but the suite touches it. */
const sentinelKey = "fault-suite:sentinel";
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
  /** Sets a key of the suite's own, to tell after a restart whether the data survived. */
  markSentinel(): Promise<void>;
  sentinelKept(): Promise<boolean>;
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
      const reply = await redisCommand(port, "SHUTDOWN SAVE").catch((error) => String(error));
      let timer: ReturnType<typeof setTimeout> | undefined;
      const exited = await Promise.race([
        daemon.exited().then(() => true),
        new Promise<boolean>((resolve) => timer = setTimeout(() => resolve(false), shutdownWaitMs)),
      ]).finally(() => clearTimeout(timer));
      if (!exited) {
        await daemon.kill();
        throw new Error(`Redis did not shut down within ${shutdownWaitMs} ms: ${reply}`);
      }
    },
    async markSentinel() {
      const reply = await redisCommand(port, `SET ${sentinelKey} 1`);
      if (reply !== "+OK") throw new Error(`Could not set the sentinel key: ${reply}`);
    },
    async sentinelKept() {
      const reply = await redisCommand(port, `EXISTS ${sentinelKey}`);
      if (reply !== ":0" && reply !== ":1") throw new Error(`Unexpected EXISTS reply: ${reply}`);
      return reply === ":1";
    },
    async forgetData() {
      await Deno.remove(`${dir}/dump.rdb`).catch((error) => {
        if (!(error instanceof Deno.errors.NotFound)) throw error;
      });
    },
  };
}
