import assert from "node:assert/strict";
import { UpstreamPool } from "./pool.ts";

Deno.test("the pool picks the least loaded healthy upstream, round robin on ties", () => {
  const pool = new UpstreamPool(["http://127.0.0.1:1", "http://127.0.0.1:2"]);
  const [a, b] = pool.members();
  const picks = [pool.pick(), pool.pick(), pool.pick(), pool.pick()].map((u) => u!.url);
  assert.deepEqual(picks, [a!.url, b!.url, a!.url, b!.url]);
  pool.begin(a!);
  assert.equal(pool.pick(), b);
  assert.equal(pool.pick(), b);
  pool.end(a!);
  assert.equal(pool.pick(new Set([a!])), b);
});

Deno.test("ejected upstreams get nothing until readmitted", () => {
  const changes: string[] = [];
  const pool = new UpstreamPool(["http://127.0.0.1:1", "http://127.0.0.1:2"], {
    onHealthChange: (u) => changes.push(`${u.port}:${u.healthy}`),
  });
  const [a, b] = pool.members();
  pool.eject(a!);
  assert.equal(pool.healthyCount(), 1);
  assert.equal(pool.pick(), b);
  assert.equal(pool.pick(new Set([b!])), null);
  pool.readmit(a!);
  assert.deepEqual(changes, ["1:true", "2:true", "1:false", "1:true"]);
});

Deno.test("replacing members keeps the state of upstreams still listed", () => {
  const removed: string[] = [];
  const pool = new UpstreamPool(["http://127.0.0.1:1", "http://127.0.0.1:2"], {
    onRemove: (u) => removed.push(u.url),
  });
  pool.eject(pool.members()[0]!);
  pool.replace(["http://127.0.0.1:1", "http://127.0.0.1:3"]);
  assert.deepEqual(pool.members().map((u) => [u.port, u.healthy]), [[1, false], [3, true]]);
  assert.deepEqual(removed, ["http://127.0.0.1:2"]);
});

Deno.test("a full upstream is skipped, and the pool is saturated when every one is full", () => {
  const pool = new UpstreamPool(["http://127.0.0.1:1", "http://127.0.0.1:2"], {}, 2);
  const [a, b] = pool.members();
  pool.begin(a!);
  pool.begin(a!);
  assert.equal(pool.pick(), b, "a is at its limit");
  assert.equal(pool.saturated(), false);
  pool.begin(b!);
  pool.begin(b!);
  assert.equal(pool.pick(), null);
  assert.equal(pool.saturated(), true);
  pool.end(b!);
  assert.equal(pool.pick(), b);
  pool.eject(a!);
  pool.eject(b!);
  assert.equal(pool.saturated(), false, "no healthy upstream is down, not saturated");
});
