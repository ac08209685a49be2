/** A child process that printed its port on its first stdout line. */
export interface ChildServer {
  readonly port: number;
  readonly url: string;
  readonly child: Deno.ChildProcess;
  /** SIGKILL (a crash, not a graceful stop) and wait for the exit. */
  kill(): Promise<void>;
}

const firstLinePort = (line: string) => /^\d+$/.test(line.trim()) ? Number(line.trim()) : null;

/**
 * Starts `deno run -A <script> ...args` and waits until `portOf` finds the
 * listening port in a stdout line (by default: the first line is the port).
 */
export async function spawnDenoServer(
  script: string,
  args: string[],
  env: Record<string, string> = {},
  onLine: (line: string) => void = () => {},
  portOf: (line: string) => number | null = firstLinePort,
): Promise<ChildServer> {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", script, ...args],
    env,
    stdout: "piped",
    stderr: "inherit",
  }).spawn();
  const lines = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  let text = "";
  let port: number | null = null;
  while (port === null) {
    const newline = text.indexOf("\n");
    if (newline >= 0) {
      port = portOf(text.slice(0, newline));
      text = text.slice(newline + 1);
      continue;
    }
    const { value, done } = await lines.read();
    if (done) throw new Error(`Child exited before printing its port: ${script}`);
    text += value;
  }
  // Keep draining stdout so the child never blocks on a full pipe.
  (async () => {
    let buffered = text;
    for (;;) {
      const newline = buffered.indexOf("\n");
      if (newline >= 0) {
        onLine(buffered.slice(0, newline));
        buffered = buffered.slice(newline + 1);
        continue;
      }
      const { value, done } = await lines.read();
      if (done) return;
      buffered += value;
    }
  })().catch(() => {});
  let exited = false;
  return {
    port,
    url: `http://127.0.0.1:${port}`,
    child,
    async kill() {
      if (exited) return;
      exited = true;
      try {
        child.kill("SIGKILL");
      } catch { /* already gone */ }
      await child.status;
    },
  };
}
