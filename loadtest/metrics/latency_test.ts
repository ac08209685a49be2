import assert from "node:assert/strict";
import { createLatencyHistogram, recordLatencyMs, summarize } from "./latency.ts";

Deno.test("percentiles never exceed the recorded max, though HdrHistogram reports bucket tops", () => {
  for (const values of [[12_345.678], [7.4321, 7.4329], [1, 2, 3, 4_099.9]]) {
    const histogram = createLatencyHistogram();
    for (const ms of values) recordLatencyMs(histogram, ms);
    const s = summarize(histogram);
    const max = Math.max(...values);
    assert.equal(s.maxMs, Math.round(max * 1000) / 1000, `max of ${values}`);
    for (
      const [name, v] of Object.entries({
        p50: s.p50Ms,
        p95: s.p95Ms,
        p99: s.p99Ms,
        mean: s.meanMs,
      })
    ) {
      assert.ok(v <= s.maxMs, `${name} ${v} > max ${s.maxMs} for ${values}`);
    }
    histogram.destroy();
  }
});

Deno.test("percentiles of 1..100 ms stay within HdrHistogram's 0.1%", () => {
  const histogram = createLatencyHistogram();
  for (let ms = 1; ms <= 100; ms++) recordLatencyMs(histogram, ms);
  const s = summarize(histogram);
  for (const [got, want] of [[s.p50Ms, 50], [s.p95Ms, 95], [s.p99Ms, 99], [s.maxMs, 100]]) {
    assert.ok(Math.abs(got! - want!) <= want! * 0.001, `${got} vs ${want}`);
  }
  histogram.destroy();
});
