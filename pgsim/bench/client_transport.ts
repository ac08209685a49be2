/**
 * Which transport should the PG client use? Starts pgsim (no injected
 * latency) in a child process, then drives authorizes through
 * createHttpPgClient (node:http, keep-alive Agent) and through an equivalent
 * fetch() client (keep-alive Deno.createHttpClient pool), alternating, and
 * prints for each the client's CPU time per call (what ingest pays; steady
 * even on a busy shared machine), throughput and latency percentiles.
 *
 *   deno run --allow-net --allow-env --allow-read --allow-write --allow-run \
 *     pgsim/bench/client_transport.ts [callsPerRound=10000] [inFlight=64] [rounds=2]
 *
 * With PGSIM_DATA_FILE set, the child pgsim keeps its records in that SQLite file.
 */
import process from "node:process";
import { authorizeResultOf, authorizeWireBody, createHttpPgClient, pgHeaders } from "@pay/lib/pg";
import type { PgAuthorizeRequest, PgClient } from "@pay/lib/pg";
import { unusedPort } from "../testing.ts";

const callsPerRound = Number(Deno.args[0] ?? 10_000);
const inFlight = Number(Deno.args[1] ?? 64);
const rounds = Number(Deno.args[2] ?? 2);
const timeoutMs = 5_000;
const dataFile = Deno.env.get("PGSIM_DATA_FILE");

/** The fetch() variant, kept only here: the same wire contract, another transport. */
function createFetchPgClient(baseUrl: string): Pick<PgClient, "authorize"> & { close(): void } {
  const client = Deno.createHttpClient({ poolMaxIdlePerHost: inFlight });
  return {
    async authorize(request: PgAuthorizeRequest) {
      const response = await fetch(`${baseUrl}/v1/authorizations`, {
        method: "POST",
        client,
        signal: AbortSignal.timeout(timeoutMs),
        headers: {
          "content-type": "application/json",
          [pgHeaders.idempotencyKey]: request.idempotencyKey,
        },
        body: JSON.stringify(authorizeWireBody(request)),
      });
      return authorizeResultOf(response.status, await response.text());
    },
    close: () => client.close(),
  };
}

async function drive(
  name: string,
  client: Pick<PgClient, "authorize">,
  round: number,
): Promise<void> {
  const latenciesMs: number[] = [];
  let next = 0;
  const startedMs = performance.now();
  const startedCpu = process.cpuUsage();
  async function worker(): Promise<void> {
    while (next < callsPerRound) {
      const i = next++;
      const t0 = performance.now();
      const result = await client.authorize({
        idempotencyKey: `${name}-${round}-${i}`,
        merchantId: "M123",
        amount: 10_000,
        currency: "KRW",
        paymentMethod: "tok_visa",
        reference: `pay_${name}_${round}_${i}`,
      });
      if (result.outcome !== "approved") throw new Error(`Unexpected outcome: ${result.outcome}`);
      latenciesMs.push(performance.now() - t0);
    }
  }
  await Promise.all(Array.from({ length: inFlight }, worker));
  const elapsedS = (performance.now() - startedMs) / 1_000;
  const cpu = process.cpuUsage(startedCpu);
  const cpuUsPerCall = (cpu.user + cpu.system) / callsPerRound;
  latenciesMs.sort((a, b) => a - b);
  const pct = (p: number) => latenciesMs[Math.floor((latenciesMs.length - 1) * p)]!.toFixed(2);
  console.log(
    `${name.padEnd(10)} round ${round}: client CPU ${cpuUsPerCall.toFixed(0)} µs/call, ` +
      `${(callsPerRound / elapsedS).toFixed(0)} authorizes/s, ` +
      `p50 ${pct(0.5)} ms, p99 ${pct(0.99)} ms`,
  );
}

const port = unusedPort();
const baseUrl = `http://127.0.0.1:${port}`;
const pgsim = new Deno.Command(Deno.execPath(), {
  args: ["run", "--allow-net", "--allow-env", "--allow-read", "--allow-write", "pgsim/main.ts"],
  env: {
    PGSIM_PORT: String(port),
    PGSIM_LATENCY_MS_MIN: "0",
    PGSIM_LATENCY_MS_MAX: "0",
    PGSIM_SEED: "1",
    ...(dataFile === undefined ? {} : { PGSIM_DATA_FILE: dataFile }),
  },
  stdout: "null",
  stderr: "inherit",
}).spawn();

try {
  for (let attempt = 0;; attempt++) {
    try {
      await (await fetch(`${baseUrl}/health`)).body?.cancel();
      break;
    } catch (error) {
      if (attempt > 100) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  console.log(`${callsPerRound} authorizes per round, ${inFlight} in flight, pgsim on :${port}`);
  const nodeHttp = createHttpPgClient({ baseUrl, timeoutMs });
  const fetchClient = createFetchPgClient(baseUrl);
  await drive("warm-up", nodeHttp, 0);
  await drive("warm-up", fetchClient, 1);
  for (let round = 1; round <= rounds; round++) {
    await drive("node:http", nodeHttp, round);
    await drive("fetch", fetchClient, round);
  }
  nodeHttp.close();
  fetchClient.close();
} finally {
  pgsim.kill("SIGTERM");
  await pgsim.status;
}
