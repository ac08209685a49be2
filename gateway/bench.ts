/**
 * Proxy benchmark (root task `bench:gateway`). Everything runs on 127.0.0.1,
 * bounded in time (BENCH_SECONDS per run, default 5):
 *  1. a trivial upstream loaded directly, through the gateway (auth + rate
 *     limit + signing + forwarding) and through nginx when installed;
 *  2. the outbound client alone: node:http keep-alive vs fetch();
 *  3. a real ingest authorize (with pgsim at zero latency), directly (signed
 *     by the load loop) and through the gateway.
 * Uses wrk when installed for (1), a Deno load loop otherwise. The services
 * run the scale-out profile (Redis rate limits) when the bench's database is
 * MariaDB, the embedded one on SQLite (TEST_STORAGE, as in tests).
 */
import { devInternalSecret } from "@pay/lib/config";
import { createApiKey, createMerchant } from "@pay/lib/db";
import { signedHeaders } from "@pay/lib/http";
import { freePort, freshTestDatabase } from "@pay/lib/testing";
import { formatTable, type LoadResult, runLoadLoop, runWrk } from "./bench/load.ts";
import { nginxInstalled, startNginx } from "./bench/nginx.ts";
import { type ChildServer, spawnDenoServer } from "./testing/child.ts";
import { createNodeHttpClient } from "./upstream/client.ts";
import { upstreamOf } from "./upstream/pool.ts";

/** Seconds per run: long enough for stable figures, short enough for a 2-core shared machine. */
const runSeconds = Number(Deno.env.get("BENCH_SECONDS") ?? 5);
/** Connections (or loop workers): enough to saturate one gateway process. */
const concurrency = 32;
/** Rate limits far above what one machine can send, so the limiter is exercised but never denies. */
const unlimited = { perMinute: "10000000", burst: "1000000" };

const here = (path: string) => new URL(path, import.meta.url).pathname;
const children: ChildServer[] = [];
const cleanups: (() => Promise<void>)[] = [];

async function spawnService(script: string, env: Record<string, string>, portVar: string) {
  const port = freePort();
  const child = await spawnDenoServer(
    here(script),
    [],
    { ...env, [portVar]: String(port) },
    () => {},
    (line) => /listening/i.test(line) ? port : null,
  );
  children.push(child);
  return child;
}

async function wrkInstalled(): Promise<boolean> {
  try {
    // Spawning a missing program throws at once, not in the returned promise.
    await new Deno.Command("wrk", { args: ["--version"], stdout: "null", stderr: "null" }).output();
    return true;
  } catch {
    return false;
  }
}

function ratio(a: LoadResult, b: LoadResult | undefined): string {
  return b ? `${(a.requestsPerSecond / b.requestsPerSecond).toFixed(2)}x` : "n/a";
}

async function main(): Promise<void> {
  const db = await freshTestDatabase("gw_bench");
  cleanups.push(() => db.close());
  await createMerchant(db.pool, { id: "BENCH", name: "Benchmark merchant" });
  const { apiKey } = await createApiKey(db.pool, { merchantId: "BENCH", env: "test" });
  const profile = db.storage.kind === "mariadb" ? "scale-out" : "embedded";
  const dataDir = await Deno.makeTempDir({ prefix: "gw_bench_" });
  cleanups.push(() => Deno.remove(dataDir, { recursive: true }));
  const baseEnv = {
    ...db.env,
    PROFILE: profile,
    DATA_DIR: dataDir,
    REDIS_KEY_PREFIX: "pay:t:gw_bench:",
    LOG_ACCESS: "false",
    INTERNAL_AUTH_SECRET: devInternalSecret,
    RATE_LIMIT_READ_PER_MIN: unlimited.perMinute,
    RATE_LIMIT_READ_BURST: unlimited.burst,
    RATE_LIMIT_AUTHORIZE_PER_MIN: unlimited.perMinute,
    RATE_LIMIT_AUTHORIZE_BURST: unlimited.burst,
  };
  const auth = { authorization: `Bearer ${apiKey}` };

  const trivial = await spawnDenoServer(here("./testing/trivial_upstream_main.ts"), []);
  children.push(trivial);
  const gateway = await spawnService(
    "./main.ts",
    { ...baseEnv, INGEST_UPSTREAMS: trivial.url },
    "GATEWAY_PORT",
  );
  const path = "/api/payments/pay_bench";
  const useWrk = await wrkInstalled();
  const load = (label: string, url: string, headers: Record<string, string> = {}) =>
    useWrk
      ? runWrk(label, url, runSeconds, concurrency, headers)
      : runLoadLoop(label, runSeconds * 1000, concurrency, async () => {
        const res = await fetch(url, { headers });
        await res.body?.cancel();
        return res.status;
      });

  console.log(`Profile ${profile}, rows in ${db.storage.kind}`);
  console.log(
    `Trivial upstream, GET ${path}, ${concurrency} connections, ${runSeconds} s each (${
      useWrk ? "wrk" : "Deno load loop"
    })`,
  );
  await load("warm-up", gateway.url + path, auth);
  const direct = await load("direct to upstream", trivial.url + path);
  const viaGateway = await load("through gateway", gateway.url + path, auth);
  let viaNginx: LoadResult | undefined;
  if (await nginxInstalled()) {
    const nginx = await startNginx(freePort(), trivial.url);
    cleanups.push(() => nginx.stop());
    viaNginx = await load("through nginx", nginx.url + path);
  }
  console.log(formatTable([direct, viaGateway, ...(viaNginx ? [viaNginx] : [])]));
  console.log(
    `gateway/direct ${ratio(viaGateway, direct)}   gateway/nginx ${ratio(viaGateway, viaNginx)}\n`,
  );

  await compareClients(trivial.url);
  if (await exists(here("../ingest/main.ts")) && await exists(here("../pgsim/main.ts"))) {
    await benchIngest(baseEnv, auth);
  } else {
    console.log("ingest or pgsim missing: real authorize run skipped");
  }
}

async function compareClients(upstreamUrl: string): Promise<void> {
  const upstream = upstreamOf(upstreamUrl);
  const node = createNodeHttpClient();
  const httpClient = Deno.createHttpClient({});
  const request = { method: "GET", pathWithQuery: "/x", headers: {}, body: null, timeoutMs: 5_000 };
  const viaNode = await runLoadLoop(
    "node:http keep-alive agent",
    runSeconds * 1000,
    concurrency,
    async () => (await node.send(upstream, request)).status,
  );
  const viaFetch = await runLoadLoop(
    "fetch() + Deno.createHttpClient",
    runSeconds * 1000,
    concurrency,
    async () => {
      const res = await fetch(upstreamUrl + "/x", { client: httpClient });
      await res.arrayBuffer();
      return res.status;
    },
  );
  node.close();
  httpClient.close();
  console.log(`Outbound client alone (this process -> trivial upstream, ${concurrency} in flight)`);
  console.log(formatTable([viaNode, viaFetch]));
  console.log(`node:http/fetch ${ratio(viaNode, viaFetch)}\n`);
}

async function benchIngest(
  baseEnv: Record<string, string>,
  auth: Record<string, string>,
): Promise<void> {
  const pgsim = await spawnService("../pgsim/main.ts", {
    PGSIM_LATENCY_MS_MIN: "0",
    PGSIM_LATENCY_MS_MAX: "0",
  }, "PGSIM_PORT");
  const ingest = await spawnService(
    "../ingest/main.ts",
    { ...baseEnv, PG_URL: pgsim.url },
    "INGEST_PORT",
  );
  const gateway = await spawnService(
    "./main.ts",
    { ...baseEnv, INGEST_UPSTREAMS: ingest.url },
    "GATEWAY_PORT",
  );
  const run = `${Date.now()}`;
  const body = JSON.stringify({
    merchantId: "BENCH",
    amount: 1000,
    currency: "KRW",
    paymentMethod: "tok_visa",
  });
  const path = "/api/payments/authorize";
  const send =
    (base: string, headersOf: (key: string) => Record<string, string>) => async (i: number) => {
      const key = `${base}-${run}-${i}`;
      const res = await fetch(base + path, {
        method: "POST",
        headers: { "content-type": "application/json", "idempotency-key": key, ...headersOf(key) },
        body,
      });
      await res.body?.cancel();
      return res.status;
    };
  const signed = () =>
    signedHeaders(devInternalSecret, {
      method: "POST",
      pathWithQuery: path,
      merchantId: "BENCH",
      body,
      timestampSeconds: Math.floor(Date.now() / 1000),
      nonce: crypto.randomUUID(),
    });
  const ok = (status: number) => status === 201;
  const direct = await runLoadLoop(
    "authorize direct to ingest",
    runSeconds * 1000,
    concurrency,
    send(ingest.url, signed),
    ok,
  );
  const viaGateway = await runLoadLoop(
    "authorize through gateway",
    runSeconds * 1000,
    concurrency,
    send(gateway.url, () => auth),
    ok,
  );
  console.log(
    `Real authorize (ingest + its database + pgsim at 0 ms), Deno load loop, ${concurrency} in flight`,
  );
  console.log(formatTable([direct, viaGateway]));
  console.log(`gateway/direct ${ratio(viaGateway, direct)}\n`);
}

async function exists(path: string): Promise<boolean> {
  return await Deno.stat(path).then(() => true, () => false);
}

try {
  await main();
} finally {
  for (const child of children) await child.kill();
  for (const cleanup of cleanups.reverse()) await cleanup();
}
