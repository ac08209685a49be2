import assert from "node:assert/strict";
import { parsePromText } from "./prom_text.ts";
import { RingBuffer } from "./ring_buffer.ts";
import type { Sample } from "./sampler.ts";
import { quantileOfDelta, trafficSeries } from "./series.ts";
import { summarize } from "./summary.ts";

Deno.test("the Prometheus text parser reads labels with escapes and skips what it cannot read", () => {
  const samples = parsePromText([
    "# HELP x y",
    'gateway_requests_total{route="/a,b",method="GET",status="200",note="say \\"hi\\""} 12',
    "process_heap_used_bytes 1.5e3",
    'x_bucket{le="+Inf"} 3',
    "garbage line here",
    "",
  ].join("\n"));
  assert.deepEqual(samples, [
    {
      name: "gateway_requests_total",
      labels: { route: "/a,b", method: "GET", status: "200", note: 'say "hi"' },
      value: 12,
    },
    { name: "process_heap_used_bytes", labels: {}, value: 1500 },
    { name: "x_bucket", labels: { le: "+Inf" }, value: 3 },
  ]);
});

Deno.test("the ring buffer keeps the newest items in order", () => {
  const ring = new RingBuffer<number>(3);
  for (const n of [1, 2, 3, 4, 5]) ring.push(n);
  assert.deepEqual(ring.toArray(), [3, 4, 5]);
  assert.equal(ring.last(), 5);
  assert.throws(() => new RingBuffer(0), /positive integer/);
});

function sample(atMs: number, text: string): Sample {
  return { atMs, up: true, summary: summarize(parsePromText(text)) };
}

Deno.test("traffic series give throughput, error rate and p95 between scrapes, across a restart", () => {
  const request = (status: number, n: number) =>
    `ingest_http_requests_total{route="/x",method="POST",status="${status}"} ${n}`;
  const bucket = (le: string, n: number) =>
    `ingest_http_request_duration_seconds_bucket{route="/x",method="POST",le="${le}"} ${n}`;
  const series = trafficSeries([
    sample(
      0,
      [
        request(201, 100),
        request(503, 0),
        bucket("0.01", 90),
        bucket("0.1", 100),
        bucket("+Inf", 100),
      ].join("\n"),
    ),
    sample(
      10_000,
      [
        request(201, 280),
        request(503, 20),
        bucket("0.01", 100),
        bucket("0.1", 290),
        bucket("+Inf", 300),
      ].join("\n"),
    ),
    // The process restarted: counters start again from zero.
    sample(20_000, [request(201, 50), bucket("0.01", 50), bucket("+Inf", 50)].join("\n")),
  ]);
  assert.deepEqual(series, [
    { atMs: 10_000, throughput: 20, errorRate: 0.1, p95Seconds: 0.1 },
    { atMs: 20_000, throughput: 5, errorRate: 0, p95Seconds: 0.01 },
  ]);
});

Deno.test("the p95 of a histogram delta is the bound of the bucket holding the 95th percentile", () => {
  assert.equal(quantileOfDelta([], [[0.1, 0], [1, 0], [Infinity, 0]], 0.95), null);
  assert.equal(quantileOfDelta([], [[0.1, 94], [1, 100], [Infinity, 100]], 0.95), 1);
  assert.equal(
    quantileOfDelta([], [[0.1, 10], [1, 10], [Infinity, 100]], 0.95),
    1,
    "+Inf maps to the largest bound",
  );
});
