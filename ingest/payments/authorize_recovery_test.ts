/**
 * Lost authorization outcomes (DESIGN §10), end to end: ingest over a real
 * database (MariaDB or SQLite) with a fake PG, the database failing at chosen
 * points (a trigger that raises the database's own transient error), and the
 * authorization janitor of workers/schedulers resolving what was left.
 */
import assert from "node:assert/strict";
import { readSettlementConfig } from "@pay/lib/config";
import { type Db, type Dialect, findAuthorizationAttempt } from "@pay/lib/db";
import { createRegistry, type Registry } from "@pay/lib/metrics";
import { createFakePgClient, type FakePgClient, type PgClient } from "@pay/lib/pg";
import { fixtureRows, fixtureWrite } from "@pay/lib/testing";
import {
  type AuthorizationJanitorDeps,
  resolveLostAuthorizations,
} from "../../workers/schedulers/authorization_janitor.ts";
import { silentWorkerLog } from "../../workers/settlement/log.ts";
import { countRows, type IngestHarness, ingestHarness } from "../testing/harness.ts";
import { pgAuthorizeKey } from "./authorize.ts";

const authorizeBody = { merchantId: "M123", amount: 10_000, currency: "KRW" };
const janitorConfig = readSettlementConfig({}).schedulers.authorizationJanitor;

/** A trigger failing every insert into a table with a transient error of the database itself. */
const failingInsertTrigger: Record<Dialect, (trigger: string, table: string) => string> = {
  mariadb: (trigger, table) =>
    `CREATE TRIGGER ${trigger} BEFORE INSERT ON ${table} FOR EACH ROW
     SIGNAL SQLSTATE '70100' SET MYSQL_ERRNO = 1927, MESSAGE_TEXT = 'Connection was killed'`,
  // SQLite's transient failure: its busy timeout ran out while another process held the file's lock.
  sqlite: (trigger, table) =>
    `CREATE TRIGGER ${trigger} BEFORE INSERT ON ${table}
     BEGIN SELECT RAISE(ABORT, 'database is locked'); END`,
};

/** Makes every insert into `table` fail transiently until the returned function restores it. */
async function failInsertsInto(db: Db, table: string): Promise<() => Promise<void>> {
  const trigger = `fail_${table}_insert`;
  await fixtureWrite(db, failingInsertTrigger[db.dialect](trigger, table));
  return async () => void await fixtureWrite(db, `DROP TRIGGER IF EXISTS ${trigger}`);
}

function janitor(h: IngestHarness, pg: PgClient, registry: Registry = createRegistry("workers")) {
  const deps: AuthorizationJanitorDeps = {
    pool: h.db.pool,
    pg,
    config: janitorConfig,
    registry,
    log: silentWorkerLog,
  };
  /** One pass as if run `afterMs` from now (past AUTH_ATTEMPT_RESOLVE_AFTER_MS by default). */
  return (afterMs = janitorConfig.resolveAfterMs + 1_000) =>
    resolveLostAuthorizations(deps, new Date(Date.now() + afterMs));
}

function authorize(h: IngestHarness, key: string, paymentMethod = "tok_visa") {
  return h.call("POST", "/api/payments/authorize", {
    body: { ...authorizeBody, paymentMethod },
    idempotencyKey: key,
  });
}

async function attemptOf(h: IngestHarness, key: string) {
  const attempt = await findAuthorizationAttempt(h.db.pool, pgAuthorizeKey("M123", key));
  assert.ok(attempt, `no attempt for ${key}`);
  return attempt;
}

async function paymentsWithKey(db: Db, key: string): Promise<number> {
  const rows = await fixtureRows(
    db,
    "SELECT COUNT(*) AS n FROM payment WHERE idempotency_key = ?",
    key,
  );
  return Number(rows[0]!.n);
}

function pgOperations(pg: FakePgClient, key: string): string[] {
  const pgKey = pgAuthorizeKey("M123", key);
  return pg.operations().filter((o) => o.reference === pgKey).map((o) => `${o.type}:${o.status}`);
}

Deno.test("the attempt is recorded before the PG call: the database down then answers 503 and the PG is not asked", async () => {
  const pg = createFakePgClient();
  const h = await ingestHarness("az_attempt_down", { pg });
  try {
    const restore = await failInsertsInto(h.db.pool, "authorization_attempt");
    const res = await authorize(h, "down-1");
    await restore();
    assert.equal(res.status, 503);
    assert.equal(res.headers.get("retry-after"), "1");
    const problem = await res.json();
    assert.equal(problem.code, "service_unavailable");
    assert.doesNotMatch(JSON.stringify(problem), /killed|1927|root|locked/i);
    assert.equal(pg.callCount, 0);
    assert.equal(await countRows(h.db, "authorization_attempt"), 0);

    const retried = await authorize(h, "down-1");
    assert.equal(retried.status, 201, "nothing happened, so the key is free");
    const attempt = await attemptOf(h, "down-1");
    assert.deepEqual([attempt.status, attempt.outcome], ["RESOLVED", "AUTHORIZED"]);
    assert.equal(attempt.pgAuthorizationId, pg.operations()[0]!.pgId);
  } finally {
    await h.close();
  }
});

Deno.test("an authorization approved at the PG whose payment insert fails is voided by the janitor, and the key then answers 409 for good", async () => {
  const pg = createFakePgClient();
  const h = await ingestHarness("az_orphan_void", { pg });
  const registry = createRegistry("workers");
  const pass = janitor(h, pg, registry);
  try {
    const restore = await failInsertsInto(h.db.pool, "payment");
    const failed = await authorize(h, "orphan-1");
    await restore();
    assert.equal(failed.status, 503);
    assert.equal((await failed.json()).code, "service_unavailable");
    assert.deepEqual(pgOperations(pg, "orphan-1"), ["authorize:APPROVED"], "an orphan hold");
    assert.equal((await attemptOf(h, "orphan-1")).status, "PENDING");

    assert.deepEqual(await pass(0), { items: 0, more: false }, "not before the bound");
    assert.deepEqual(await pass(), { items: 1, more: false });
    assert.deepEqual(pgOperations(pg, "orphan-1"), ["authorize:APPROVED", "cancel:SUCCEEDED"]);
    const attempt = await attemptOf(h, "orphan-1");
    assert.deepEqual([attempt.status, attempt.outcome], ["RESOLVED", "VOIDED"]);
    assert.match(attempt.pgVoidId ?? "", /^cnl_/);
    const metrics = await registry.metrics();
    assert.match(metrics, /authorization_janitor_found_total\{[^}]*\} 1/);
    assert.match(metrics, /authorization_janitor_resolved_total\{outcome="voided"[^}]*\} 1/);

    for (let i = 0; i < 2; i++) {
      const retry = await authorize(h, "orphan-1");
      assert.equal(retry.status, 409);
      assert.equal(retry.headers.get("idempotent-replayed"), "true");
      const problem = await retry.json();
      assert.equal(problem.code, "authorization_voided");
      assert.equal(problem.paymentId, undefined);
    }
    assert.equal(await paymentsWithKey(h.db.pool, "orphan-1"), 0);
    assert.deepEqual(pgOperations(pg, "orphan-1").length, 2, "the retries never reached the PG");
    assert.deepEqual(await pass(), { items: 0, more: false }, "nothing left to resolve");
  } finally {
    await h.close();
  }
});

Deno.test("a merchant retry before the janitor's bound completes the payment with the PG's replayed authorization", async () => {
  const pg = createFakePgClient();
  const h = await ingestHarness("az_retry_completes", { pg });
  try {
    const restore = await failInsertsInto(h.db.pool, "payment");
    assert.equal((await authorize(h, "retry-1")).status, 503);
    await restore();
    const retried = await authorize(h, "retry-1");
    assert.equal(retried.status, 201);
    const payment = await retried.json();
    const [approval] = pg.operations().filter((o) => o.type === "authorize");
    const attempt = await attemptOf(h, "retry-1");
    assert.deepEqual([attempt.status, attempt.outcome, attempt.requests], [
      "RESOLVED",
      "AUTHORIZED",
      2,
    ]);
    assert.equal(attempt.pgAuthorizationId, approval!.pgId);
    assert.equal(payment.status, "AUTHORIZED");
    assert.deepEqual(pgOperations(pg, "retry-1"), ["authorize:APPROVED"], "one hold, kept");
    assert.deepEqual(await janitor(h, pg)(), { items: 0, more: false });
  } finally {
    await h.close();
  }
});

Deno.test("a tok_timeout authorization (unknown outcome) is resolved by the janitor: closed when the PG never acted, voided when it approved", async () => {
  const never = createFakePgClient();
  const h = await ingestHarness("az_timeout", { pg: never });
  try {
    const res = await authorize(h, "timeout-1", "tok_timeout");
    assert.equal(res.status, 503);
    assert.equal((await res.json()).code, "pg_unavailable");
    assert.deepEqual(await janitor(h, never)(), { items: 1, more: false });
    const closed = await attemptOf(h, "timeout-1");
    assert.deepEqual([closed.status, closed.outcome], ["RESOLVED", "NOT_AT_PG"]);
    assert.deepEqual(pgOperations(never, "timeout-1"), []);
  } finally {
    await h.close();
  }

  const late = createFakePgClient({ timeoutOutcome: "approved" });
  const h2 = await ingestHarness("az_timeout_late", { pg: late });
  try {
    assert.equal((await authorize(h2, "timeout-2", "tok_timeout")).status, 503);
    assert.deepEqual(pgOperations(late, "timeout-2"), ["authorize:APPROVED"]);
    await janitor(h2, late)();
    assert.deepEqual(pgOperations(late, "timeout-2"), ["authorize:APPROVED", "cancel:SUCCEEDED"]);
    const retry = await authorize(h2, "timeout-2", "tok_timeout");
    assert.equal(retry.status, 409);
    assert.equal((await retry.json()).code, "authorization_voided");
  } finally {
    await h2.close();
  }
});

Deno.test("a retry of a key the PG never authorized asks the PG afresh and completes", async () => {
  const pg = createFakePgClient();
  const h = await ingestHarness("az_reopen", { pg });
  try {
    pg.setAvailable(false);
    assert.equal((await authorize(h, "reopen-1")).status, 503);
    await janitor(h, createFakePgClient())();
    assert.equal((await attemptOf(h, "reopen-1")).outcome, "NOT_AT_PG");
    pg.setAvailable(true);
    const retried = await authorize(h, "reopen-1");
    assert.equal(retried.status, 201);
    const attempt = await attemptOf(h, "reopen-1");
    assert.deepEqual([attempt.status, attempt.outcome], ["RESOLVED", "AUTHORIZED"]);
  } finally {
    await h.close();
  }
});

Deno.test("a retry under the same key with a different request is 422 while the first outcome is open", async () => {
  const pg = createFakePgClient();
  const h = await ingestHarness("az_mismatch", { pg });
  try {
    pg.setAvailable(false);
    assert.equal((await authorize(h, "mm-1")).status, 503);
    pg.setAvailable(true);
    const other = await h.call("POST", "/api/payments/authorize", {
      body: { ...authorizeBody, amount: 1 },
      idempotencyKey: "mm-1",
    });
    assert.equal(other.status, 422);
    assert.equal((await other.json()).code, "idempotency_key_mismatch");
  } finally {
    await h.close();
  }
});

Deno.test("a retry racing the janitor wins the hold: the janitor's claim is lost and nothing is voided", async () => {
  const pg = createFakePgClient();
  const h = await ingestHarness("az_race_retry", { pg });
  try {
    const restore = await failInsertsInto(h.db.pool, "payment");
    assert.equal((await authorize(h, "race-1")).status, 503);
    await restore();
    let retried: Response | undefined;
    const racing: PgClient = {
      ...pg,
      lookupAuthorization: async (key) => {
        retried = await authorize(h, "race-1");
        return await pg.lookupAuthorization(key);
      },
    };
    const registry = createRegistry("workers");
    await janitor(h, racing, registry)();
    assert.equal(retried?.status, 201);
    assert.deepEqual(pgOperations(pg, "race-1"), ["authorize:APPROVED"], "the hold is kept");
    const attempt = await attemptOf(h, "race-1");
    assert.deepEqual([attempt.status, attempt.outcome], ["RESOLVED", "AUTHORIZED"]);
    assert.doesNotMatch(await registry.metrics(), /outcome="voided"[^}]*\} 1/);
  } finally {
    await h.close();
  }
});

Deno.test("a request whose payment commit comes after the janitor's void answers the key's 409, and no payment is stored", async () => {
  const fake = createFakePgClient();
  let releaseAnswer: () => void = () => {};
  const answerHeld = new Promise<void>((resolve) => releaseAnswer = resolve);
  let atPg: () => void = () => {};
  const reachedPg = new Promise<void>((resolve) => atPg = resolve);
  const slow: PgClient = {
    ...fake,
    authorize: async (request) => {
      const result = await fake.authorize(request);
      atPg();
      await answerHeld;
      return result;
    },
  };
  const h = await ingestHarness("az_race_void", { pg: slow });
  try {
    const inFlight = authorize(h, "slow-1");
    await reachedPg;
    await janitor(h, fake)();
    assert.deepEqual(pgOperations(fake, "slow-1"), ["authorize:APPROVED", "cancel:SUCCEEDED"]);
    releaseAnswer();
    const res = await inFlight;
    assert.equal(res.status, 409);
    assert.equal((await res.json()).code, "authorization_voided");
    assert.equal(await paymentsWithKey(h.db.pool, "slow-1"), 0);
    assert.equal(await countRows(h.db, "outbox_event"), 0);
  } finally {
    await h.close();
  }
});
