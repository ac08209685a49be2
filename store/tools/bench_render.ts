/**
 * Server render time of pages, measured in-process through the whole handler
 * (routing, session, render, headers) with memory state: the figure is the
 * store's own cost, without network or Redis.
 *
 *   deno run -A store/tools/bench_render.ts [iterations]
 */
import { Shopper, startStoreHarness } from "../testing/harness.ts";

/** Enough samples for a stable p99 in a few seconds on two shared cores. */
const iterationsDefault = 2_000;
/** Lets the JIT settle before measuring. */
const warmupIterations = 300;

const iterations = Number(Deno.args[0] ?? iterationsDefault);
const store = await startStoreHarness();

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]!;
}

try {
  const shopper = new Shopper(store.handler);
  await shopper.page("/");
  for (const path of ["/", "/products/iphone-16-pro"]) {
    for (let i = 0; i < warmupIterations; i++) await (await shopper.get(path)).text();
    const samples: number[] = [];
    for (let i = 0; i < iterations; i++) {
      const start = performance.now();
      await (await shopper.get(path)).text();
      samples.push(performance.now() - start);
    }
    samples.sort((a, b) => a - b);
    console.log(
      `${path.padEnd(26)} n=${iterations} p50=${percentile(samples, 0.5).toFixed(3)} ms ` +
        `p95=${percentile(samples, 0.95).toFixed(3)} ms p99=${
          percentile(samples, 0.99).toFixed(3)
        } ms`,
    );
  }
} finally {
  await store.close();
}
