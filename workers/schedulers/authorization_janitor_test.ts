import assert from "node:assert/strict";
import { readSettlementConfig } from "@pay/lib/config";
import { type Db, findAuthorizationAttempt, openAuthorizationAttempt } from "@pay/lib/db";
import { PgUnavailableError } from "@pay/lib/domain";
import { createRegistry } from "@pay/lib/metrics";
import { createFakePgClient, type FakePgClient, type PgClient } from "@pay/lib/pg";
import { fixtureRows, freshTestDatabase } from "@pay/lib/testing";
import { silentWorkerLog } from "../settlement/log.ts";
import {
  type AuthorizationJanitorDeps,
  resolveLostAuthorizations,
  voidKeyOf,
} from "./authorization_janitor.ts";

const config = readSettlementConfig({}).schedulers.authorizationJanitor;
const due = () => new Date(Date.now() + config.resolveAfterMs + 1_000);

/** A PENDING attempt as ingest writes it, and (unless `atPg` is false) the PG's approval of it. */
async function lostApproval(pool: Db, pg: FakePgClient, n: number, paymentMethod = "tok_visa") {
  const pgKey = `az_test_${n}`;
  await openAuthorizationAttempt(pool, {
    pgKey,
    merchantId: "M123",
    idempotencyKey: `k-${n}`,
    amount: 5_000,
    currency: "KRW",
    paymentMethod,
    fingerprint: "f".repeat(64),
    requestPath: "/api/payments/authorize",
    createdAt: new Date(),
  });
  await pg.authorize({
    idempotencyKey: pgKey,
    merchantId: "M123",
    amount: 5_000,
    currency: "KRW",
    paymentMethod,
    reference: pgKey,
  });
  return pgKey;
}

function deps(pool: Db, pg: PgClient, registry = createRegistry("workers")) {
  return { pool, pg, config, registry, log: silentWorkerLog } satisfies AuthorizationJanitorDeps;
}

async function statusOf(pool: Db, pgKey: string): Promise<string> {
  const attempt = await findAuthorizationAttempt(pool, pgKey);
  return `${attempt?.status}/${attempt?.outcome}`;
}

Deno.test("two janitors at once void each orphan hold exactly once", async () => {
  const db = await freshTestDatabase("janitor_two");
  const pg = createFakePgClient();
  try {
    const keys = [];
    for (let n = 0; n < 12; n++) keys.push(await lostApproval(db.pool, pg, n));
    const small = { ...config, batchSize: 4 };
    const janitor = (registry = createRegistry("workers")) => ({
      ...deps(db.pool, pg, registry),
      config: small,
    });
    const now = due();
    const drain = async () => {
      while ((await resolveLostAuthorizations(janitor(), now)).more);
    };
    await Promise.all([drain(), drain()]);
    const voids = pg.operations().filter((o) => o.type === "cancel");
    assert.equal(voids.length, 12);
    assert.equal(new Set(voids.map((o) => o.authorizationId)).size, 12);
    for (const key of keys) assert.equal(await statusOf(db.pool, key), "RESOLVED/VOIDED");
  } finally {
    await db.close();
  }
});

Deno.test("a declined or unknown outcome is closed without touching the PG; a PG outage leaves the attempt for after the lease", async () => {
  const db = await freshTestDatabase("janitor_outcomes");
  const pg = createFakePgClient();
  const registry = createRegistry("workers");
  try {
    const declined = await lostApproval(db.pool, pg, 1, "tok_decline");
    const unknown = await lostApproval(db.pool, pg, 2, "tok_fail").catch(() => "az_test_2");
    const now = due();
    pg.setAvailable(false);
    assert.deepEqual(await resolveLostAuthorizations(deps(db.pool, pg, registry), now), {
      items: 2,
      more: false,
    });
    assert.equal(await statusOf(db.pool, declined), "PENDING/null");
    assert.match(
      await registry.metrics(),
      /authorization_janitor_failures_total\{reason="pg_unavailable"[^}]*\} 1/,
    );
    pg.setAvailable(true);
    assert.deepEqual(
      await resolveLostAuthorizations(deps(db.pool, pg, registry), now),
      { items: 0, more: false },
      "leased: not again before the lease ends",
    );
    const afterLease = new Date(now.getTime() + config.leaseMs);
    await resolveLostAuthorizations(deps(db.pool, pg, registry), afterLease);
    assert.equal(await statusOf(db.pool, declined), "RESOLVED/DECLINED_AT_PG");
    assert.equal(await statusOf(db.pool, unknown), "RESOLVED/NOT_AT_PG");
    assert.deepEqual(pg.operations().map((o) => o.type), ["authorize"], "no void");
  } finally {
    await db.close();
  }
});

Deno.test("an interrupted void is finished after the lease with the same void key; resolved attempts are purged after their retention", async () => {
  const db = await freshTestDatabase("janitor_void_retry");
  const fake = createFakePgClient();
  let cancelsDown = true;
  const pg: PgClient = {
    ...fake,
    cancel: (request) =>
      cancelsDown ? Promise.reject(new PgUnavailableError("PG is down")) : fake.cancel(request),
  };
  try {
    const key = await lostApproval(db.pool, fake, 1);
    const now = due();
    await resolveLostAuthorizations(deps(db.pool, pg), now);
    assert.equal(await statusOf(db.pool, key), "VOIDING/null");
    const [tombstone] = await fixtureRows(
      db.pool,
      "SELECT http_status, body FROM idempotency_record WHERE idempotency_key = 'k-1'",
    );
    assert.equal(tombstone!.http_status, 409, "the key is bound to its 409 before the PG call");

    cancelsDown = false;
    const afterLease = new Date(now.getTime() + config.leaseMs);
    await resolveLostAuthorizations(deps(db.pool, pg), afterLease);
    assert.equal(await statusOf(db.pool, key), "RESOLVED/VOIDED");
    const cancels = fake.operations().filter((o) => o.type === "cancel");
    assert.deepEqual(cancels.map((o) => o.idempotencyKey), [voidKeyOf(key)]);

    const beforeRetention = new Date(Date.now() + config.retentionMs - 60_000);
    assert.deepEqual(await resolveLostAuthorizations(deps(db.pool, pg), beforeRetention), {
      items: 0,
      more: false,
    });
    const afterRetention = new Date(Date.now() + config.retentionMs + 60_000);
    assert.deepEqual(await resolveLostAuthorizations(deps(db.pool, pg), afterRetention), {
      items: 1,
      more: false,
    });
    assert.equal(await findAuthorizationAttempt(db.pool, key), undefined);
  } finally {
    await db.close();
  }
});
