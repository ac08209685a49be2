/**
 * The settlement end-to-end scenario, run by one test file per profile:
 * settlement_e2e_test.ts (embedded, everywhere) and
 * settlement_scale_out_e2e_test.ts (MariaDB and Redis).
 */
import assert from "node:assert/strict";
import type { Profile } from "@pay/lib/config";
import { countRows, listPayments, verifyLedger } from "@pay/lib/db";
import { merchantId, type Platform, startPlatform, until } from "./platform.ts";

/** Flows run through the outage, and how many run at once. */
const flowCount = 200;
const flowConcurrency = 16;
/** The outage starts once this many flows authorized, so flows run before, during and after it. */
const outageAfterAuthorized = 60;
/** The injected PG outage (DESIGN: a 10 s outage in the middle of 200 flows). */
const outageMs = 10_000;
/** Captures issued right after the outage starts: they must wait for the PG. */
const outageProbes = 5;
/** Pause between authorize attempts the PG refused with 503. */
const authorizeRetryMs = 100;
/** More payments than the run makes (flows, probes and the lifecycle's), so one listing has them all. */
const listedPaymentsMax = 1_000;

type Expected = "CAPTURED" | "PARTIALLY_REFUNDED" | "CANCELLED";

async function statusOf(platform: Platform, paymentId: string): Promise<string> {
  const { body } = await platform.api("GET", `/api/payments/${paymentId}`);
  return body.status;
}

async function awaitStatus(platform: Platform, paymentId: string, status: string): Promise<void> {
  await until(
    async () => (await statusOf(platform, paymentId)) === status,
    `${paymentId} ${status}`,
  );
}

/** Authorizes, retrying while the PG is down (503, nothing stored) with the same key. */
async function authorize(platform: Platform, key: string, amount: number): Promise<string> {
  while (true) {
    const answer = await platform.api("POST", "/api/payments/authorize", {
      amount,
      currency: "KRW",
    }, key);
    if (answer.status === 201) return answer.body.paymentId;
    if (answer.status !== 503 && answer.status !== 409) {
      throw new Error(`Authorize answered ${answer.status}: ${JSON.stringify(answer.body)}`);
    }
    await new Promise((resolve) => setTimeout(resolve, authorizeRetryMs));
  }
}

async function post(platform: Platform, path: string, body: unknown, expected: number) {
  const answer = await platform.api("POST", path, body);
  assert.equal(answer.status, expected, `${path}: ${JSON.stringify(answer.body)}`);
  return answer.body;
}

async function lifecycle(platform: Platform): Promise<void> {
  const paymentId = await authorize(platform, "life-1", 10_000);
  await post(platform, `/api/payments/capture/${paymentId}`, {}, 202);
  await awaitStatus(platform, paymentId, "CAPTURED");
  await post(platform, `/api/payments/refund/${paymentId}`, { amount: 3_000 }, 202);
  await awaitStatus(platform, paymentId, "PARTIALLY_REFUNDED");
  await post(platform, `/api/payments/refund/${paymentId}`, {}, 202);
  await awaitStatus(platform, paymentId, "REFUNDED");
  const { body } = await platform.api("GET", `/api/payments/${paymentId}`);
  assert.deepEqual([body.capturedAmount, body.refundedAmount], [10_000, 10_000]);

  const cancelled = await authorize(platform, "life-2", 5_000);
  assert.equal(
    (await post(platform, `/api/payments/cancel/${cancelled}`, {}, 200)).status,
    "CANCELLED",
  );
  await until(async () => {
    const answer = await fetch(
      `${platform.pgsim.url}/admin/operations?type=cancel&reference=${cancelled}`,
    );
    return (await answer.json()).operations.length === 1;
  }, "the PG voided the cancelled authorization");

  const declined = await platform.api("POST", "/api/payments/authorize", {
    amount: 5_000,
    currency: "KRW",
    paymentMethod: "tok_decline",
  }, "life-3");
  assert.equal(declined.status, 402, JSON.stringify(declined.body));
  assert.equal(declined.body.code, "card_declined");
}

/** One flow: capture (half), capture then refund half (a quarter), or cancel (a quarter). */
async function flow(platform: Platform, i: number, authorized: () => void): Promise<Expected> {
  const amount = 1_000 + (i % 50) * 100;
  const paymentId = await authorize(platform, `flow-${i}`, amount);
  authorized();
  if (i % 4 === 3) {
    await post(platform, `/api/payments/cancel/${paymentId}`, {}, 200);
    return "CANCELLED";
  }
  await post(platform, `/api/payments/capture/${paymentId}`, {}, 202);
  if (i % 4 !== 2) return "CAPTURED";
  await awaitStatus(platform, paymentId, "CAPTURED");
  await post(platform, `/api/payments/refund/${paymentId}`, { amount: amount / 2 }, 202);
  return "PARTIALLY_REFUNDED";
}

async function flowsThroughOutage(platform: Platform): Promise<Map<string, Expected>> {
  const probes = await Promise.all(
    Array.from({ length: outageProbes }, (_, i) => authorize(platform, `probe-${i}`, 2_000)),
  );
  let authorizedCount = 0;
  let outageStarted!: () => void;
  const started = new Promise<void>((resolve) => outageStarted = resolve);
  const outage = (async () => {
    await until(() => authorizedCount >= outageAfterAuthorized, "flows authorized");
    await platform.setOutage(true);
    outageStarted();
    for (const id of probes) await post(platform, `/api/payments/capture/${id}`, {}, 202);
    await new Promise((resolve) => setTimeout(resolve, outageMs));
    await platform.setOutage(false);
  })();
  const expected = new Map<string, Expected>(probes.map((_, i) => [`probe-${i}`, "CAPTURED"]));
  let next = 0;
  const lane = async () => {
    while (next < flowCount) {
      const i = next++;
      const outcome = await flow(platform, i, () => authorizedCount++);
      expected.set(`flow-${i}`, outcome);
    }
  };
  await Promise.all([...Array.from({ length: flowConcurrency }, lane), outage, started]);
  return expected;
}

export const settlementEndToEndName =
  "payments settle end to end across a 10 s PG outage: none stuck, ledger balanced, reconciliation clean";

/** The whole scenario on a fresh platform of `profile`, one step per claim. */
export async function settlementEndToEnd(t: Deno.TestContext, profile: Profile): Promise<void> {
  const platform = await startPlatform("e2e_settlement", { profile });
  const { pool } = platform.db;
  try {
    await t.step(
      "authorize, capture, partial and full refund, cancel, decline",
      () => lifecycle(platform),
    );

    await t.step(
      `${flowCount} flows through a ${outageMs / 1_000} s PG outage all end final`,
      async () => {
        const expected = await flowsThroughOutage(platform);
        await until(
          async () =>
            (await countRows(pool, "payment", {
              status: ["CAPTURE_REQUESTED", "REFUND_REQUESTED"],
            })) === 0,
          "no payment waiting for the PG",
        );
        const payments = await listPayments(pool, { merchantId, limit: listedPaymentsMax });
        assert.ok(payments.length < listedPaymentsMax, "every payment of the run listed");
        const actual = new Map(payments.map((p) => [p.idempotencyKey, p.status as string]));
        for (const [key, status] of expected) assert.equal(actual.get(key), status, key);
      },
    );

    await t.step(
      "every cancelled authorization is voided once at the PG, nothing dead-lettered",
      async () => {
        const cancelled = await countRows(pool, "payment", { status: "CANCELLED" });
        await until(
          async () =>
            (await countRows(pool, "void_request", { status: "SUCCESS" })) ===
              cancelled,
          "every cancelled authorization voided",
        );
        const answer = await fetch(`${platform.pgsim.url}/admin/operations?type=cancel`);
        const { operations } = await answer.json() as { operations: Array<{ reference: string }> };
        assert.equal(operations.length, cancelled);
        assert.equal(new Set(operations.map((o) => o.reference)).size, cancelled);
        assert.equal(await countRows(pool, "dlq_message"), 0);
      },
    );

    await t.step("the outage made the settlement worker retry, never capture twice", async () => {
      const metrics = await (await fetch(`${platform.workers.url}/metrics`)).text();
      const retried = /settlement_retries_scheduled_total\{[^}]*kind="capture"[^}]*\} (\d+)/.exec(
        metrics,
      );
      assert.ok(
        retried && Number(retried[1]) >= outageProbes,
        "captures retried during the outage",
      );
      const settled = await countRows(pool, "settlement_request", { status: "SUCCESS" });
      const answer = await fetch(`${platform.pgsim.url}/admin/operations?type=capture`);
      const { operations } = await answer.json() as {
        operations: Array<{ idempotencyKey: string }>;
      };
      assert.equal(operations.length, settled);
      assert.equal(new Set(operations.map((o) => o.idempotencyKey)).size, settled);
    });

    await t.step("the ledger balances and reconciliation is clean", async () => {
      const settled = (await countRows(pool, "settlement_request", { status: "SUCCESS" })) +
        (await countRows(pool, "refund_request", { status: "SUCCESS" }));
      await until(
        async () => (await countRows(pool, "ledger_entry")) === settled,
        "the ledger posted every capture and refund",
      );
      const ledger = await verifyLedger(pool);
      assert.ok(ledger.ok, JSON.stringify(ledger));
      const output = await new Deno.Command(Deno.execPath(), {
        args: ["run", "-A", "--quiet", "workers/reconciliation/main.ts", "--json"],
        cwd: new URL("../../", import.meta.url).pathname,
        env: platform.env,
        stdout: "piped",
        stderr: "piped",
      }).output();
      const text = new TextDecoder().decode(output.stdout);
      assert.equal(output.code, 0, text + new TextDecoder().decode(output.stderr));
      const report = JSON.parse(text);
      assert.equal(report.clean, true);
      assert.equal(report.counts.matched, settled);
    });
  } finally {
    await platform.stop();
  }
}
