import { join } from "node:path";
import type { Profile } from "@pay/lib/config";
import { freshMariaDatabase, freshTestRedis } from "@pay/lib/testing";
import { type PlatformPorts, platformServices, shiftedPorts } from "./services.ts";

/** The repository: `deno task start` and the other tasks run here. */
export const repoRoot = new URL("../../", import.meta.url).pathname;

/** How long the whole platform may take to come up on a cold cache. */
const startDeadlineMs = 120_000;

/** A whole platform started by the real supervisor (`deno task start`) for a test. */
export interface TestPlatform {
  readonly ports: PlatformPorts;
  readonly offset: number;
  output(): string;
  /** SIGINT, as Ctrl-C; resolves to the supervisor's exit code. */
  stop(): Promise<number>;
}

export function portsFree(offset: number): boolean {
  for (const spec of platformServices(shiftedPorts(offset))) {
    try {
      Deno.listen({ hostname: "127.0.0.1", port: spec.port }).close();
    } catch {
      return false;
    }
  }
  return true;
}

/**
 * A random offset whose ports (8000..8190 + offset) stay below Linux's
 * ephemeral range (32768+), where the ports other tests take with port 0 and
 * every outgoing connection's local port come from.
 */
function freeOffset(): number {
  for (let attempt = 0; attempt < 50; attempt++) {
    const offset = 10_000 + Math.floor(Math.random() * 12_000);
    if (portsFree(offset)) return offset;
  }
  throw new Error("No free block of ports for the platform");
}

/** Polls `probe` until it yields a value, or throws after `deadlineMs`. */
export async function until<T>(
  what: string,
  deadlineMs: number,
  probe: () => Promise<T | undefined>,
): Promise<T> {
  const deadline = Date.now() + deadlineMs;
  while (Date.now() < deadline) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`Timed out waiting for ${what}`);
}

export interface TestPlatformOptions {
  /**
   * The platform's environment (added to the test's own): private servers, a
   * data folder the caller keeps (DATA_DIR; else one of the platform's own,
   * removed when it stops). Without it the platform gets fresh dependencies
   * of `profile`.
   */
  readonly env?: Record<string, string>;
  /**
   * Without `env`: `embedded` (the default profile: the rows in the data
   * folder's SQLite file, no MariaDB or Redis) or `scale-out` (a fresh
   * MariaDB database and Redis prefix: the test file declares
   * `// test-needs: mariadb, redis`).
   */
  readonly profile?: Profile;
}

/**
 * Runs `ops/supervisor/main.ts --port-offset N` (what `deno task start`
 * runs) and waits until it reports the platform up.
 */
export async function startTestPlatform(
  name: string,
  options: TestPlatformOptions = {},
): Promise<TestPlatform> {
  // A port found free can be taken by another test before a service binds it: try other ports.
  for (let attempt = 1;; attempt++) {
    try {
      return await startTestPlatformOnce(name, options);
    } catch (error) {
      const portTaken = (error as Error).message.includes("AddrInUse");
      if (!portTaken || attempt >= platformStartAttemptsMax) throw error;
    }
  }
}

/** Starts of a test platform tried when a port was taken meanwhile. */
const platformStartAttemptsMax = 3;

async function startTestPlatformOnce(
  name: string,
  options: TestPlatformOptions,
): Promise<TestPlatform> {
  // The platform's files apart from the repository's .data/, unless env names a DATA_DIR.
  const dataDir = await Deno.makeTempDir({ prefix: `${name}_data_` });
  const env = {
    DATA_DIR: dataDir,
    ...(options.env ?? await freshDependencies(name, options.profile ?? "embedded")),
  };
  const offset = freeOffset();
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "--allow-all", "ops/supervisor/main.ts", "--port-offset", String(offset)],
    cwd: repoRoot,
    env: { ...env, LOG_ACCESS: "false", NO_COLOR: "1" },
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  let output = "";
  const decoder = new TextDecoder();
  const collect = async (stream: ReadableStream<Uint8Array>) => {
    for await (const chunk of stream) output += decoder.decode(chunk, { stream: true });
  };
  const drained = Promise.all([collect(child.stdout), collect(child.stderr)]);
  let exited = false;
  const status = child.status.then((s) => {
    exited = true;
    return s;
  });
  const stop = async () => {
    if (!exited) child.kill("SIGINT");
    const { code } = await status;
    await drained;
    await Deno.remove(dataDir, { recursive: true }).catch(() => {});
    return code;
  };
  try {
    await until("the platform to start", startDeadlineMs, () => {
      if (exited) throw new Error("The supervisor exited");
      return Promise.resolve(output.includes("Payment platform is running") ? true : undefined);
    });
  } catch (error) {
    await stop();
    throw new Error(`${(error as Error).message}:\n${output.slice(-4000)}`);
  }
  return { ports: shiftedPorts(offset), offset, output: () => output, stop };
}

async function freshDependencies(name: string, profile: Profile): Promise<Record<string, string>> {
  if (profile === "embedded") return {};
  const db = await freshMariaDatabase(name);
  await db.close();
  const redis = await freshTestRedis(name);
  await redis.close();
  return { PROFILE: "scale-out", ...db.env, REDIS_KEY_PREFIX: redis.config.keyPrefix };
}

/**
 * A data folder under the repository's .data/: the one folder the tasks'
 * `--allow-write` names (deno.json), so tasks such as `deno task reconcile`
 * and `deno task ops` run with their own permissions on it.
 */
export async function repoDataDir(prefix: string): Promise<string> {
  const parent = join(repoRoot, ".data", "tests");
  await Deno.mkdir(parent, { recursive: true });
  return await Deno.makeTempDir({ dir: parent, prefix });
}

/**
 * Runs `deno task start` with `env` until it exits on its own: a start it
 * must refuse (bad configuration, a dependency that does not answer, a port
 * offset that cannot work).
 */
export async function startRefused(
  env: Record<string, string>,
  portOffset = 500,
): Promise<{ code: number; output: string }> {
  const { code, stdout, stderr } = await new Deno.Command(Deno.execPath(), {
    args: ["run", "--allow-all", "ops/supervisor/main.ts", "--port-offset", String(portOffset)],
    cwd: repoRoot,
    env: { ...env, NO_COLOR: "1" },
    stdout: "piped",
    stderr: "piped",
  }).output();
  const decoder = new TextDecoder();
  return { code, output: decoder.decode(stdout) + decoder.decode(stderr) };
}
