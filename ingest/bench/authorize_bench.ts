/**
 * Authorize throughput against ONE ingest instance of the scale-out profile
 * over a real socket, with a real pgsim (latency 5-15 ms), MariaDB and Redis.
 * Closed loop: `concurrency` clients each send signed authorizes back to back
 * for `seconds`.
 *
 *   deno run -A ingest/bench/authorize_bench.ts [--seconds 10] [--concurrency 64]
 */
import { parseArgs } from "node:util";
import { signedHeaders } from "@pay/lib/http";
import { freePort, freshMariaDatabase, startService } from "@pay/lib/testing";

const { values } = parseArgs({
  options: {
    seconds: { type: "string", default: "10" },
    concurrency: { type: "string", default: "64" },
  },
});
const durationMs = Number(values.seconds) * 1000;
const concurrency = Number(values.concurrency);
const secret = "bench-internal-secret-0123456789abcdef";

const db = await freshMariaDatabase("bench_ingest");
await db.close();
const pgsimPort = freePort();
const ingestPort = freePort();
const pgsim = await startService({
  name: "pgsim",
  entry: "pgsim/main.ts",
  port: pgsimPort,
  env: { PGSIM_PORT: String(pgsimPort) },
});
const ingest = await startService({
  name: "ingest",
  entry: "ingest/main.ts",
  port: ingestPort,
  env: {
    ...db.env,
    PROFILE: "scale-out",
    INGEST_PORT: String(ingestPort),
    PG_URL: pgsim.url,
    INTERNAL_AUTH_SECRET: secret,
    REDIS_KEY_PREFIX: "pay:bench:",
  },
});

const latenciesMs: number[] = [];
const statuses = new Map<number, number>();
let sequence = 0;

async function client(deadline: number): Promise<void> {
  while (performance.now() < deadline) {
    const body = JSON.stringify({ amount: 10000, currency: "KRW" });
    const path = "/api/payments/authorize";
    const headers = {
      "content-type": "application/json",
      "idempotency-key": `bench-${Date.now()}-${sequence++}`,
      ...signedHeaders(secret, {
        method: "POST",
        pathWithQuery: path,
        merchantId: "M123",
        body,
        timestampSeconds: Math.floor(Date.now() / 1000),
        nonce: crypto.randomUUID(),
      }),
    };
    const started = performance.now();
    const res = await fetch(`${ingest.url}${path}`, { method: "POST", headers, body });
    await res.arrayBuffer();
    latenciesMs.push(performance.now() - started);
    statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
  }
}

try {
  // Warm-up: JIT, pools and connections.
  await Promise.all(Array.from({ length: concurrency }, () => client(performance.now() + 2_000)));
  latenciesMs.length = 0;
  statuses.clear();
  const started = performance.now();
  await Promise.all(Array.from({ length: concurrency }, () => client(started + durationMs)));
  const elapsedS = (performance.now() - started) / 1000;
  latenciesMs.sort((a, b) => a - b);
  const pct = (p: number) =>
    latenciesMs[Math.min(latenciesMs.length - 1, Math.floor(latenciesMs.length * p))]!;
  console.log(JSON.stringify({
    requests: latenciesMs.length,
    seconds: Number(elapsedS.toFixed(1)),
    reqPerS: Math.round(latenciesMs.length / elapsedS),
    p50Ms: Number(pct(0.5).toFixed(1)),
    p99Ms: Number(pct(0.99).toFixed(1)),
    maxMs: Number(latenciesMs.at(-1)!.toFixed(1)),
    statuses: Object.fromEntries(statuses),
    concurrency,
    loadavg: Deno.loadavg(),
  }));
} finally {
  await ingest.stop();
  await pgsim.stop();
}
