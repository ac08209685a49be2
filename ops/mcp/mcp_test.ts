import assert from "node:assert/strict";
// @ts-types="npm:@modelcontextprotocol/sdk@1.32.2/client/index"
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
// @ts-types="npm:@modelcontextprotocol/sdk@1.32.2/client/stdio"
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { insertIdempotencyRecordStatement, runBatch } from "@pay/lib/db";
import { insertPayment, opsHarness } from "../testing/harness.ts";
import { mcpOperations } from "./server.ts";

const serverEntry = new URL("./main.ts", import.meta.url).pathname;
const repoRoot = new URL("../../", import.meta.url).pathname;

function textOf(result: unknown): string {
  const content = (result as { content: Array<{ type: string; text: string }> }).content;
  return content.map((c) => c.text).join("");
}

Deno.test("the MCP server over stdio lists the read-only tools and answers them from the database", async () => {
  const h = await opsHarness("ops_mcp");
  const payment = await insertPayment(h.db.pool, { merchantId: "M5", amount: 4_200 });
  await runBatch(h.db.pool, [insertIdempotencyRecordStatement({
    merchantId: "M5",
    key: "key-1",
    fingerprint: "f".repeat(64),
    method: "POST",
    path: "/api/payments/authorize",
    httpStatus: 201,
    body: JSON.stringify({ paymentId: payment.id }),
    paymentId: payment.id,
    createdAt: new Date(),
    expiresAt: new Date(Date.now() + 86_400_000),
  })]);
  const transport = new StdioClientTransport({
    command: Deno.execPath(),
    // --cached-only: the test already loaded every module, so the child never reaches the network.
    args: ["run", "--cached-only", "-A", "--quiet", serverEntry],
    cwd: repoRoot,
    env: {
      ...h.processEnv,
      // Nothing listens on port 9 here: the breaker tools report the service down, quickly.
      OPS_SCRAPE_TARGETS: "ingest-1=http://127.0.0.1:9",
    },
    stderr: "pipe",
  });
  const client = new Client({ name: "ops-test", version: "1.0.0" });
  try {
    await client.connect(transport);
    const { tools } = await client.listTools();
    const names = tools.map((t: { name: string }) => t.name).sort();
    assert.deepEqual(names, mcpOperations().map((op) => op.mcp!).sort());
    for (
      const expected of [
        "breaker_status",
        "breaker_diagnose",
        "bus_health",
        "failure_pattern",
        "query_payments",
        "payment_statistics",
        "outbox_status",
        "reconciliation_check",
        "ledger_lookup",
        "rate_limit_status",
        "cache_stats",
        "blocked_merchants",
        "idempotency_lookup",
      ]
    ) assert.ok(names.includes(expected), expected);
    assert.ok(!names.includes("dlq_replay"), "mutations are not MCP tools");

    const payments = JSON.parse(
      textOf(await client.callTool({ name: "query_payments", arguments: { merchantId: "M5" } })),
    );
    assert.deepEqual(payments.data.map((p: { id: string }) => p.id), [payment.id]);
    const stats = JSON.parse(
      textOf(await client.callTool({ name: "payment_statistics", arguments: {} })),
    );
    assert.equal(stats.windows[0].byStatus[0].amount, 4_200);
    const idem = JSON.parse(textOf(
      await client.callTool({
        name: "idempotency_lookup",
        arguments: { merchantId: "M5", key: "key-1" },
      }),
    ));
    assert.deepEqual([idem.record.httpStatus, idem.record.paymentId, idem.record.expired], [
      201,
      payment.id,
      false,
    ]);
    assert.equal(idem.cache, null, "the embedded profile keeps no cache");
    const breakers = JSON.parse(
      textOf(await client.callTool({ name: "breaker_status", arguments: {} })),
    );
    assert.deepEqual(
      breakers.services.map((s: { service: string; up: boolean }) => [s.service, s.up]),
      [["ingest-1", false]],
    );
    const ledger = JSON.parse(
      textOf(await client.callTool({ name: "ledger_check", arguments: {} })),
    );
    assert.equal(ledger.ok, true);

    const bad = await client.callTool({ name: "query_payments", arguments: { status: "NOPE" } });
    assert.equal(bad.isError, true);
    assert.match(textOf(bad), /status/);
    const missing = await client.callTool({
      name: "payment_detail",
      arguments: { paymentId: "pay_0000000000aaaaaaaaaaaaaaaa" },
    });
    assert.equal(missing.isError, true);
    assert.match(textOf(missing), /not_found/);
  } finally {
    await client.close();
    await h.close();
  }
});
