import assert from "node:assert/strict";
import { createRegistry } from "@pay/lib/metrics";
import { createWorkersApp } from "./app.ts";

Deno.test("health is always ok and ready reports each dependency", async () => {
  let busUp = false;
  const app = createWorkersApp({
    registry: createRegistry("workers"),
    checks: {
      db: () => Promise.resolve(),
      bus: () => busUp ? Promise.resolve() : Promise.reject(new Error("Connection refused")),
    },
  });
  assert.deepEqual(await (await app.request("/health")).json(), { status: "ok" });
  const down = await app.request("/ready");
  assert.equal(down.status, 503);
  assert.deepEqual(await down.json(), {
    status: "not_ready",
    checks: { db: "ok", bus: "Error: Connection refused" },
  });
  busUp = true;
  const up = await app.request("/ready");
  assert.equal(up.status, 200);
  assert.deepEqual(await up.json(), { status: "ready", checks: { db: "ok", bus: "ok" } });
});

Deno.test("metrics are served in the Prometheus text format; unknown paths are problem+json 404", async () => {
  const app = createWorkersApp({ registry: createRegistry("workers"), checks: {} });
  const metrics = await app.request("/metrics");
  assert.equal(metrics.status, 200);
  assert.match(await metrics.text(), /process_resident_memory_bytes\{service="workers"\}/);
  const missing = await app.request("/nope");
  assert.equal(missing.status, 404);
  assert.equal(missing.headers.get("content-type"), "application/problem+json");
  assert.equal((await missing.json()).code, "not_found");
});
