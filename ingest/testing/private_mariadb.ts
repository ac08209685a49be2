import type { DbConfig } from "@pay/lib/config";
import { probeServer } from "@pay/lib/db";
import { freePort } from "@pay/lib/testing";

/**
 * A MariaDB server of the test's own, in a temporary data directory, that the
 * test may kill -9 and start again (the shared server is never touched).
 */
export interface PrivateMariaDb {
  /** Connection settings for `database` on this server. */
  config(database: string, poolSize?: number): DbConfig;
  /** SIGKILL: a crash, connections drop without a goodbye. */
  kill(): Promise<void>;
  /** Starts the server again on the same port and data, and waits until it answers. */
  start(): Promise<void>;
  /** Kills the server and removes its data directory. */
  remove(): Promise<void>;
}

/** How long the server may take to accept connections (cold start with crash recovery). */
const readyTimeoutMs = 30_000;
/** How long one readiness probe may take to connect (mysql2's default). */
const readyProbeConnectTimeoutMs = 10_000;
/** Pause between two readiness probes. */
const readyProbeIntervalMs = 100;

/** Installs and starts a private server; needs `mariadb-install-db` and `mariadbd` on PATH. */
export async function startPrivateMariaDb(): Promise<PrivateMariaDb> {
  const dir = await Deno.makeTempDir({ prefix: "pay_mariadb_" });
  const port = freePort();
  const install = await new Deno.Command("mariadb-install-db", {
    args: [
      "--no-defaults",
      "--user=root",
      `--datadir=${dir}/data`,
      "--auth-root-authentication-method=normal",
      "--skip-test-db",
    ],
    stdout: "null",
    stderr: "piped",
  }).output();
  if (!install.success) {
    throw new Error(`mariadb-install-db failed: ${new TextDecoder().decode(install.stderr)}`);
  }
  let child: Deno.ChildProcess | undefined;
  const config = (database: string, poolSize = 8): DbConfig => ({
    host: "127.0.0.1",
    port,
    socketPath: undefined,
    user: "root",
    password: "",
    database,
    poolSize,
  });
  const kill = async () => {
    if (!child) return;
    const running = child;
    child = undefined;
    try {
      running.kill("SIGKILL");
    } catch { /* already gone */ }
    await running.status;
  };
  const start = async () => {
    child = new Deno.Command("mariadbd", {
      args: [
        "--no-defaults",
        "--user=root",
        `--datadir=${dir}/data`,
        `--port=${port}`,
        `--socket=${dir}/mysqld.sock`,
        "--bind-address=127.0.0.1",
        "--skip-log-bin",
        "--innodb-buffer-pool-size=32M",
      ],
      stdin: "null",
      stdout: "null",
      stderr: "null",
    }).spawn();
    await waitReady(port);
  };
  await start();
  return {
    config,
    kill,
    start,
    async remove() {
      await kill();
      await Deno.remove(dir, { recursive: true });
    },
  };
}

async function waitReady(port: number): Promise<void> {
  const deadline = Date.now() + readyTimeoutMs;
  while (true) {
    try {
      const login = { host: "127.0.0.1", port, socketPath: undefined, user: "root", password: "" };
      await probeServer(login, readyProbeConnectTimeoutMs);
      return;
    } catch (error) {
      if (Date.now() > deadline) {
        throw new Error(`Private MariaDB did not start within ${readyTimeoutMs} ms: ${error}`);
      }
    }
    await new Promise((resolve) => setTimeout(resolve, readyProbeIntervalMs));
  }
}
