import assert from "node:assert/strict";
import { MalformedMessageError, parseDlqRecord } from "@pay/lib/bus";
import { claimPgRequest, voidRequestId } from "@pay/lib/db";
import { topics } from "@pay/lib/domain";
import { expireAuthorizations } from "../schedulers/expire_authorizations.ts";
import { retryDueRequests } from "../schedulers/settlement_retry.ts";
import { silentWorkerLog } from "./log.ts";
import {
  authorizedPayment,
  cancelPayment,
  deliveredOf,
  outboxEventsOf,
  paymentOf,
  requestCapture,
  requestRefund,
  requestRow,
} from "./testing/fixtures.ts";
import { settlementHarness } from "./testing/harness.ts";

const hourMs = 3_600_000;

Deno.test("a capture request settles: request SUCCESS, payment CAPTURED, payment.captured in the outbox", async () => {
  const h = await settlementHarness("st_capture");
  try {
    const payment = await authorizedPayment(h.db.pool, h.fakePg, { amount: 10_000 });
    const { requestId, message } = await requestCapture(h.db.pool, payment, 7_000);
    await h.handler(message);

    const captured = await paymentOf(h.db.pool, payment.id);
    assert.equal(captured.status, "CAPTURED");
    assert.equal(captured.capturedAmount, 7_000);
    const request = await requestRow(h.db.pool, "capture", requestId);
    assert.equal(request.status, "SUCCESS");
    assert.match(request.pgId ?? "", /^cap_/);
    const last = (await outboxEventsOf(h.db.pool, payment.id)).at(-1)!;
    assert.equal(last.topic, topics.captured);
    assert.equal(last.envelope.amount, 7_000);
    assert.deepEqual(
      { ...last.envelope.data, pgAuthorizationId: undefined },
      {
        from: "CAPTURE_REQUESTED",
        to: "CAPTURED",
        requestId,
        pgTransactionId: request.pgId,
        pgAuthorizationId: undefined,
      },
    );
    const pgCaptures = h.fakePg.operations().filter((o) => o.type === "capture");
    assert.deepEqual(pgCaptures.map((o) => [o.idempotencyKey, o.amount]), [[requestId, 7_000]]);
    const metrics = await h.registry.metrics();
    assert.match(
      metrics,
      /payment_transitions_total\{[^}]*from="CAPTURE_REQUESTED",to="CAPTURED"[^}]*\} 1/,
    );
    assert.match(
      metrics,
      /settlement_requests_completed_total\{[^}]*kind="capture",status="SUCCESS"[^}]*\} 1/,
    );
  } finally {
    await h.close();
  }
});

Deno.test("a redelivered capture-requested event is acknowledged without a second PG call", async () => {
  const h = await settlementHarness("st_redelivery");
  try {
    const payment = await authorizedPayment(h.db.pool, h.fakePg);
    const { message } = await requestCapture(h.db.pool, payment);
    await h.handler(message);
    const callsAfterFirst = h.fakePg.callCount;
    await h.handler({ ...message, deliveryCount: 2 });
    await h.handler(message);
    assert.equal(h.fakePg.callCount, callsAfterFirst);
    const events = await outboxEventsOf(h.db.pool, payment.id);
    assert.equal(events.filter((e) => e.topic === topics.captured).length, 1);
  } finally {
    await h.close();
  }
});

Deno.test("partial refunds over time leave PARTIALLY_REFUNDED, and the last one REFUNDED", async () => {
  const h = await settlementHarness("st_refunds");
  try {
    const payment = await authorizedPayment(h.db.pool, h.fakePg, { amount: 10_000 });
    await h.handler((await requestCapture(h.db.pool, payment)).message);

    const first = await requestRefund(h.db.pool, payment.id, 3_000);
    await h.handler(first.message);
    let current = await paymentOf(h.db.pool, payment.id);
    assert.equal(current.status, "PARTIALLY_REFUNDED");
    assert.equal(current.refundedAmount, 3_000);

    const second = await requestRefund(h.db.pool, payment.id, 2_000);
    await h.handler(second.message);
    current = await paymentOf(h.db.pool, payment.id);
    assert.equal(current.status, "PARTIALLY_REFUNDED");
    assert.equal(current.refundedAmount, 5_000);

    const last = await requestRefund(h.db.pool, payment.id, 5_000);
    await h.handler(last.message);
    current = await paymentOf(h.db.pool, payment.id);
    assert.equal(current.status, "REFUNDED");
    assert.equal(current.refundedAmount, 10_000);

    const refunded = (await outboxEventsOf(h.db.pool, payment.id))
      .filter((e) => e.topic === topics.refunded)
      .map((e) => [e.envelope.amount, e.envelope.data.to, e.envelope.data.refundedAmountTotal]);
    assert.deepEqual(refunded, [
      [3_000, "PARTIALLY_REFUNDED", 3_000],
      [2_000, "PARTIALLY_REFUNDED", 5_000],
      [5_000, "REFUNDED", 10_000],
    ]);
    const pgRefunds = h.fakePg.operations().filter((o) => o.type === "refund");
    assert.deepEqual(pgRefunds.map((o) => o.idempotencyKey), [
      first.requestId,
      second.requestId,
      last.requestId,
    ]);
    assert.equal((await requestRow(h.db.pool, "refund", last.requestId)).status, "SUCCESS");
  } finally {
    await h.close();
  }
});

Deno.test("a PG rejection fails the capture: CAPTURE_FAILED, payment.capture-failed, a seed-format DLQ record", async () => {
  const h = await settlementHarness("st_rejected");
  try {
    const payment = await authorizedPayment(h.db.pool, h.fakePg);
    // The PG voided the authorization behind our back: the capture is refused for good.
    await h.fakePg.cancel({
      idempotencyKey: "void-elsewhere",
      authorizationId: payment.pgAuthorizationId!,
      reference: payment.id,
    });
    const { requestId, message } = await requestCapture(h.db.pool, payment);
    await h.handler(message);

    assert.equal((await paymentOf(h.db.pool, payment.id)).status, "CAPTURE_FAILED");
    const request = await requestRow(h.db.pool, "capture", requestId);
    assert.equal(request.status, "FAILED");
    assert.equal(request.pgCode, "authorization_cancelled");
    const last = (await outboxEventsOf(h.db.pool, payment.id)).at(-1)!;
    assert.equal(last.topic, topics.captureFailed);
    assert.equal(last.envelope.data.errorCode, "authorization_cancelled");

    assert.equal(h.published.length, 1);
    const dlq = h.published[0]!;
    assert.equal(dlq.topic, topics.dlq);
    assert.equal(dlq.key, payment.id);
    assert.equal(dlq.headers.dlqGroup, "settlement");
    const record = parseDlqRecord(dlq.value);
    assert.ok(record, dlq.value);
    assert.equal(record.originalTopic, topics.captureRequested);
    assert.equal(record.offset, message.offset);
    assert.equal(record.payload, message.value);
    assert.equal(record.errorType, "PgRejected");
    assert.match(record.errorMessage, /authorization_cancelled/);

    const calls = h.fakePg.callCount;
    await h.handler(message);
    assert.equal(h.fakePg.callCount, calls, "a failed request is final: no PG call on redelivery");
    assert.equal(h.published.length, 1);
  } finally {
    await h.close();
  }
});

Deno.test("an unreachable PG schedules a retry with backoff, and the retry scheduler settles it once the PG is back", async () => {
  const h = await settlementHarness("st_retry", { backoffBaseMs: 1_000, backoffCapMs: 60_000 });
  try {
    const payment = await authorizedPayment(h.db.pool, h.fakePg);
    const { requestId, message } = await requestCapture(h.db.pool, payment);
    h.fakePg.setAvailable(false);
    const before = Date.now();
    await h.handler(message);

    let request = await requestRow(h.db.pool, "capture", requestId);
    assert.equal(request.status, "PENDING");
    assert.equal(request.attempts, 1);
    assert.match(request.lastError ?? "", /PgUnavailableError/);
    // Full jitter drawn at 0.5 of the first ceiling (1 s): due in about 500 ms.
    const delayMs = request.nextAttemptAt.getTime() - before;
    assert.ok(delayMs >= 400 && delayMs <= 1_000, `next attempt in ${delayMs} ms`);
    assert.equal((await paymentOf(h.db.pool, payment.id)).status, "CAPTURE_REQUESTED");

    const retry = { pool: h.db.pool, settler: h.settler, config: h.config, log: silentWorkerLog };
    assert.deepEqual(await retryDueRequests(retry, new Date()), { items: 0, more: false });
    h.fakePg.setAvailable(true);
    const due = new Date(request.nextAttemptAt.getTime() + 1);
    assert.deepEqual(await retryDueRequests(retry, due), { items: 1, more: false });

    request = await requestRow(h.db.pool, "capture", requestId);
    assert.equal(request.status, "SUCCESS");
    assert.equal(request.attempts, 2);
    assert.equal((await paymentOf(h.db.pool, payment.id)).status, "CAPTURED");
    assert.equal(h.fakePg.operations().filter((o) => o.type === "capture").length, 1);
  } finally {
    await h.close();
  }
});

Deno.test("exhausted attempts fail the refund with pg_unavailable and dead-letter it", async () => {
  const h = await settlementHarness("st_exhausted", { attemptsMax: 2 });
  try {
    const payment = await authorizedPayment(h.db.pool, h.fakePg);
    await h.handler((await requestCapture(h.db.pool, payment)).message);
    const { requestId, message } = await requestRefund(h.db.pool, payment.id, 4_000);
    h.fakePg.setAvailable(false);
    await h.handler(message);
    assert.equal((await requestRow(h.db.pool, "refund", requestId)).status, "PENDING");

    const retry = { pool: h.db.pool, settler: h.settler, config: h.config, log: silentWorkerLog };
    await retryDueRequests(retry, new Date(Date.now() + hourMs));

    const request = await requestRow(h.db.pool, "refund", requestId);
    assert.equal(request.status, "FAILED");
    assert.equal(request.attempts, 2);
    assert.equal(request.pgCode, "pg_unavailable");
    const failed = await paymentOf(h.db.pool, payment.id);
    assert.equal(failed.status, "REFUND_FAILED");
    assert.equal(failed.refundedAmount, 0);
    const record = parseDlqRecord(h.published.at(-1)!.value)!;
    assert.equal(record.originalTopic, topics.refundRequested);
    assert.equal(record.errorType, "RetriesExhausted");
    assert.equal(record.offset, "-1", "failed in the scheduler, not in a delivery");
    assert.equal(JSON.parse(record.payload).data.requestId, requestId);
  } finally {
    await h.close();
  }
});

Deno.test("a request whose bus message was lost is settled by the retry scheduler after the grace period, not before", async () => {
  const h = await settlementHarness("st_lost", { retryGraceMs: 30_000 });
  try {
    const payment = await authorizedPayment(h.db.pool, h.fakePg);
    const { requestId } = await requestCapture(h.db.pool, payment);
    const retry = { pool: h.db.pool, settler: h.settler, config: h.config, log: silentWorkerLog };
    assert.equal((await retryDueRequests(retry, new Date(Date.now() + 1_000))).items, 0);
    assert.equal((await retryDueRequests(retry, new Date(Date.now() + 31_000))).items, 1);
    assert.equal((await requestRow(h.db.pool, "capture", requestId)).status, "SUCCESS");
    assert.equal((await paymentOf(h.db.pool, payment.id)).status, "CAPTURED");
  } finally {
    await h.close();
  }
});

Deno.test("a claim left by a crashed worker is retried once its lease runs out", async () => {
  const h = await settlementHarness("st_lease", { leaseMs: 30_000 });
  try {
    const payment = await authorizedPayment(h.db.pool, h.fakePg);
    const { requestId, message } = await requestCapture(h.db.pool, payment);
    // The first worker claimed the request, then died before calling the PG.
    const claim = await claimPgRequest(h.db.pool, "capture", requestId, new Date(), 30_000);
    assert.equal(claim.state, "claimed");

    const other = h.another();
    await other.handler(message);
    assert.equal(h.fakePg.operations().filter((o) => o.type === "capture").length, 0);
    assert.equal((await requestRow(h.db.pool, "capture", requestId)).status, "PENDING");

    const retry = {
      pool: h.db.pool,
      settler: other.settler,
      config: h.config,
      log: silentWorkerLog,
    };
    assert.equal((await retryDueRequests(retry, new Date(Date.now() + 10_000))).items, 0);
    assert.equal((await retryDueRequests(retry, new Date(Date.now() + 31_000))).items, 1);
    const request = await requestRow(h.db.pool, "capture", requestId);
    assert.equal(request.status, "SUCCESS");
    assert.equal(request.attempts, 2);
  } finally {
    await h.close();
  }
});

Deno.test("two workers handling duplicated deliveries at once call the PG once per request", async () => {
  let captureCalls = 0;
  const h = await settlementHarness("st_duplicates", {}, {
    pg: (fake) => ({
      ...fake,
      authorize: (r) => fake.authorize(r),
      capture: (r) => {
        captureCalls++;
        return fake.capture(r);
      },
      refund: (r) => fake.refund(r),
      cancel: (r) => fake.cancel(r),
    }),
  });
  try {
    const requests = 20;
    const payments = await Promise.all(
      Array.from({ length: requests }, () => authorizedPayment(h.db.pool, h.fakePg)),
    );
    const messages = await Promise.all(payments.map((p) => requestCapture(h.db.pool, p)));
    const other = h.another();
    await Promise.all(messages.flatMap(({ message }) => [
      h.handler(message),
      other.handler(message),
      h.handler({ ...message, deliveryCount: 2 }),
      other.handler({ ...message, deliveryCount: 2 }),
    ]));
    assert.equal(captureCalls, requests);
    const captures = h.fakePg.operations().filter((o) => o.type === "capture");
    assert.equal(new Set(captures.map((o) => o.idempotencyKey)).size, requests);
    assert.equal(captures.length, requests);
    for (const p of payments) assert.equal((await paymentOf(h.db.pool, p.id)).status, "CAPTURED");
  } finally {
    await h.close();
  }
});

Deno.test("a cancelled payment's authorization is voided at the PG once, however often the event arrives", async () => {
  const h = await settlementHarness("st_void");
  try {
    const payment = await authorizedPayment(h.db.pool, h.fakePg);
    const message = await cancelPayment(h.db.pool, payment.id);
    await h.handler(message);
    await h.handler({ ...message, deliveryCount: 2 });
    const voids = h.fakePg.operations().filter((o) => o.type === "cancel");
    assert.equal(voids.length, 1);
    assert.equal(voids[0]!.authorizationId, payment.pgAuthorizationId);
    assert.equal(voids[0]!.idempotencyKey, voidRequestId(payment.id));
    const request = await requestRow(h.db.pool, "void", voidRequestId(payment.id));
    assert.deepEqual([request.status, request.pgId?.slice(0, 4)], ["SUCCESS", "cnl_"]);
    assert.equal((await paymentOf(h.db.pool, payment.id)).status, "CANCELLED");
  } finally {
    await h.close();
  }
});

Deno.test("an expired payment's authorization is voided at the PG", async () => {
  const h = await settlementHarness("st_void_expired");
  try {
    const past = new Date(Date.now() - hourMs);
    const payment = await authorizedPayment(h.db.pool, h.fakePg, { authExpiresAt: past });
    await expireAuthorizations(h.db.pool, { now: new Date(), batchSize: 10 }, h.registry);
    const expired = (await outboxEventsOf(h.db.pool, payment.id)).at(-1)!;
    assert.equal(expired.topic, topics.expired);
    await h.handler(deliveredOf(expired.envelope));
    const voids = h.fakePg.operations().filter((o) => o.type === "cancel");
    assert.deepEqual(voids.map((o) => o.reference), [payment.id]);
    assert.equal((await paymentOf(h.db.pool, payment.id)).status, "EXPIRED");
  } finally {
    await h.close();
  }
});

Deno.test("a void the PG cannot take now is retried later, and one it refuses is recorded without a state change", async () => {
  const h = await settlementHarness("st_void_retry");
  try {
    const down = await authorizedPayment(h.db.pool, h.fakePg);
    const downMessage = await cancelPayment(h.db.pool, down.id);
    h.fakePg.setAvailable(false);
    await h.handler(downMessage);
    const waiting = await requestRow(h.db.pool, "void", voidRequestId(down.id));
    assert.deepEqual([waiting.status, waiting.attempts], ["PENDING", 1]);
    h.fakePg.setAvailable(true);
    const retry = { pool: h.db.pool, settler: h.settler, config: h.config, log: silentWorkerLog };
    assert.equal((await retryDueRequests(retry, new Date(Date.now() + hourMs))).items, 1);
    assert.equal((await requestRow(h.db.pool, "void", voidRequestId(down.id))).status, "SUCCESS");

    const refused = await authorizedPayment(h.db.pool, h.fakePg);
    await h.fakePg.cancel({
      idempotencyKey: "void-elsewhere",
      authorizationId: refused.pgAuthorizationId!,
      reference: refused.id,
    });
    await h.handler(await cancelPayment(h.db.pool, refused.id));
    const failed = await requestRow(h.db.pool, "void", voidRequestId(refused.id));
    assert.deepEqual([failed.status, failed.pgCode], ["FAILED", "already_cancelled"]);
    assert.equal((await paymentOf(h.db.pool, refused.id)).status, "CANCELLED");
    assert.equal(h.published.length, 0, "a refused void is counted, not dead-lettered");
  } finally {
    await h.close();
  }
});

Deno.test("an event without a request id, or naming an unknown request, is malformed (straight to the DLQ)", async () => {
  const h = await settlementHarness("st_malformed");
  try {
    const payment = await authorizedPayment(h.db.pool, h.fakePg);
    const { message } = await requestCapture(h.db.pool, payment);
    const envelope = JSON.parse(message.value);
    const withoutId = deliveredOf({
      ...envelope,
      data: { ...envelope.data, requestId: undefined },
    });
    await assert.rejects(() => h.handler(withoutId), MalformedMessageError);
    const unknown = deliveredOf({ ...envelope, data: { ...envelope.data, requestId: "cap_nope" } });
    await assert.rejects(() => h.handler(unknown), MalformedMessageError);
    await assert.rejects(
      () => h.handler({ ...message, value: "{not json" }),
      MalformedMessageError,
    );
    assert.equal(h.fakePg.operations().filter((o) => o.type === "capture").length, 0);
  } finally {
    await h.close();
  }
});
