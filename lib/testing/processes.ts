/**
 * Real service processes for end-to-end tests: `deno run` of a service's
 * main.ts with its environment, waiting until /health answers.
 */
export interface ServiceProcess {
  readonly name: string;
  readonly port: number;
  readonly url: string;
  /** The process id (for a test that signals the process itself). */
  readonly pid: number;
  /** Resolves when the process has exited, whoever ended it. */
  readonly exited: Promise<Deno.CommandStatus>;
  /** Sends a signal and returns at once (e.g. SIGSTOP, SIGCONT); no-op once exited. */
  signal(signal: Deno.Signal): void;
  /** Everything the process printed so far (bounded), for failure messages. */
  output(): string;
  /** SIGTERM, then SIGKILL after a grace period; waits for the exit. */
  stop(): Promise<void>;
  /** SIGKILL at once: a crash, not a graceful stop. */
  kill(): Promise<void>;
}

/** How long a service may take to answer /health (type-checking on a cold cache takes a while). */
const startTimeoutMs = 60_000;
const stopGraceMs = 5_000;
/** Output kept per process for failure messages. */
const outputCharsMax = 20_000;

const repoRoot = new URL("../../", import.meta.url).pathname;

/** A TCP port free at the time of the call. */
export function freePort(): number {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (listener.addr as Deno.NetAddr).port;
  listener.close();
  return port;
}

export async function startService(options: {
  name: string;
  /** Entry relative to the repository root, e.g. `ingest/main.ts`. */
  entry: string;
  port: number;
  env: Record<string, string>;
}): Promise<ServiceProcess> {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "--quiet", options.entry],
    cwd: repoRoot,
    env: { ...options.env, NO_COLOR: "1" },
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  let output = "";
  const collect = async (stream: ReadableStream<Uint8Array>) => {
    // Decoded by hand: TextDecoderStream's types differ under the DOM lib (Preact's JSX
    // types pull it into the store's type-check of lib), so pipeThrough would not compile.
    const decoder = new TextDecoder();
    for await (const chunk of stream) {
      output = (output + decoder.decode(chunk, { stream: true })).slice(-outputCharsMax);
    }
  };
  const drained = Promise.all([collect(child.stdout), collect(child.stderr)]);
  let exited = false;
  const status = child.status.then((s) => {
    exited = true;
    return s;
  });
  const url = `http://127.0.0.1:${options.port}`;
  const end = async (signal: Deno.Signal) => {
    if (!exited) {
      try {
        child.kill(signal);
      } catch { /* already gone */ }
    }
    const timer = setTimeout(() => !exited && child.kill("SIGKILL"), stopGraceMs);
    await status;
    clearTimeout(timer);
    await drained;
  };
  const service: ServiceProcess = {
    name: options.name,
    port: options.port,
    url,
    pid: child.pid,
    exited: status,
    signal: (signal) => {
      if (exited) return;
      try {
        child.kill(signal);
      } catch { /* exited meanwhile */ }
    },
    output: () => output,
    stop: () => end("SIGTERM"),
    kill: () => end("SIGKILL"),
  };
  const deadline = Date.now() + startTimeoutMs;
  while (true) {
    if (exited) {
      await drained;
      throw new Error(`${options.name} exited during start:\n${output}`);
    }
    if (Date.now() > deadline) {
      await service.kill();
      throw new Error(
        `${options.name} did not answer /health within ${startTimeoutMs} ms:\n${output}`,
      );
    }
    try {
      const res = await fetch(`${url}/health`, { signal: AbortSignal.timeout(1_000) });
      await res.body?.cancel();
      if (res.ok) return service;
    } catch { /* not listening yet */ }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
