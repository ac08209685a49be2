/**
 * Capture completion latency: from ingest accepting a capture (202,
 * settlement_request written) to the payment CAPTURED (settlement worker's
 * commit), through the real pipeline: ingest → outbox → relay → bus →
 * settlement worker → pgsim (latency 5-15 ms) → database. On the scale-out
 * profile (Redis Streams, MariaDB: the recorded figures) unless `--profile
 * embedded` (the embedded bus and one SQLite file).
 *
 * Open loop: authorizes `captures` payments first, then sends their captures
 * at `rate` per second, waits until all are CAPTURED, and reads each
 * request's created_at → completed_at from the database (both written by
 * clocks of this machine, so no polling bias).
 *
 *   deno run -A workers/settlement/bench.ts [--captures 1000] [--rate 100] [--poll-idle-ms 100] [--profile scale-out]
 */
import { parseArgs } from "node:util";
import { profiles } from "@pay/lib/config";
import { captureRequestTimings, countCompletedCaptureRequests } from "@pay/lib/db";
import { signedHeaders } from "@pay/lib/http";
import { freePort, startService } from "@pay/lib/testing";
import { profileFixture } from "../testing/profile_fixture.ts";

const { values } = parseArgs({
  options: {
    captures: { type: "string", default: "1000" },
    rate: { type: "string", default: "100" },
    "poll-idle-ms": { type: "string", default: "100" },
    profile: { type: "string", default: "scale-out" },
  },
});
const captures = Number(values.captures);
const ratePerSecond = Number(values.rate);
const pollIdleMs = values["poll-idle-ms"]!;
const profile = profiles.find((p) => p === values.profile);
if (!profile) throw new Error(`--profile: one of ${profiles.join(", ")}: ${values.profile}`);
const secret = "bench-internal-secret-0123456789abcdef";
/** Authorizes in flight while preparing: enough to prepare 1,000 payments in a few seconds. */
const authorizeConcurrency = 32;
/** How long the captures may take to complete before the bench gives up. */
const completionTimeoutMs = 120_000;
/** Pause between two counts of completed captures (the latencies come from the database, not from this). */
const pollIntervalMs = 100;

const fixture = await profileFixture("bench_settlement", profile);
const { db } = fixture;
const ports = { pgsim: freePort(), ingest: freePort(), workers: freePort() };
const env = {
  ...fixture.env,
  PG_URL: `http://127.0.0.1:${ports.pgsim}`,
  INTERNAL_AUTH_SECRET: secret,
};
const pgsim = await startService({
  name: "pgsim",
  entry: "pgsim/main.ts",
  port: ports.pgsim,
  env: { PGSIM_PORT: String(ports.pgsim), PGSIM_LATENCY_MS_MIN: "5", PGSIM_LATENCY_MS_MAX: "15" },
});
const [ingest, workers] = await Promise.all([
  startService({
    name: "ingest",
    entry: "ingest/main.ts",
    port: ports.ingest,
    env: { ...env, INGEST_PORT: String(ports.ingest) },
  }),
  startService({
    name: "workers",
    entry: "workers/main.ts",
    port: ports.workers,
    env: { ...env, WORKERS_PORT: String(ports.workers), OUTBOX_POLL_IDLE_MS: pollIdleMs },
  }),
]);

async function signed(method: string, path: string, body: unknown, key?: string) {
  const text = JSON.stringify(body);
  const response = await fetch(`${ingest.url}${path}`, {
    method,
    headers: {
      "content-type": "application/json",
      ...(key ? { "idempotency-key": key } : {}),
      ...signedHeaders(secret, {
        method,
        pathWithQuery: path,
        merchantId: "M123",
        body: text,
        timestampSeconds: Math.floor(Date.now() / 1000),
        nonce: crypto.randomUUID(),
      }),
    },
    body: text,
  });
  const json = await response.json();
  if (response.status >= 300) {
    throw new Error(`${path} answered ${response.status}: ${JSON.stringify(json)}`);
  }
  return json;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

try {
  const paymentIds: string[] = [];
  let next = 0;
  await Promise.all(Array.from({ length: authorizeConcurrency }, async () => {
    while (next < captures) {
      const i = next++;
      const payment = await signed("POST", "/api/payments/authorize", {
        amount: 10_000,
        currency: "KRW",
      }, `bench-${i}`);
      paymentIds.push(payment.paymentId);
    }
  }));

  const acceptMs: number[] = [];
  const started = performance.now();
  await Promise.all(paymentIds.map(async (id, i) => {
    const due = started + (i * 1_000) / ratePerSecond;
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, due - performance.now())));
    const sent = performance.now();
    await signed("POST", `/api/payments/capture/${id}`, {});
    acceptMs.push(performance.now() - sent);
  }));

  const deadline = Date.now() + completionTimeoutMs;
  while (true) {
    if (await countCompletedCaptureRequests(db.pool) === captures) break;
    if (Date.now() > deadline) throw new Error("Captures did not complete in time");
    await new Promise((resolve) => setTimeout(resolve, pollIntervalMs));
  }
  const timings = await captureRequestTimings(db.pool);
  const failed = timings.filter((r) => r.status !== "SUCCESS").length;
  const completionMs = timings.map((r) => r.completionMs).sort((a, b) => a - b);
  acceptMs.sort((a, b) => a - b);
  const [load1, load5] = Deno.loadavg();
  const format = (list: number[]) =>
    `p50 ${percentile(list, 50).toFixed(1)} ms, p90 ${percentile(list, 90).toFixed(1)} ms, ` +
    `p99 ${percentile(list, 99).toFixed(1)} ms, max ${list.at(-1)!.toFixed(1)} ms`;
  console.log(
    `${profile}: captures ${captures} at ${ratePerSecond}/s, OUTBOX_POLL_IDLE_MS=${pollIdleMs}, pgsim latency 5-15 ms`,
  );
  console.log(`capture 202 (ingest):            ${format(acceptMs)}`);
  console.log(`capture request -> CAPTURED:     ${format(completionMs)}`);
  console.log(
    `failed ${failed}; cores ${navigator.hardwareConcurrency}; load average ${
      load1!.toFixed(2)
    } (1 min), ${load5!.toFixed(2)} (5 min)`,
  );
} finally {
  await workers.stop();
  await ingest.stop();
  await pgsim.stop();
  await fixture.close();
}
