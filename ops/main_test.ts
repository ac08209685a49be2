import assert from "node:assert/strict";
import { freePort, startService } from "@pay/lib/testing";
import { opsHarness } from "./testing/harness.ts";

Deno.test("the ops service process starts, serves the API and console, and stops on SIGTERM", async () => {
  const h = await opsHarness("ops_main");
  const port = freePort();
  const service = await startService({
    name: "ops",
    entry: "ops/main.ts",
    port,
    env: {
      ...h.processEnv,
      OPS_PORT: String(port),
      OPS_SCRAPE_TARGETS: `self=http://127.0.0.1:${port}`,
      OPS_SCRAPE_INTERVAL_MS: "250",
      PAY_ENV: "test",
    },
  });
  try {
    const outbox = await fetch(`${service.url}/api/ops/outbox`);
    assert.deepEqual(await outbox.json(), {
      backlog: 0,
      oldestAgeSeconds: 0,
      dead: 0,
      deadRows: [],
    });
    const refused = await fetch(`${service.url}/api/ops/outbox/requeue`, {
      method: "POST",
      body: "{}",
    });
    assert.equal(refused.status, 403, "PAY_ENV=test without OPS_TOKEN refuses mutations");
    await refused.body?.cancel();
    const overview = await fetch(`${service.url}/`);
    assert.match(await overview.text(), /<h1>Overview<\/h1>/);
    // The service scrapes itself; wait until its own metrics report that scrape.
    const deadline = Date.now() + 20_000;
    let metrics = "";
    while (!/ops_scrape_target_up\{[^}]*target="self"[^}]*\} 1/.test(metrics)) {
      assert.ok(Date.now() < deadline, `no self-scrape recorded:\n${metrics}`);
      metrics = await (await fetch(`${service.url}/metrics`)).text();
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  } finally {
    await service.stop();
    await h.close();
  }
  assert.match(service.output(), /"event":"mutations_disabled"/);
});
