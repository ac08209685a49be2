/**
 * Private MariaDB and Redis servers for fault tests: started on free ports,
 * killed (SIGKILL, a crash) and restarted on the same port and data by the
 * test, never touching the shared instances.
 */
import { freePort } from "@pay/lib/testing";

/** Fresh servers answer in a few seconds; a cold MariaDB data directory takes the longest. */
const serverReadyDeadlineMs = 60_000;

export interface PrivateServer {
  readonly port: number;
  /** SIGKILL and wait for the exit. */
  kill(): Promise<void>;
  /** Starts it again on the same port (and data directory), waiting until it answers. */
  restart(): Promise<void>;
}

export function hasBinary(name: string): boolean {
  for (const dir of ["/usr/bin", "/usr/sbin", "/usr/local/bin", "/usr/local/sbin"]) {
    try {
      if (Deno.statSync(`${dir}/${name}`).isFile) return true;
    } catch { /* not there */ }
  }
  return false;
}

async function answers(command: string, args: string[]): Promise<boolean> {
  const { success } = await new Deno.Command(command, {
    args,
    stdout: "null",
    stderr: "null",
  }).output().catch(() => ({ success: false }));
  return success;
}

async function waitAnswering(what: string, command: string, args: string[]): Promise<void> {
  const deadline = Date.now() + serverReadyDeadlineMs;
  while (!(await answers(command, args))) {
    if (Date.now() > deadline) {
      throw new Error(`${what} did not answer within ${serverReadyDeadlineMs} ms`);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

function privateServer(
  port: number,
  spawn: () => Deno.ChildProcess,
  ready: () => Promise<void>,
): Promise<PrivateServer> {
  let child = spawn();
  const server: PrivateServer = {
    port,
    async kill() {
      try {
        child.kill("SIGKILL");
      } catch { /* already gone */ }
      await child.status;
    },
    async restart() {
      child = spawn();
      await ready();
    },
  };
  return ready().then(() => server, async (error) => {
    await server.kill();
    throw error;
  });
}

/** redis-server on a free port, without persistence. */
export function startPrivateRedis(): Promise<PrivateServer> {
  const port = freePort();
  return privateServer(
    port,
    () =>
      new Deno.Command("redis-server", {
        args: ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        stdout: "null",
        stderr: "null",
      }).spawn(),
    () => waitAnswering("Private Redis", "redis-cli", ["-p", String(port), "ping"]),
  );
}

/** mariadbd on a free port with its own data directory (root, empty password). */
export async function startPrivateMariadb(): Promise<PrivateServer & { dispose(): Promise<void> }> {
  const port = freePort();
  const dir = await Deno.makeTempDir({ prefix: "pay-private-mariadb-" });
  const installed = await new Deno.Command("mariadb-install-db", {
    args: [
      "--no-defaults",
      "--user=root",
      `--datadir=${dir}/data`,
      "--auth-root-authentication-method=normal",
    ],
    stdout: "null",
    stderr: "piped",
  }).output();
  if (!installed.success) {
    throw new Error(`mariadb-install-db failed: ${new TextDecoder().decode(installed.stderr)}`);
  }
  const server = await privateServer(
    port,
    () =>
      new Deno.Command("mariadbd", {
        args: [
          "--no-defaults",
          "--user=root",
          `--datadir=${dir}/data`,
          `--port=${port}`,
          `--socket=${dir}/mysqld.sock`,
          "--bind-address=127.0.0.1",
          "--skip-log-bin",
          "--innodb-buffer-pool-size=64M",
        ],
        stdout: "null",
        stderr: "null",
      }).spawn(),
    () =>
      waitAnswering("Private MariaDB", "mariadb", [
        "--no-defaults",
        "-h127.0.0.1",
        `-P${port}`,
        "-uroot",
        "-e",
        "SELECT 1",
      ]),
  );
  return {
    ...server,
    async dispose() {
      await server.kill();
      await Deno.remove(dir, { recursive: true });
    },
  };
}
