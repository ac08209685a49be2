/**
 * A non-Deno server process (mariadbd, redis-server) a test starts, kills
 * with SIGKILL and starts again, knowing its PID at every moment.
 */

/** How long a daemon may take to answer its readiness probe (MariaDB crash recovery included). */
const readyTimeoutMs = 60_000;
const readyPollMs = 100;
/** Output kept per daemon for failure messages. */
const outputCharsMax = 8_000;

export interface DaemonSpec {
  readonly name: string;
  readonly command: string;
  readonly args: readonly string[];
  /** Resolves true once the daemon serves (throwing counts as not yet). */
  readonly ready: () => Promise<boolean>;
}

export interface Daemon {
  readonly name: string;
  /** PID of the running process; undefined while it is down. */
  pid(): number | undefined;
  /** Starts the process (again) and waits until it is ready. */
  start(): Promise<void>;
  /** SIGKILL and wait for the exit: a crash, nothing flushed. */
  kill(): Promise<void>;
  /** Resolves when the current process exits (e.g. after a SHUTDOWN command). */
  exited(): Promise<void>;
  output(): string;
}

export function createDaemon(spec: DaemonSpec): Daemon {
  let child: Deno.ChildProcess | undefined;
  let status: Promise<Deno.CommandStatus> | undefined;
  let output = "";
  const collect = async (stream: ReadableStream<Uint8Array>) => {
    const decoder = new TextDecoder();
    for await (const chunk of stream) {
      output = (output + decoder.decode(chunk, { stream: true })).slice(-outputCharsMax);
    }
  };
  const kill = async () => {
    const running = child;
    if (!running || !status) return;
    try {
      running.kill("SIGKILL");
    } catch { /* exited meanwhile */ }
    await status;
  };
  return {
    name: spec.name,
    pid: () => child?.pid,
    async start() {
      if (child) throw new Error(`Daemon already running: ${spec.name}`);
      const spawned = new Deno.Command(spec.command, {
        args: [...spec.args],
        stdin: "null",
        stdout: "piped",
        stderr: "piped",
      }).spawn();
      child = spawned;
      const drained = Promise.all([collect(spawned.stdout), collect(spawned.stderr)]);
      let gone = false;
      status = spawned.status.then(async (s) => {
        gone = true;
        await drained;
        if (child === spawned) child = undefined;
        return s;
      });
      const deadline = Date.now() + readyTimeoutMs;
      while (!(await spec.ready().catch(() => false))) {
        if (gone) throw new Error(`${spec.name} exited during start:\n${output}`);
        if (Date.now() > deadline) {
          await kill();
          throw new Error(`${spec.name} was not ready within ${readyTimeoutMs} ms:\n${output}`);
        }
        await new Promise((resolve) => setTimeout(resolve, readyPollMs));
      }
    },
    kill,
    async exited() {
      if (status) await status;
    },
    output: () => output,
  };
}

/** How long a Redis command may take to answer (PING, SHUTDOWN). */
const redisReplyTimeoutMs = 2_000;

/** Sends one inline command to a Redis server and returns the first reply line. */
export async function redisCommand(port: number, command: string): Promise<string> {
  const connection = await Deno.connect({ hostname: "127.0.0.1", port });
  try {
    await connection.write(new TextEncoder().encode(`${command}\r\n`));
    const buffer = new Uint8Array(256);
    let timer: ReturnType<typeof setTimeout> | undefined;
    const read = await Promise.race([
      connection.read(buffer),
      new Promise<null>((resolve) => timer = setTimeout(() => resolve(null), redisReplyTimeoutMs)),
    ]).finally(() => clearTimeout(timer));
    return read ? new TextDecoder().decode(buffer.subarray(0, read)).split("\r\n")[0]! : "";
  } finally {
    try {
      connection.close();
    } catch { /* the server closed it (SHUTDOWN) */ }
  }
}
