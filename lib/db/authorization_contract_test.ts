/**
 * Authorization attempt, janitor and expiry contracts, on both adapters
 * (harness: repository_contract.ts).
 */
import assert from "node:assert/strict";
import type { Currency, MerchantId, PaymentId, PaymentStatus } from "../domain/mod.ts";
import {
  findAuthorizationAttempt,
  type NewAuthorizationAttempt,
  openAuthorizationAttempt,
  reopenAuthorizationAttempt,
  resolveAuthorizationAttemptStatement,
} from "./authorization_attempt_repo.ts";
import { expireDueAuthorizations } from "./authorization_expiry_repo.ts";
import {
  beginAttemptVoid,
  claimDueAuthorizationAttempts,
  finishAttemptVoid,
  purgeResolvedAuthorizationAttempts,
  resolveClaimedAttempt,
} from "./authorization_janitor_repo.ts";
import { sql } from "./batch.ts";
import { findIdempotencyRecord } from "./idempotency_repo.ts";
import { insertPaymentStatement, type PaymentRecord, readPaymentById } from "./payment_repo.ts";
import type { Db } from "./port.ts";
import { both, contract, nextId } from "./repository_contract.ts";
import { runTransactionBatch } from "./transaction.ts";

const t0 = new Date(Date.UTC(2026, 0, 2, 3, 4, 5, 678));
const at = (ms: number) => new Date(t0.getTime() + ms);
const minuteMs = 60_000;

function attempt(overrides: Partial<NewAuthorizationAttempt> = {}): NewAuthorizationAttempt {
  const key = nextId("key");
  return {
    pgKey: `pg_${key}`,
    merchantId: "m_contract",
    idempotencyKey: key,
    amount: 9_007_199_254_740,
    currency: "KRW",
    paymentMethod: "card",
    fingerprint: "fp",
    requestPath: "/v1/payments",
    createdAt: t0,
    ...overrides,
  };
}

function payment(
  a: NewAuthorizationAttempt,
  overrides: Partial<PaymentRecord> = {},
): PaymentRecord {
  return {
    id: nextId("pay") as PaymentId,
    merchantId: a.merchantId as MerchantId,
    idempotencyKey: a.idempotencyKey,
    status: "AUTHORIZED" as PaymentStatus,
    amount: a.amount,
    currency: a.currency as Currency,
    capturedAmount: 0,
    refundedAmount: 0,
    orderId: "order-1",
    description: null,
    pgAuthorizationId: "pg_auth_1",
    declineCode: null,
    authExpiresAt: at(86_400_000),
    createdAt: t0,
    updatedAt: t0,
    ...overrides,
  };
}

const claimAt = (db: Db, now: Date, limit = 10) =>
  claimDueAuthorizationAttempts(db, { now, resolveAfterMs: minuteMs, leaseMs: minuteMs, limit });

contract(
  "attempts: opened once, re-presented, found, resolved with the payment, reopened",
  both,
  async (db) => {
    const a = attempt();
    assert.deepEqual(await openAuthorizationAttempt(db, a), { kind: "new" });
    const fresh = await findAuthorizationAttempt(db, a.pgKey);
    assert.equal(fresh?.status, "PENDING");
    assert.equal(fresh?.amount, a.amount);
    assert.equal(fresh?.requests, 1);
    assert.equal(fresh?.leaseUntil, null);
    assert.equal(fresh?.presentedAt.getTime(), t0.getTime());
    assert.equal(await findAuthorizationAttempt(db, "pg_none"), undefined);

    const again = await openAuthorizationAttempt(db, { ...a, createdAt: at(5_000) });
    assert.equal(again.kind, "existing");
    assert.ok(again.kind === "existing");
    assert.equal(again.attempt.requests, 2);
    assert.equal(again.attempt.version, fresh!.version + 1);
    assert.equal(again.attempt.presentedAt.getTime(), at(5_000).getTime());

    await runTransactionBatch(db, [
      resolveAuthorizationAttemptStatement({
        pgKey: a.pgKey,
        outcome: "DECLINED",
        pgAuthorizationId: "pg_auth_x",
        at: at(6_000),
      }),
    ]);
    const resolved = await findAuthorizationAttempt(db, a.pgKey);
    assert.deepEqual([resolved?.status, resolved?.outcome, resolved?.pgAuthorizationId], [
      "RESOLVED",
      "DECLINED",
      "pg_auth_x",
    ]);
    assert.equal(resolved?.resolvedAt?.getTime(), at(6_000).getTime());
    // A resolved attempt keeps its presented_at when presented again.
    const late = await openAuthorizationAttempt(db, { ...a, createdAt: at(9_000) });
    assert.ok(late.kind === "existing");
    assert.equal(late.attempt.presentedAt.getTime(), at(5_000).getTime());

    assert.equal(await reopenAuthorizationAttempt(db, resolved!, at(10_000)), false); // stale version
    assert.equal(await reopenAuthorizationAttempt(db, late.attempt, at(10_000)), true);
    const reopened = await findAuthorizationAttempt(db, a.pgKey);
    assert.deepEqual([reopened?.status, reopened?.outcome, reopened?.resolvedAt], [
      "PENDING",
      null,
      null,
    ]);
    assert.equal(reopened?.presentedAt.getTime(), at(10_000).getTime());
    assert.equal(await reopenAuthorizationAttempt(db, reopened!, at(11_000)), false); // not RESOLVED
  },
);

contract(
  "janitor: claims due attempts under a lease, resolves them, purges bounded",
  both,
  async (db) => {
    const due = attempt();
    const recent = attempt({ createdAt: at(2 * minuteMs) });
    await openAuthorizationAttempt(db, due);
    await openAuthorizationAttempt(db, recent);

    const now = at(2 * minuteMs + 1);
    const claimed = await claimAt(db, now);
    assert.deepEqual(claimed.map((c) => c.pgKey), [due.pgKey]);
    assert.equal(claimed[0]?.leaseUntil?.getTime(), now.getTime() + minuteMs);
    assert.deepEqual(await claimAt(db, now), []); // the lease runs
    const reclaimed = await claimAt(db, at(3 * minuteMs + 1));
    assert.deepEqual(reclaimed.map((c) => c.pgKey), [due.pgKey, recent.pgKey]);

    assert.equal(
      await resolveClaimedAttempt(db, claimed[0]!, {
        outcome: "NOT_AT_PG",
        pgAuthorizationId: null,
        at: now,
      }),
      false, // the claim was taken over (version moved)
    );
    const [mine] = reclaimed;
    assert.equal(
      await resolveClaimedAttempt(db, mine!, {
        outcome: "NOT_AT_PG",
        pgAuthorizationId: null,
        at: now,
      }),
      true,
    );
    const resolved = await findAuthorizationAttempt(db, due.pgKey);
    assert.deepEqual([resolved?.status, resolved?.outcome, resolved?.leaseUntil], [
      "RESOLVED",
      "NOT_AT_PG",
      null,
    ]);

    for (let i = 0; i < 3; i++) {
      const old = attempt();
      await openAuthorizationAttempt(db, old);
      const [claim] = await claimAt(db, at(10 * minuteMs)).then((cs) =>
        cs.filter((c) => c.pgKey === old.pgKey)
      );
      await resolveClaimedAttempt(db, claim!, {
        outcome: "DECLINED_AT_PG",
        pgAuthorizationId: "x",
        at: now,
      });
    }
    assert.equal(await purgeResolvedAuthorizationAttempts(db, at(1), 2), 2);
    assert.equal(await purgeResolvedAuthorizationAttempts(db, at(1), 10), 2);
    assert.equal(await purgeResolvedAuthorizationAttempts(db, at(1), 10), 0);
    assert.equal((await findAuthorizationAttempt(db, recent.pgKey))?.status, "PENDING");
  },
);

contract(
  "janitor: a hold without payment is voided once; with a payment it is kept",
  both,
  async (db) => {
    const lost = attempt();
    const paid = attempt();
    await openAuthorizationAttempt(db, lost);
    await openAuthorizationAttempt(db, paid);
    await runTransactionBatch(db, [insertPaymentStatement(payment(paid))]);
    const now = at(2 * minuteMs);
    const claims = await claimAt(db, now);
    const claimOf = (key: string) => claims.find((c) => c.pgKey === key)!;
    const voidAt = { now, pgAuthorizationId: "pg_auth_9", retentionMs: minuteMs };

    assert.equal(await beginAttemptVoid(db, claimOf(paid.pgKey), voidAt), "paid");
    const kept = await findAuthorizationAttempt(db, paid.pgKey);
    assert.deepEqual([kept?.status, kept?.outcome], ["RESOLVED", "AUTHORIZED"]);

    assert.equal(await beginAttemptVoid(db, claimOf(lost.pgKey), voidAt), "voiding");
    assert.equal(await beginAttemptVoid(db, claimOf(lost.pgKey), voidAt), "lost");
    const record = await findIdempotencyRecord(db, lost.merchantId, lost.idempotencyKey, now);
    assert.equal(record?.httpStatus, 409);
    assert.match(record?.body ?? "", /authorization_voided/);
    // The payment transaction's resolution leaves a VOIDING attempt alone.
    const resolution = {
      pgKey: lost.pgKey,
      outcome: "AUTHORIZED",
      pgAuthorizationId: "p",
      at: now,
    } as const;
    const [result] = await runTransactionBatch(db, [
      resolveAuthorizationAttemptStatement(resolution),
    ]);
    assert.equal((result as { affectedRows: number }).affectedRows, 0);
    // An interrupted void is claimed again once its lease ran out.
    assert.deepEqual((await claimAt(db, at(4 * minuteMs))).map((c) => [c.pgKey, c.status]), [[
      lost.pgKey,
      "VOIDING",
    ]]);

    assert.equal(await finishAttemptVoid(db, lost.pgKey, { pgVoidId: "v1", at: now }), true);
    assert.equal(await finishAttemptVoid(db, lost.pgKey, { pgVoidId: "v1", at: now }), false);
    const voided = await findAuthorizationAttempt(db, lost.pgKey);
    assert.deepEqual([voided?.status, voided?.outcome, voided?.pgVoidId], [
      "RESOLVED",
      "VOIDED",
      "v1",
    ]);
  },
);

contract("janitor: two racing janitors never claim one attempt", both, async (db) => {
  const attempts = Array.from({ length: 12 }, () => attempt());
  for (const a of attempts) await openAuthorizationAttempt(db, a);
  const now = at(2 * minuteMs);
  const [first, second] = await Promise.all([claimAt(db, now, 8), claimAt(db, now, 8)]);
  // A row the other janitor had locked is skipped, not waited for: the next
  // pass claims what both left, and no attempt is ever claimed twice.
  const rest = await claimAt(db, now, attempts.length);
  const keys = [...first!, ...second!, ...rest].map((c) => c.pgKey);
  assert.equal(new Set(keys).size, keys.length);
  assert.equal(keys.length, attempts.length);
  assert.deepEqual(await claimAt(db, now, attempts.length), []);
});

contract(
  "expiry: due authorizations expire once, in bounded batches; others stay",
  both,
  async (db) => {
    const base = attempt();
    const due = [1, 2, 3].map((i) =>
      payment(base, { idempotencyKey: nextId("k"), authExpiresAt: at(i) })
    );
    const later = payment(base, { idempotencyKey: nextId("k"), authExpiresAt: at(minuteMs) });
    const captured = payment(base, {
      idempotencyKey: nextId("k"),
      authExpiresAt: at(1),
      status: "CAPTURED" as PaymentStatus,
    });
    await runTransactionBatch(db, [...due, later, captured].map(insertPaymentStatement));

    const now = at(10);
    const [one, two] = await Promise.all([
      expireDueAuthorizations(db, { now, batchSize: 2 }),
      expireDueAuthorizations(db, { now, batchSize: 2 }),
    ]);
    const rest = await expireDueAuthorizations(db, { now, batchSize: 2 });
    const expired = [...one!, ...two!, ...rest];
    assert.equal(expired.length, due.length);
    assert.ok(expired.every((p) => p.from === "AUTHORIZED" && p.to === "EXPIRED"));
    assert.ok(one!.length <= 2 && two!.length <= 2);
    for (const p of due) assert.equal((await readPaymentById(db, p.id))?.status, "EXPIRED");
    assert.equal((await readPaymentById(db, later.id))?.status, "AUTHORIZED");
    assert.equal((await readPaymentById(db, captured.id))?.status, "CAPTURED");
    const events = await db.query(sql("SELECT COUNT(*) AS n FROM outbox_event"));
    assert.equal(Number(events[0]?.n), 3);
    assert.deepEqual(await expireDueAuthorizations(db, { now, batchSize: 2 }), []);
  },
);
