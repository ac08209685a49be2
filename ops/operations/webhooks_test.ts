import assert from "node:assert/strict";
import {
  claimDueWebhookDeliveries,
  type Db,
  insertWebhookEndpointStatement,
  recordWebhookAttempt,
  recordWebhookEvent,
  runBatch,
} from "@pay/lib/db";
import { createRegistry } from "@pay/lib/metrics";
import { buildOpsApp } from "../app.ts";
import { type CliIo, exitOk, exitProblems, runCli } from "../cli/cli.ts";
import { opsHarness } from "../testing/harness.ts";

const token = "z".repeat(40);
const auth = { authorization: `Bearer ${token}`, "content-type": "application/json" };
const policy = { consecutiveFailures: 1, failingForMs: 0 };

async function addEndpoint(
  pool: Db,
  id: string,
  merchantId: string,
  createdAt: Date,
): Promise<void> {
  await runBatch(pool, [insertWebhookEndpointStatement({
    id,
    merchantId,
    url: `https://${id}.example.com/hook`,
    description: null,
    events: ["*"],
    status: "enabled",
    disabledReason: null,
    secret: "whsec_" + btoa("s".repeat(24)),
    previousSecret: null,
    previousSecretExpiresAt: null,
    consecutiveFailures: 0,
    failingSince: null,
    disabledAt: null,
    createdAt,
    updatedAt: createdAt,
  })]);
}

async function addEvent(
  pool: Db,
  id: string,
  merchantId: string,
  createdAt: Date,
): Promise<void> {
  await recordWebhookEvent(pool, {
    id,
    merchantId,
    type: "payment.captured",
    paymentId: "pay_x",
    payload: JSON.stringify({ id, type: "payment.captured" }),
    createdAt,
  }, new Date());
}

function capture(): CliIo & { stdout: string[]; stderr: string[] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return { stdout, stderr, out: (l) => stdout.push(l), err: (l) => stderr.push(l) };
}

Deno.test("operators list endpoints, failing ones and deliveries with status code and latency, and replay one event idempotently", async () => {
  const h = await opsHarness("ops_webhooks");
  try {
    const app = buildOpsApp({ ctx: h.ctx, registry: createRegistry("ops"), token });
    const t0 = new Date(Date.now() - 3_600_000);
    await addEndpoint(h.db.pool, "we_ok", "M123", t0);
    await addEndpoint(h.db.pool, "we_bad", "M123", t0);
    await addEndpoint(h.db.pool, "we_other", "M999", t0);
    await addEvent(h.db.pool, "evt_1", "M123", new Date(t0.getTime() + 1_000));

    const claimed = await claimDueWebhookDeliveries(h.db.pool, { limit: 10, leaseMs: 30_000 });
    assert.equal(claimed.length, 2, "one delivery per endpoint of the event's merchant");
    for (const c of claimed) {
      const ok = c.endpointId === "we_ok";
      await recordWebhookAttempt(h.db.pool, c, {
        result: ok ? "delivered" : "failed",
        statusCode: ok ? 204 : 500,
        error: ok ? null : "HTTP 500",
        latencyMs: ok ? 12 : 340,
      }, policy);
    }

    const all = await (await app.request("/api/ops/webhooks/endpoints")).json();
    assert.deepEqual(all.endpoints.map((e: { id: string }) => e.id).sort(), [
      "we_bad",
      "we_ok",
      "we_other",
    ]);
    assert.equal(all.endpoints[0].id, "we_bad", "the failing endpoint comes first");
    assert.equal(all.disabledByFailures, 1);
    assert.equal("secret" in all.endpoints[0], false, "secrets are never shown to operators");
    const m999 = await (await app.request("/api/ops/webhooks/endpoints?merchantId=M999")).json();
    assert.deepEqual(m999.endpoints.map((e: { id: string }) => e.id), ["we_other"]);
    const failing = await (await app.request("/api/ops/webhooks/endpoints/failing")).json();
    assert.deepEqual(
      failing.endpoints.map((e: { id: string; status: string; disabledReason: string }) => [
        e.id,
        e.status,
        e.disabledReason,
      ]),
      [["we_bad", "disabled", "failures"]],
    );

    const ofEvent = await (await app.request("/api/ops/webhooks/deliveries?eventId=evt_1")).json();
    assert.deepEqual(
      ofEvent.deliveries.map((
        d: { endpointId: string; status: string; lastStatusCode: number; lastLatencyMs: number },
      ) => [d.endpointId, d.status, d.lastStatusCode, d.lastLatencyMs]).sort(),
      [["we_bad", "FAILED", 500, 340], ["we_ok", "DELIVERED", 204, 12]],
    );
    const page = await (await app.request("/webhooks?endpointId=we_bad")).text();
    assert.match(page, /Recent deliveries of we_bad/, "the console page lists them");
    assert.match(page, /<td class="num">500<\/td><td class="num">340<\/td>/);
    const none = await app.request("/api/ops/webhooks/deliveries");
    assert.equal(none.status, 400, "a delivery listing names an endpoint or an event");
    await none.body?.cancel();

    const replay = (body: Record<string, string>) =>
      app.request("/api/ops/webhooks/replay", {
        method: "POST",
        headers: auth,
        body: JSON.stringify(body),
      });
    const unauthorized = await app.request("/api/ops/webhooks/replay", {
      method: "POST",
      body: JSON.stringify({ eventId: "evt_1", endpointId: "we_ok" }),
      headers: { "content-type": "application/json" },
    });
    assert.equal(unauthorized.status, 401);
    await unauthorized.body?.cancel();
    const first = await (await replay({ eventId: "evt_1", endpointId: "we_ok" })).json();
    assert.equal(first.outcome, "reset");
    const again = await (await replay({ eventId: "evt_1", endpointId: "we_ok" })).json();
    assert.deepEqual(again, { ...first, outcome: "already_pending" }, "a second replay is a no-op");
    const ofEndpoint = await app.request("/api/ops/webhooks/deliveries?endpointId=we_ok");
    const [row] = (await ofEndpoint.json()).deliveries;
    assert.equal(row.status, "PENDING");
    assert.match(row.lastError, /^replayed by ops-api at /, "the replay is recorded on the row");
    assert.equal(row.attempts, 1, "the attempt history keeps counting");

    const cross = await replay({ eventId: "evt_1", endpointId: "we_other" });
    assert.equal(cross.status, 400, "another merchant's endpoint never gets the event");
    await cross.body?.cancel();
    const toDisabled = await replay({ eventId: "evt_1", endpointId: "we_bad" });
    assert.equal(toDisabled.status, 400, "an endpoint disabled after failures gets no replay");
    assert.match((await toDisabled.json()).detail, /disabled/);
    const missing = await replay({ eventId: "evt_nope", endpointId: "we_ok" });
    assert.equal(missing.status, 404);
    await missing.body?.cancel();
  } finally {
    await h.close();
  }
});

Deno.test("a time range of a merchant's events is replayed to one endpoint, bounded, through the CLI", async () => {
  const h = await opsHarness("ops_webhooks_range");
  try {
    const t0 = new Date(Date.now() - 3_600_000);
    await addEvent(h.db.pool, "evt_early", "M123", new Date(t0.getTime() - 60_000));
    for (let i = 1; i <= 3; i++) {
      await addEvent(h.db.pool, `evt_${i}`, "M123", new Date(t0.getTime() + i * 1_000));
    }
    await addEvent(h.db.pool, "evt_m999", "M999", new Date(t0.getTime() + 1_500));
    // Created after the events: the endpoint owes none of them until a replay.
    await addEndpoint(h.db.pool, "we_new", "M123", new Date());
    const env = { ...h.processEnv, OPS_SCRAPE_TARGETS: "ingest-1=http://127.0.0.1:9" };
    const range = [
      "--from",
      t0.toISOString(),
      "--to",
      new Date(t0.getTime() + 10_000).toISOString(),
    ];
    let io = capture();
    assert.equal(
      await runCli(["webhook-replay-range", "we_new", ...range, "--limit", "2", "--json"], env, io),
      exitOk,
    );
    const bounded = JSON.parse(io.stdout.join("\n"));
    assert.deepEqual(
      [bounded.events, bounded.created, bounded.truncated, bounded.lastEventId],
      [2, 2, true, "evt_2"],
    );
    io = capture();
    const rest = [
      "--from",
      bounded.nextFrom,
      "--to",
      new Date(t0.getTime() + 10_000).toISOString(),
    ];
    assert.equal(await runCli(["webhook-replay-range", "we_new", ...rest, "--json"], env, io), 0);
    const second = JSON.parse(io.stdout.join("\n"));
    assert.deepEqual(
      [second.events, second.created, second.alreadyPending, second.truncated, second.nextFrom],
      [2, 1, 1, false, null],
      "the rest starts at the last replayed event, which is still pending and left alone",
    );
    io = capture();
    assert.equal(await runCli(["webhook-replay-range", "we_new", ...range, "--json"], env, io), 0);
    assert.equal(JSON.parse(io.stdout.join("\n")).alreadyPending, 3, "replaying again is a no-op");

    io = capture();
    assert.equal(await runCli(["webhook-deliveries", "--endpoint-id", "we_new"], env, io), exitOk);
    const table = io.stdout.join("\n");
    for (const id of ["evt_1", "evt_2", "evt_3"]) assert.match(table, new RegExp(id));
    assert.doesNotMatch(table, /evt_early|evt_m999/);

    io = capture();
    assert.equal(await runCli(["webhook-failing"], env, io), exitOk, "nothing is failing");
    io = capture();
    assert.equal(
      await runCli(["webhook-replay-range", "we_none", ...range], env, io),
      exitProblems,
    );
    assert.match(io.stderr.join("\n"), /not_found/);
  } finally {
    await h.close();
  }
});
