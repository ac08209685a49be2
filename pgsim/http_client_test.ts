/** lib/pg's HTTP client against a real pgsim on a real socket. */
import assert from "node:assert/strict";
import { PgUnavailableError } from "@pay/lib/domain";
import {
  createHttpPgClient,
  createMemorySimDb,
  fetchPgSettlementReport,
  type HttpPgClient,
  PgProtocolError,
} from "@pay/lib/pg";
import { createPgsimApp, type Pgsim } from "./app.ts";
import { systemClock } from "./clock.ts";
import { createPrng } from "./prng.ts";
import { testConfig, unusedPort } from "./testing.ts";

/** Far below tok_timeout's hold (a minute here), far above a local call. */
const clientTimeoutMs = 500;

interface Running {
  readonly baseUrl: string;
  readonly pgsim: Pgsim;
  readonly client: HttpPgClient;
  stop(): Promise<void>;
}

function startPgsim(): Running {
  const config = testConfig({ timeoutTokenDelayMs: 60_000 });
  const pgsim = createPgsimApp({
    config,
    clock: systemClock,
    random: createPrng(1),
    db: createMemorySimDb(config.recordsMax),
  });
  const server = Deno.serve(
    { port: 0, hostname: "127.0.0.1", onListen: () => {} },
    pgsim.app.fetch,
  );
  const baseUrl = `http://127.0.0.1:${server.addr.port}`;
  const client = createHttpPgClient({ baseUrl, timeoutMs: clientTimeoutMs });
  return {
    baseUrl,
    pgsim,
    client,
    async stop() {
      client.close();
      pgsim.close();
      await server.shutdown();
    },
  };
}

const authorizeRequest = (key: string, paymentMethod = "tok_visa") => ({
  idempotencyKey: key,
  merchantId: "M123",
  amount: 10_000,
  currency: "KRW",
  paymentMethod,
  reference: `pay_${key}`,
});

async function setFaults(baseUrl: string, faults: Record<string, unknown>): Promise<void> {
  const response = await fetch(`${baseUrl}/admin/faults`, {
    method: "POST",
    body: JSON.stringify(faults),
  });
  assert.equal(response.status, 200);
  await response.body?.cancel();
}

async function operationsOf(baseUrl: string, reference: string): Promise<{ type: string }[]> {
  const response = await fetch(`${baseUrl}/admin/operations?reference=${reference}`);
  return (await response.json()).operations;
}

Deno.test("http client: approve, capture, partial refunds and a replay", async () => {
  const { client, baseUrl, stop } = startPgsim();
  try {
    const approved = await client.authorize(authorizeRequest("a-1"));
    assert.equal(approved.outcome, "approved");
    assert.match(approved.authorizationId, /^auth_/);
    assert.deepEqual(await client.authorize(authorizeRequest("a-1")), approved);

    const operation = {
      authorizationId: approved.authorizationId,
      amount: 10_000,
      currency: "KRW",
      reference: "pay_a-1",
    };
    const captured = await client.capture({ ...operation, idempotencyKey: "c-1" });
    assert.equal(captured.outcome, "succeeded");
    assert.match(captured.outcome === "succeeded" ? captured.pgId : "", /^cap_/);
    const refund = await client.refund({ ...operation, amount: 4_000, idempotencyKey: "r-1" });
    assert.equal(refund.outcome, "succeeded");
    assert.deepEqual(
      await client.refund({ ...operation, amount: 4_000, idempotencyKey: "r-1" }),
      refund,
    );
    const types = (await operationsOf(baseUrl, "pay_a-1")).map((o) => o.type);
    assert.deepEqual(types, ["authorize", "capture", "refund"]);

    const report = await fetchPgSettlementReport(
      { baseUrl, timeoutMs: clientTimeoutMs },
      new Date().toISOString().slice(0, 10),
    );
    assert.deepEqual(report.refunds.map((r) => r.idempotencyKey), ["r-1"]);
  } finally {
    await stop();
  }
});

Deno.test("http client: a decline is an outcome with its code", async () => {
  const { client, stop } = startPgsim();
  try {
    const declined = await client.authorize(authorizeRequest("d-1", "tok_insufficient_funds"));
    assert.equal(declined.outcome, "declined");
    assert.equal(declined.outcome === "declined" ? declined.declineCode : "", "insufficient_funds");
    assert.match(declined.authorizationId, /^auth_/);
  } finally {
    await stop();
  }
});

Deno.test("http client: 409, 404 and 422 on capture, refund and cancel are rejections", async () => {
  const { client, stop } = startPgsim();
  try {
    const { authorizationId } = await client.authorize(authorizeRequest("a-1"));
    const base = { authorizationId, amount: 10_000, currency: "KRW", reference: "pay_a-1" };
    await client.capture({ ...base, idempotencyKey: "c-1" });
    assert.deepEqual(await client.capture({ ...base, idempotencyKey: "c-2" }), {
      outcome: "rejected",
      code: "already_captured",
    });
    assert.deepEqual(await client.cancel({ ...base, idempotencyKey: "x-1" }), {
      outcome: "rejected",
      code: "already_captured",
    });
    assert.deepEqual(await client.refund({ ...base, amount: 10_001, idempotencyKey: "r-1" }), {
      outcome: "rejected",
      code: "amount_exceeds_captured",
    });
    assert.deepEqual(
      await client.refund({ ...base, authorizationId: "auth_unknown", idempotencyKey: "r-2" }),
      { outcome: "rejected", code: "authorization_not_found" },
    );
    assert.deepEqual(await client.capture({ ...base, amount: 1, idempotencyKey: "c-1" }), {
      outcome: "rejected",
      code: "idempotency_key_mismatch",
    });
  } finally {
    await stop();
  }
});

/** Polls `condition` until it holds, failing after `deadlineMs`. */
async function eventually(condition: () => Promise<boolean>, deadlineMs = 5_000): Promise<void> {
  const pollMs = 10;
  const endMs = Date.now() + deadlineMs;
  while (!await condition()) {
    if (Date.now() > endMs) throw new Error(`Condition not met within ${deadlineMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
}

Deno.test("http client: tok_timeout ends in PgUnavailableError and pgsim drops the call", async () => {
  const { client, baseUrl, pgsim, stop } = startPgsim();
  try {
    await assert.rejects(
      client.authorize(authorizeRequest("t-1", "tok_timeout")),
      (error: unknown) => error instanceof PgUnavailableError && /timed out/.test(error.message),
    );
    // The client hung up, so pgsim ends the hold long before its minute is up.
    await eventually(async () =>
      /outcome="unavailable"[^}]*\} 1/.test(
        await pgsim.registry.getSingleMetricAsString(
          "pgsim_requests_total",
        ),
      )
    );
    assert.deepEqual(await operationsOf(baseUrl, "pay_t-1"), []);
  } finally {
    await stop();
  }
});

Deno.test("http client: an outage, tok_fail and a closed port are PgUnavailableError", async () => {
  const { client, baseUrl, stop } = startPgsim();
  try {
    await assert.rejects(
      client.authorize(authorizeRequest("f-1", "tok_fail")),
      PgUnavailableError,
    );
    await setFaults(baseUrl, { outage: true });
    await assert.rejects(client.authorize(authorizeRequest("o-1")), PgUnavailableError);
    await setFaults(baseUrl, { outage: false });
    assert.equal((await client.authorize(authorizeRequest("o-1"))).outcome, "approved");
  } finally {
    await stop();
  }
  const orphan = createHttpPgClient({
    baseUrl: `http://127.0.0.1:${unusedPort()}`,
    timeoutMs: clientTimeoutMs,
  });
  try {
    await assert.rejects(orphan.authorize(authorizeRequest("n-1")), PgUnavailableError);
  } finally {
    orphan.close();
  }
});

Deno.test("http client: a 400 is a PgProtocolError, not an outcome", async () => {
  const { client, stop } = startPgsim();
  try {
    await assert.rejects(
      client.authorize(authorizeRequest("p-1", "tok_unknown")),
      (error: unknown) =>
        error instanceof PgProtocolError && error.status === 400 &&
        error.code === "validation_error",
    );
  } finally {
    await stop();
  }
});

Deno.test("http client: an authorization lookup finds its status by key, a 404 is not found, an outage is unavailable", async () => {
  const { client, baseUrl, stop } = startPgsim();
  try {
    const approved = await client.authorize(authorizeRequest("l-1"));
    assert.deepEqual(await client.lookupAuthorization("l-1"), {
      found: true,
      authorizationId: approved.authorizationId,
      status: "approved",
      amount: 10_000,
      currency: "KRW",
      reference: "pay_l-1",
    });
    await client.cancel({
      idempotencyKey: "x-l-1",
      authorizationId: approved.authorizationId,
      reference: "pay_l-1",
    });
    const voided = await client.lookupAuthorization("l-1");
    assert.equal(voided.found ? voided.status : "missing", "voided");
    assert.deepEqual(await client.lookupAuthorization("never/used+key"), { found: false });
    await setFaults(baseUrl, { outage: true });
    await assert.rejects(client.lookupAuthorization("l-1"), PgUnavailableError);
  } finally {
    await stop();
  }
});
