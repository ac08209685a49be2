import type { ServiceSpec } from "./services.ts";

/** Restarts allowed per service within `restartWindowMs` before the supervisor gives up on it. */
const restartsMax = 5;
const restartWindowMs = 60_000;
/** Delay before a restart, so a crash loop does not spin the CPU. */
const restartDelayMs = 1_000;
/** How long a service may take to answer /health after its start. */
export const startTimeoutMs = 60_000;
/** How long children get to exit after SIGTERM before SIGKILL. */
const stopGraceMs = 10_000;

interface Running {
  readonly spec: ServiceSpec;
  child: Deno.ChildProcess;
  restarts: number[];
}

/**
 * Runs services as child processes with their output prefixed by name,
 * restarts one that exits unexpectedly (bounded), and stops them all on
 * request.
 */
export class Supervisor {
  readonly #running = new Map<string, Running>();
  #stopping = false;

  constructor(
    private readonly rootDir: string,
    private readonly baseEnv: Record<string, string>,
    private readonly print: (line: string) => void = console.log,
  ) {}

  async start(spec: ServiceSpec): Promise<void> {
    const running: Running = { spec, child: this.#spawn(spec), restarts: [] };
    this.#running.set(spec.name, running);
    this.#watch(running);
    await waitHealthy(spec, running);
  }

  async stopAll(): Promise<void> {
    this.#stopping = true;
    const all = [...this.#running.values()].reverse();
    await Promise.all(all.map(async ({ child, spec }) => {
      try {
        child.kill("SIGTERM");
      } catch {
        return; // already gone
      }
      const timer = setTimeout(() => {
        try {
          child.kill("SIGKILL");
        } catch { /* exited meanwhile */ }
      }, stopGraceMs);
      await child.status;
      clearTimeout(timer);
      this.print(`[supervisor] ${spec.name} stopped`);
    }));
  }

  #spawn(spec: ServiceSpec): Deno.ChildProcess {
    const child = new Deno.Command(Deno.execPath(), {
      args: ["run", ...spec.permissions, spec.entry],
      cwd: this.rootDir,
      env: { ...this.baseEnv, ...spec.env },
      stdin: "null",
      stdout: "piped",
      stderr: "piped",
    }).spawn();
    void this.#pipe(spec.name, child.stdout);
    void this.#pipe(spec.name, child.stderr);
    return child;
  }

  async #pipe(name: string, stream: ReadableStream<Uint8Array>): Promise<void> {
    // Decoded by hand: with Preact's DOM types in the ops member, TextDecoderStream's
    // pipeThrough does not type-check.
    const decoder = new TextDecoder();
    let pending = "";
    for await (const chunk of stream) {
      pending += decoder.decode(chunk, { stream: true });
      const lines = pending.split("\n");
      pending = lines.pop() ?? "";
      for (const line of lines) if (line) this.print(`[${name}] ${line}`);
    }
    if (pending) this.print(`[${name}] ${pending}`);
  }

  #watch(running: Running): void {
    void running.child.status.then(async (status) => {
      if (this.#stopping) return;
      const now = Date.now();
      running.restarts = running.restarts.filter((t) => now - t < restartWindowMs);
      if (running.restarts.length >= restartsMax) {
        this.print(
          `[supervisor] ${running.spec.name} exited (code ${status.code}) too often; not restarting`,
        );
        return;
      }
      running.restarts.push(now);
      this.print(`[supervisor] ${running.spec.name} exited (code ${status.code}); restarting`);
      await new Promise((r) => setTimeout(r, restartDelayMs));
      if (this.#stopping) return;
      running.child = this.#spawn(running.spec);
      this.#watch(running);
    });
  }
}

async function waitHealthy(spec: ServiceSpec, running: Running): Promise<void> {
  const deadline = Date.now() + startTimeoutMs;
  let exited = false;
  void running.child.status.then(() => exited = true);
  while (Date.now() < deadline) {
    if (exited) throw new Error(`Service exited during start: ${spec.name}`);
    try {
      const res = await fetch(`http://127.0.0.1:${spec.port}/health`, {
        signal: AbortSignal.timeout(1_000),
      });
      await res.body?.cancel();
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`Service did not become healthy within ${startTimeoutMs} ms: ${spec.name}`);
}
