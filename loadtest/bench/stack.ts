import { ensureDataFolders, platformData } from "../../ops/supervisor/data_dir.ts";
import {
  defaultPorts,
  type PlatformPorts,
  platformServices,
  type ServiceSpec,
} from "../../ops/supervisor/services.ts";

/**
 * A platform stack for benchmarks and the smoke test: pgsim, ingest
 * instances, the gateway and the workers as child processes (no store, no
 * ops: they would only take CPU from the measurement), on chosen ports, with
 * the profile, database and Redis prefix given, and a data folder of its own
 * (DATA_DIR: the embedded profile's database, bus and nonces) removed at
 * stop. Children's pids are kept so their CPU can be read from /proc.
 */
export interface StackOptions {
  readonly ports: PlatformPorts;
  /** Added to (and overriding) this process's environment for every service. */
  readonly env: Readonly<Record<string, string>>;
}

export interface StackService {
  readonly name: string;
  readonly pid: number;
  readonly url: string;
}

export interface Stack {
  readonly services: readonly StackService[];
  readonly gatewayUrl: string;
  readonly ingestUrls: readonly string[];
  readonly pgsimUrl: string;
  /**
   * The stack's data folder and files (DATA_DIR, STORAGE_SQLITE_PATH, ...):
   * with `options.env`, what a process needs to reach the stack's storage.
   */
  readonly env: Readonly<Record<string, string>>;
  /** The last lines each service printed, for failure messages. */
  output(name: string): string;
  stop(): Promise<void>;
}

/** Services the stack runs, by name prefix. */
const stackServices = ["pgsim", "ingest", "gateway", "workers"];
/** A service (type-checking on a cold cache included) must answer /health within this. */
const startTimeoutMs = 90_000;
const stopGraceMs = 10_000;
/** Output kept per service: enough to see why it died. */
const outputCharsMax = 16_000;
const repoRoot = new URL("../../", import.meta.url).pathname;

/** True when nothing listens on `port` of 127.0.0.1. */
export function portFree(port: number): boolean {
  try {
    Deno.listen({ hostname: "127.0.0.1", port }).close();
    return true;
  } catch {
    return false;
  }
}

export function freePort(): number {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (listener.addr as Deno.NetAddr).port;
  listener.close();
  return port;
}

/**
 * With `preferDefaults`, the default ports (DESIGN §8) when all of them are
 * free; otherwise free ones, so a bench never collides with a running
 * `deno task start` and tests never collide with each other.
 */
export function choosePorts(ingestCount: number, preferDefaults: boolean): PlatformPorts {
  const wanted = [
    defaultPorts.pgsim,
    ...defaultPorts.ingest,
    defaultPorts.gateway,
    defaultPorts.workers,
  ];
  if (preferDefaults && ingestCount === defaultPorts.ingest.length && wanted.every(portFree)) {
    return defaultPorts;
  }
  return {
    pgsim: freePort(),
    ingest: Array.from({ length: ingestCount }, freePort),
    gateway: freePort(),
    workers: freePort(),
    store: 0,
    ops: 0,
  };
}

interface Child {
  readonly spec: ServiceSpec;
  readonly process: Deno.ChildProcess;
  readonly drained: Promise<void>;
  output: string;
  exited: boolean;
}

export async function startStack(options: StackOptions): Promise<Stack> {
  const dataDir = await Deno.makeTempDir({ prefix: "pay_stack_" });
  const env: Record<string, string> = { ...Deno.env.toObject(), ...options.env, DATA_DIR: dataDir };
  const data = platformData(env, repoRoot);
  // pgsim keeps its records in memory, as the stack always ran it: nothing survives the stack.
  const { PGSIM_DATA_FILE: _, ...dataEnv } = data.env;
  const specs = platformServices(options.ports, env.DB_SOCKET || undefined, data).filter((
    s,
  ) => stackServices.some((p) => s.name.startsWith(p)));
  const children: Child[] = [];
  const stop = async () => {
    for (const child of [...children].reverse()) await stopChild(child);
    await Deno.remove(dataDir, { recursive: true });
  };
  try {
    await ensureDataFolders(data);
    for (const spec of specs) {
      const child = spawn(spec, { ...env, ...dataEnv });
      children.push(child);
      await waitHealthy(child);
    }
  } catch (error) {
    await stop();
    throw error;
  }
  const url = (port: number) => `http://127.0.0.1:${port}`;
  return {
    services: children.map((c) => ({
      name: c.spec.name,
      pid: c.process.pid,
      url: url(c.spec.port),
    })),
    gatewayUrl: url(options.ports.gateway),
    ingestUrls: options.ports.ingest.map(url),
    pgsimUrl: url(options.ports.pgsim),
    env: dataEnv,
    output: (name) => children.find((c) => c.spec.name === name)?.output ?? "",
    stop,
  };
}

function spawn(spec: ServiceSpec, env: Readonly<Record<string, string>>): Child {
  const process = new Deno.Command(Deno.execPath(), {
    args: ["run", ...spec.permissions, spec.entry],
    cwd: repoRoot,
    env: { ...env, ...spec.env, NO_COLOR: "1" },
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const child: Child = { spec, process, drained: Promise.resolve(), output: "", exited: false };
  const collect = async (stream: ReadableStream<Uint8Array>) => {
    const decoder = new TextDecoder();
    for await (const chunk of stream) {
      child.output = (child.output + decoder.decode(chunk, { stream: true })).slice(
        -outputCharsMax,
      );
    }
  };
  (child as { drained: Promise<void> }).drained = Promise.all([
    collect(process.stdout),
    collect(process.stderr),
  ])
    .then(() => {});
  void process.status.then(() => child.exited = true);
  return child;
}

async function waitHealthy(child: Child): Promise<void> {
  const deadline = Date.now() + startTimeoutMs;
  const url = `http://127.0.0.1:${child.spec.port}/health`;
  while (Date.now() < deadline) {
    if (child.exited) throw new Error(`${child.spec.name} exited during start:\n${child.output}`);
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(1_000) });
      await res.body?.cancel();
      if (res.ok) return;
    } catch { /* not listening yet */ }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(
    `${child.spec.name} did not answer /health within ${startTimeoutMs} ms:\n${child.output}`,
  );
}

async function stopChild(child: Child): Promise<void> {
  if (!child.exited) {
    try {
      child.process.kill("SIGTERM");
    } catch { /* gone meanwhile */ }
  }
  const timer = setTimeout(() => {
    try {
      if (!child.exited) child.process.kill("SIGKILL");
    } catch { /* gone meanwhile */ }
  }, stopGraceMs);
  await child.process.status;
  clearTimeout(timer);
  await child.drained;
}
