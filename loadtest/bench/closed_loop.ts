/**
 * Capacity runs: `concurrency` workers each run an iteration, await it and
 * start the next, until `durationMs` has passed. Where the open model asks
 * "does it hold this rate", this asks "how much does it do at this many in
 * flight", which is what the side-by-side ratios compare.
 */
export async function runClosedLoop(
  concurrency: number,
  durationMs: number,
  iteration: (index: number) => Promise<void>,
): Promise<{ iterations: number; seconds: number }> {
  const startedMs = performance.now();
  const endMs = startedMs + durationMs;
  let next = 0;
  const worker = async () => {
    while (performance.now() < endMs) await iteration(next++);
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return { iterations: next, seconds: (performance.now() - startedMs) / 1000 };
}
