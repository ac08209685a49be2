import assert from "node:assert/strict";
import { join } from "node:path";
import { fetchBlockedPorts } from "@pay/lib/http";
import { blockedPortProblem } from "./blocked_ports.ts";
import { startRefused } from "./testing.ts";

Deno.test("fetch() refuses every port of the blocked list, so no service may listen on one", async () => {
  assert.ok(fetchBlockedPorts.has(10080));
  for (const port of fetchBlockedPorts) {
    await assert.rejects(fetch(`http://127.0.0.1:${port}/health`), /blocked/, `port ${port}`);
  }
});

Deno.test("a port offset is refused when it moves any service onto a blocked port, and names each", () => {
  assert.equal(blockedPortProblem(0), undefined);
  assert.equal(blockedPortProblem(500), undefined);
  assert.equal(
    blockedPortProblem(2000),
    "--port-offset puts gateway on port 10080, a port fetch() refuses to connect to " +
      "(the WHATWG bad ports): choose another offset than 2000",
  );
  assert.match(blockedPortProblem(1898)!, /^--port-offset puts ingest-2 on port 10080,/);
  assert.match(blockedPortProblem(2080)!, /^--port-offset puts store on port 10080,/);
});

Deno.test("deno task start --port-offset 2000 stops at once with the reason, before it creates or contacts anything", async () => {
  const parent = await Deno.makeTempDir({ prefix: "blocked_port_" });
  const dataDir = join(parent, "data");
  try {
    const { code, output } = await startRefused({ DATA_DIR: dataDir }, 2000);
    assert.equal(code, 2, output);
    assert.equal(output.trim(), `[supervisor] ${blockedPortProblem(2000)}`);
    await assert.rejects(Deno.stat(dataDir), Deno.errors.NotFound);
  } finally {
    await Deno.remove(parent, { recursive: true });
  }
});
