import assert from "node:assert/strict";
import { createGatewayMetrics } from "../metrics.ts";
import { spawnDenoServer } from "../testing/child.ts";
import { authHeaders, startTestGateway, testSecret } from "../testing/harness.ts";
import { serveStubUpstream } from "../testing/stub_upstream.ts";
import { createNodeHttpClient } from "./client.ts";
import { createForwarder, type ForwardInput } from "./forward.ts";
import { startHealthProbe } from "./health_probe.ts";
import { UpstreamPool } from "./pool.ts";

const stubScript = new URL("../testing/stub_upstream_main.ts", import.meta.url).pathname;

function closedPortUrl(): string {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  listener.close();
  return `http://127.0.0.1:${listener.addr.port}`;
}

function forwarderOver(urls: string[]) {
  const pool = new UpstreamPool(urls);
  const client = createNodeHttpClient();
  const metrics = createGatewayMetrics();
  const forwarder = createForwarder({
    pool,
    client,
    secret: testSecret,
    timeoutMs: 5_000,
    lockWaitMs: 5_000,
    metrics,
  });
  return { pool, client, metrics, forwarder };
}

const unkeyedPost: ForwardInput = {
  method: "POST",
  pathWithQuery: "/api/payments/capture/pay_1",
  merchantId: "M1",
  mode: "test",
  body: new TextEncoder().encode('{"amount":100}'),
  headers: { "content-type": "application/json" },
  retryPolicy: "unsent",
};

Deno.test("a refused connection fails over, even for a POST without idempotency key", async () => {
  const stub = serveStubUpstream({ secret: testSecret });
  const dead = closedPortUrl();
  const { pool, client, metrics, forwarder } = forwarderOver([dead, stub.url]);
  try {
    for (let i = 0; i < 4; i++) {
      const result = await forwarder.forward(unkeyedPost);
      assert.ok(result.ok);
      assert.equal(result.response.status, 200);
    }
    assert.equal(stub.received.length, 4);
    assert.equal(pool.members().find((u) => u.url === dead)!.healthy, false);
    assert.equal((await metrics.upstreamRetries.get()).values[0]!.value, 1);
    assert.equal((await metrics.upstreamErrors.get()).values[0]!.labels.kind, "connect");
  } finally {
    client.close();
    await stub.close();
  }
});

Deno.test("a POST without idempotency key is never re-sent once it may have arrived", async () => {
  let arrived!: () => void;
  const arrival = new Promise<void>((resolve) => arrived = resolve);
  const doomed = await spawnDenoServer(
    stubScript,
    ["0", "60000", "verbose"],
    {},
    (line) => line.startsWith("received") && arrived(),
  );
  const survivor = serveStubUpstream({ secret: testSecret });
  const { pool, client, forwarder } = forwarderOver([doomed.url, survivor.url]);
  try {
    pool.begin(pool.members()[1]!); // makes the doomed upstream the first pick
    const pending = forwarder.forward(unkeyedPost);
    await arrival;
    await doomed.kill();
    const result = await pending;
    assert.equal(result.ok, false);
    assert.match(!result.ok ? result.detail : "", /after the request was sent/);
    assert.equal(survivor.received.length, 0);
    const keyed = await forwarder.forward({ ...unkeyedPost, retryPolicy: "always" });
    assert.ok(keyed.ok);
  } finally {
    client.close();
    await doomed.kill();
    await survivor.close();
  }
});

Deno.test("an ejected upstream is readmitted after a successful /ready probe", async () => {
  const stub = serveStubUpstream({ secret: testSecret });
  const dead = closedPortUrl();
  const pool = new UpstreamPool([stub.url, dead]);
  const client = createNodeHttpClient();
  const probe = startHealthProbe(pool, client, 600_000);
  try {
    for (const u of pool.members()) pool.eject(u);
    await probe.probeNow();
    assert.deepEqual(pool.members().map((u) => u.healthy), [true, false]);
  } finally {
    probe.stop();
    client.close();
    await stub.close();
  }
});

Deno.test("killing one of two upstreams during 500 idempotent authorizes fails none", async () => {
  const total = 500;
  const concurrency = 16;
  const killAfter = 100;
  const stubs = await Promise.all([0, 1].map(() => spawnDenoServer(stubScript, ["0", "5"])));
  const gw = await startTestGateway("failover", {
    upstreams: { kind: "static", urls: stubs.map((s) => s.url) },
    probeIntervalMs: 600_000,
    rateLimitEnabled: false,
  });
  const server = Deno.serve(
    { port: 0, hostname: "127.0.0.1", onListen() {} },
    gw.gateway.app.fetch,
  );
  const statuses = new Map<number, number>();
  const keys = new Set<string>();
  let done = 0;
  let killing: Promise<void> | null = null;
  try {
    let next = 0;
    const worker = async () => {
      while (next < total) {
        const key = `fo-${next++}`;
        const res = await fetch(`http://127.0.0.1:${server.addr.port}/api/payments/authorize`, {
          method: "POST",
          headers: authHeaders(gw.keys.M1, { "idempotency-key": key }),
          body: JSON.stringify({ merchantId: "M1", amount: 1000, currency: "KRW" }),
        });
        await res.body?.cancel();
        statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
        if (res.status === 201) keys.add(key);
        if (++done === killAfter) killing = stubs[0]!.kill();
      }
    };
    await Promise.all(Array.from({ length: concurrency }, worker));
    await killing;
    assert.deepEqual([...statuses], [[201, total]]);
    assert.equal(keys.size, total);
    assert.equal(gw.gateway.upstreams.healthyCount(), 1);
    const retries = (await gw.gateway.metrics.upstreamRetries.get()).values[0]!.value;
    assert.ok(retries >= 1, `the kill caused failovers: ${retries}`);
  } finally {
    await server.shutdown();
    await gw.close();
    for (const stub of stubs) await stub.kill();
  }
});

Deno.test("when every upstream is at its in-flight limit the request is shed without being sent", async () => {
  const pool = new UpstreamPool(["http://127.0.0.1:1"], {}, 1);
  const metrics = createGatewayMetrics();
  let sent = 0;
  const forwarder = createForwarder({
    pool,
    client: {
      send: () => {
        sent++;
        throw new Error("must not be called");
      },
    } as unknown as ReturnType<typeof createNodeHttpClient>,
    secret: testSecret,
    timeoutMs: 5_000,
    lockWaitMs: 5_000,
    metrics,
  });
  pool.begin(pool.members()[0]!);
  const result = await forwarder.forward({ ...unkeyedPost, retryPolicy: "always" });
  assert.equal(result.ok, false);
  assert.ok(!result.ok && result.overloaded, JSON.stringify(result));
  assert.equal(result.attempts, 0);
  assert.equal(sent, 0);
});
