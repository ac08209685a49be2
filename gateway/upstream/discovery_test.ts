import assert from "node:assert/strict";
import { startDiscovery } from "./discovery.ts";
import { UpstreamPool } from "./pool.ts";

Deno.test("dns: upstreams follow the resolver's answers and survive its failures", async () => {
  let answer: string[] | Error = ["10.0.0.1", "10.0.0.2"];
  const asked: string[] = [];
  const logs: string[] = [];
  const pool = new UpstreamPool();
  const discovery = await startDiscovery({ kind: "dns", host: "ingest", port: 8181 }, pool, {
    refreshMs: 600_000,
    resolver: (host) => {
      asked.push(host);
      return answer instanceof Error ? Promise.reject(answer) : Promise.resolve(answer);
    },
    log: (line) => logs.push(line),
  });
  try {
    const urls = () => pool.members().map((u) => u.url);
    assert.deepEqual(urls(), ["http://10.0.0.1:8181", "http://10.0.0.2:8181"]);
    answer = ["10.0.0.2", "10.0.0.3"];
    await discovery.refreshNow();
    assert.deepEqual(urls(), ["http://10.0.0.2:8181", "http://10.0.0.3:8181"]);
    answer = new Error("SERVFAIL");
    await discovery.refreshNow();
    answer = [];
    await discovery.refreshNow();
    assert.deepEqual(urls(), ["http://10.0.0.2:8181", "http://10.0.0.3:8181"]);
    assert.equal(logs.length, 2);
    assert.deepEqual([...new Set(asked)], ["ingest"]);
  } finally {
    discovery.stop();
  }
});

Deno.test("dns: the default resolver finds localhost", async () => {
  const pool = new UpstreamPool();
  const discovery = await startDiscovery({ kind: "dns", host: "localhost", port: 8181 }, pool, {
    refreshMs: 600_000,
  });
  discovery.stop();
  assert.ok(pool.members().some((u) => u.url === "http://127.0.0.1:8181"));
});

Deno.test("a static list is used as given", async () => {
  const pool = new UpstreamPool();
  const discovery = await startDiscovery(
    { kind: "static", urls: ["http://127.0.0.1:8181", "http://127.0.0.1:8182"] },
    pool,
    { refreshMs: 1_000 },
  );
  discovery.stop();
  assert.equal(pool.members().length, 2);
});
