import * as hdr from "hdr-histogram-js";

/** One load run's figures. */
export interface LoadResult {
  readonly label: string;
  readonly requests: number;
  readonly errors: number;
  readonly requestsPerSecond: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
}

/**
 * Closed-loop load from this process: `concurrency` workers each send, await,
 * and send again until `durationMs` has passed. `send` resolves to a status.
 */
export async function runLoadLoop(
  label: string,
  durationMs: number,
  concurrency: number,
  send: (i: number) => Promise<number>,
  okStatus: (status: number) => boolean = (s) => s < 400,
): Promise<LoadResult> {
  const histogram = hdr.build({ lowestDiscernibleValue: 1, highestTrackableValue: 60_000_000 });
  const endMs = performance.now() + durationMs;
  let requests = 0;
  let errors = 0;
  let sequence = 0;
  const worker = async () => {
    while (performance.now() < endMs) {
      const start = performance.now();
      const status = await send(sequence++).catch(() => 0);
      histogram.recordValue(Math.round((performance.now() - start) * 1000));
      requests++;
      if (!okStatus(status)) errors++;
    }
  };
  const startMs = performance.now();
  await Promise.all(Array.from({ length: concurrency }, worker));
  const elapsedS = (performance.now() - startMs) / 1000;
  const result = {
    label,
    requests,
    errors,
    requestsPerSecond: requests / elapsedS,
    p50Ms: histogram.getValueAtPercentile(50) / 1000,
    p99Ms: histogram.getValueAtPercentile(99) / 1000,
  };
  histogram.destroy();
  return result;
}

/** Runs wrk against a URL and reads its summary (needs `--latency`). */
export async function runWrk(
  label: string,
  url: string,
  durationS: number,
  connections: number,
  headers: Record<string, string> = {},
): Promise<LoadResult> {
  const args = ["-t1", `-c${connections}`, `-d${durationS}s`, "--latency"];
  for (const [name, value] of Object.entries(headers)) args.push("-H", `${name}: ${value}`);
  const output = await new Deno.Command("wrk", { args: [...args, url], stdout: "piped" }).output();
  const text = new TextDecoder().decode(output.stdout);
  const requests = Number(/(\d+) requests in/.exec(text)?.[1] ?? 0);
  const non2xx = Number(/Non-2xx or 3xx responses: (\d+)/.exec(text)?.[1] ?? 0);
  const socketErrors = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(
    text,
  );
  const errors = non2xx +
    (socketErrors ? socketErrors.slice(1).reduce((s, n) => s + Number(n), 0) : 0);
  return {
    label,
    requests,
    errors,
    requestsPerSecond: Number(/Requests\/sec:\s+([\d.]+)/.exec(text)?.[1] ?? 0),
    p50Ms: wrkLatencyMs(text, "50%"),
    p99Ms: wrkLatencyMs(text, "99%"),
  };
}

function wrkLatencyMs(text: string, percentile: string): number {
  const match = new RegExp(`^\\s*${percentile}\\s+([\\d.]+)(us|ms|s)\\s*$`, "m").exec(text);
  if (!match) return NaN;
  const factor = { us: 0.001, ms: 1, s: 1000 }[match[2] as "us" | "ms" | "s"];
  return Number(match[1]) * factor;
}

export function formatTable(results: readonly LoadResult[]): string {
  const rows = results.map((r) =>
    `${r.label.padEnd(34)} ${r.requestsPerSecond.toFixed(0).padStart(9)} ${
      r.p50Ms.toFixed(2).padStart(8)
    } ${r.p99Ms.toFixed(2).padStart(8)} ${String(r.errors).padStart(7)}`
  );
  return [
    `${"run".padEnd(34)} ${"req/s".padStart(9)} ${"p50 ms".padStart(8)} ${"p99 ms".padStart(8)} ${
      "errors".padStart(7)
    }`,
    ...rows,
  ]
    .join("\n");
}
