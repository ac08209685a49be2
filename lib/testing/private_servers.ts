/**
 * Private MariaDB and Redis servers for fault tests: their own ports and data
 * folders, so a test may kill -9 them and start them again. The machine's
 * shared servers (3306, 6379) are refused, never touched.
 */
import type { DbConfig } from "../config/mod.ts";
import { probeServer } from "../db/mod.ts";
import { createDaemon, type Daemon, redisCommand } from "./daemon.ts";
import { freePort } from "./processes.ts";

/** Ports of the shared servers, which a private server must never take. */
const sharedPorts: ReadonlyMap<number, string> = new Map([[3306, "MariaDB"], [6379, "Redis"]]);
/** How long one MariaDB readiness probe may take to connect; the daemon polls again after. */
const readyProbeConnectTimeoutMs = 1_000;
/** InnoDB buffer pool when the test names none: a test's data is a few MB. */
const bufferPoolSizeMbDefault = 32;
/** Pool size of `config()` when the test names none. */
const poolSizeDefault = 8;
/** How long Redis may take to save its dump and exit after SHUTDOWN SAVE. */
const shutdownWaitMs = 10_000;
/** Outside every platform prefix, so nothing but the test touches it. */
const sentinelKey = "private-redis:sentinel";

export interface PrivateServerOptions {
  /** Default: a port free at the time of the call. 3306 and 6379 are refused. */
  readonly port?: number;
  /** Default: a fresh temporary folder; created when missing. */
  readonly dir?: string;
}

export interface PrivateServer extends Daemon {
  readonly port: number;
  readonly dir: string;
  /** Kills the server and deletes its folder. */
  remove(): Promise<void>;
}

export interface PrivateMariaDbOptions extends PrivateServerOptions {
  /** `--innodb-buffer-pool-size`, in MB. */
  readonly bufferPoolSizeMb?: number;
  /** `--max-connections`; MariaDB's default (151) when absent. */
  readonly connectionsMax?: number;
}

export interface PrivateMariaDb extends PrivateServer {
  /** Connection settings for `database` on this server (root, empty password, TCP). */
  config(database: string, poolSize?: number): DbConfig;
}

export interface PrivateRedisOptions extends PrivateServerOptions {
  /** An append-only file fsynced on every write (a restart keeps the data); default off. */
  readonly appendOnly?: boolean;
}

export interface PrivateRedis extends PrivateServer {
  readonly url: string;
  /** `SHUTDOWN SAVE`: writes dump.rdb and exits; the next start loads it. */
  shutdownSaving(): Promise<void>;
  /** Removes dump.rdb, so the next start is empty (as after a crash without persistence). */
  forgetData(): Promise<void>;
  /** Sets a key of the test's own, to tell after a restart whether the data survived. */
  markSentinel(): Promise<void>;
  sentinelKept(): Promise<boolean>;
}

/** Whether an executable of that name is installed (to skip a test that needs it). */
export function hasBinary(name: string): boolean {
  for (const dir of ["/usr/bin", "/usr/sbin", "/usr/local/bin", "/usr/local/sbin"]) {
    try {
      if (Deno.statSync(`${dir}/${name}`).isFile) return true;
    } catch { /* not there */ }
  }
  return false;
}

/** The port and folder a private server takes, refusing the shared servers' ports. */
async function placeOf(options: PrivateServerOptions, prefix: string) {
  const port = options.port ?? freePort();
  const shared = sharedPorts.get(port);
  if (shared) throw new Error(`Port of the shared ${shared} is never used privately: ${port}`);
  const dir = options.dir ?? await Deno.makeTempDir({ prefix });
  await Deno.mkdir(dir, { recursive: true });
  return { port, dir };
}

function removable(daemon: Daemon, port: number, dir: string): PrivateServer {
  return {
    ...daemon,
    port,
    dir,
    async remove() {
      await daemon.kill();
      await Deno.remove(dir, { recursive: true }).catch((error) => {
        if (!(error instanceof Deno.errors.NotFound)) throw error;
      });
    },
  };
}

/**
 * `mariadb-install-db` into `dir/data`, then a daemon running `mariadbd` on it
 * (not started yet). Commits are flushed to the log at once
 * (`--innodb-flush-log-at-trx-commit=1`), so a kill -9 loses no committed row.
 */
export async function privateMariaDb(options: PrivateMariaDbOptions = {}): Promise<PrivateMariaDb> {
  const { port, dir } = await placeOf(options, "pay_mariadb_");
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
  const login = { host: "127.0.0.1", port, socketPath: undefined, user: "root", password: "" };
  const daemon = createDaemon({
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
      `--innodb-buffer-pool-size=${options.bufferPoolSizeMb ?? bufferPoolSizeMbDefault}M`,
      ...(options.connectionsMax ? [`--max-connections=${options.connectionsMax}`] : []),
    ],
    ready: () => probeServer(login, readyProbeConnectTimeoutMs).then(() => true),
  });
  return {
    ...removable(daemon, port, dir),
    config: (database, poolSize = poolSizeDefault) => ({ ...login, database, poolSize }),
  };
}

/**
 * A daemon running redis-server in `dir` (not started yet). Without
 * `appendOnly` nothing persists (`--save ""`): killed, it restarts empty; only
 * an explicit `SHUTDOWN SAVE` leaves a dump to restart with.
 */
export async function privateRedis(options: PrivateRedisOptions = {}): Promise<PrivateRedis> {
  const { port, dir } = await placeOf(options, "pay_redis_");
  const persistence = options.appendOnly
    ? ["--appendonly", "yes", "--appendfsync", "always"]
    : ["--appendonly", "no"];
  const daemon = createDaemon({
    name: "redis",
    command: "redis-server",
    args: [
      ...["--port", String(port), "--bind", "127.0.0.1", "--save", "", ...persistence],
      ...["--dir", dir, "--dbfilename", "dump.rdb", "--daemonize", "no"],
    ],
    ready: async () => (await redisCommand(port, "PING")) === "+PONG",
  });
  return {
    ...removable(daemon, port, dir),
    url: `redis://127.0.0.1:${port}`,
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
