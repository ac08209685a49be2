import type { ServiceSpec } from "./services.ts";

/**
 * A crashed service is restarted forever, after a delay that doubles with
 * each crash in a row (so a crash loop does not spin the CPU) up to a cap (so
 * a dependency that comes back is picked up within half a minute).
 */
export interface RestartPolicy {
  readonly delayBaseMs: number;
  readonly delayCapMs: number;
  /** A run at least this long counts as healthy: the next crash starts from the base delay again. */
  readonly stableRunMs: number;
}

export const defaultRestartPolicy: RestartPolicy = {
  delayBaseMs: 1_000,
  delayCapMs: 30_000,
  stableRunMs: 60_000,
};

/** The delay before restart number `crashesInRow` (1 for the first crash of a run of crashes). */
export function restartDelayMs(policy: RestartPolicy, crashesInRow: number): number {
  return Math.min(policy.delayCapMs, policy.delayBaseMs * 2 ** Math.min(crashesInRow - 1, 30));
}
/** How long a service may take to answer /health after its start. */
export const startTimeoutMs = 60_000;
/** How long children get to exit after SIGTERM before SIGKILL. */
const stopGraceMs = 10_000;

interface Running {
  readonly spec: ServiceSpec;
  child: Deno.ChildProcess;
  startedAtMs: number;
  crashesInRow: number;
}

/**
 * Runs services as child processes with their output prefixed by name,
 * restarts one that exits unexpectedly (bounded), and stops them all on
 * request.
 */
export class Supervisor {
  readonly #running = new Map<string, Running>();
  readonly #restartTimers = new Set<ReturnType<typeof setTimeout>>();
  #stopping = false;

  constructor(
    private readonly rootDir: string,
    private readonly baseEnv: Record<string, string>,
    private readonly print: (line: string) => void = console.log,
    private readonly policy: RestartPolicy = defaultRestartPolicy,
  ) {}

  async start(spec: ServiceSpec): Promise<void> {
    const running: Running = {
      spec,
      child: this.#spawn(spec),
      startedAtMs: Date.now(),
      crashesInRow: 0,
    };
    this.#running.set(spec.name, running);
    this.#watch(running);
    await waitHealthy(spec, running);
  }

  async stopAll(): Promise<void> {
    this.#stopping = true;
    for (const timer of this.#restartTimers) clearTimeout(timer);
    this.#restartTimers.clear();
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
    void running.child.status.then((status) => {
      if (this.#stopping) return;
      const ranMs = Date.now() - running.startedAtMs;
      running.crashesInRow = ranMs >= this.policy.stableRunMs ? 1 : running.crashesInRow + 1;
      const delayMs = restartDelayMs(this.policy, running.crashesInRow);
      this.print(
        `[supervisor] ${running.spec.name} exited (code ${status.code}); restarting in ${delayMs} ms (crash ${running.crashesInRow} in a row)`,
      );
      const timer = setTimeout(() => {
        this.#restartTimers.delete(timer);
        if (this.#stopping) return;
        running.child = this.#spawn(running.spec);
        running.startedAtMs = Date.now();
        this.#watch(running);
      }, delayMs);
      this.#restartTimers.add(timer);
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
