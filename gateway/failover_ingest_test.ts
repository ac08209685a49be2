import assert from "node:assert/strict";
import { fixtureRows, freePort } from "@pay/lib/testing";
import { spawnDenoServer } from "./testing/child.ts";
import { authHeaders, startTestGateway, testSecret } from "./testing/harness.ts";

const ingestMain = new URL("../ingest/main.ts", import.meta.url).pathname;

/** A PG that approves every authorization after a few ms (keeps requests in flight at ingest). */
function serveApprovingPg() {
  return Deno.serve({ port: 0, hostname: "127.0.0.1", onListen() {} }, async (request) => {
    await request.arrayBuffer();
    await new Promise((resolve) => setTimeout(resolve, 5));
    return Response.json({ id: `auth_${crypto.randomUUID()}`, status: "AUTHORIZED" });
  });
}

Deno.test("killing one of two real ingest instances during 500 authorizes fails none and duplicates none", async () => {
  const total = 500;
  const concurrency = 16;
  const killAfter = 100;
  const gw = await startTestGateway("e2e_failover", { rateLimitEnabled: false });
  const pg = serveApprovingPg();
  // Failover is the gateway's: the ingests run embedded (no Redis), sharing the test's database.
  const dataDir = await Deno.makeTempDir({ prefix: "gw_failover_ingest_" });
  const env = {
    ...gw.db.env,
    PROFILE: "embedded",
    DATA_DIR: dataDir,
    PG_URL: `http://127.0.0.1:${pg.addr.port}`,
    INTERNAL_AUTH_SECRET: testSecret,
  };
  const ingests = await Promise.all([0, 1].map(() => {
    const port = freePort();
    return spawnDenoServer(
      ingestMain,
      [],
      { ...env, INGEST_PORT: String(port) },
      () => {},
      (line) => /listening/i.test(line) ? port : null,
    );
  }));
  gw.gateway.upstreams.replace(ingests.map((i) => i.url));
  const server = Deno.serve(
    { port: 0, hostname: "127.0.0.1", onListen() {} },
    gw.gateway.app.fetch,
  );
  const statuses = new Map<number, number>();
  let done = 0;
  let killing: Promise<void> | null = null;
  try {
    let next = 0;
    const worker = async () => {
      while (next < total) {
        const key = `e2e-${next++}`;
        const res = await fetch(`http://127.0.0.1:${server.addr.port}/api/payments/authorize`, {
          method: "POST",
          headers: authHeaders(gw.keys.M1, { "idempotency-key": key }),
          body: JSON.stringify({
            merchantId: "M1",
            amount: 1000,
            currency: "KRW",
            paymentMethod: "tok_visa",
          }),
        });
        const text = await res.text();
        statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
        if (res.status !== 201) console.error(res.status, text, new Date().toISOString());
        if (++done === killAfter) killing = ingests[0]!.kill();
      }
    };
    await Promise.all(Array.from({ length: concurrency }, worker));
    await killing;
    assert.deepEqual([...statuses], [[201, total]]);
    const rows = await fixtureRows(
      gw.db.pool,
      "SELECT COUNT(*) AS payments, COUNT(DISTINCT idempotency_key) AS keys_ FROM payment WHERE merchant_id = 'M1'",
    );
    assert.deepEqual([Number(rows[0]!.payments), Number(rows[0]!.keys_)], [total, total]);
    const retries = (await gw.gateway.metrics.upstreamRetries.get()).values[0]!.value;
    assert.ok(retries >= 1, `the kill caused failovers: ${retries}`);
  } finally {
    await server.shutdown();
    for (const ingest of ingests) await ingest.kill();
    await pg.shutdown();
    await gw.close();
    await Deno.remove(dataDir, { recursive: true });
  }
});
