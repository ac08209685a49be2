/**
 * Idempotency cases (DESIGN §3, §10) registered once per way the shared
 * stores can be: embedded (no cache; idempotency_test.ts and
 * idempotency_concurrency_test.ts run these anywhere) and scale-out with
 * Redis up or down (idempotency_redis_test.ts, which needs Redis).
 */
import assert from "node:assert/strict";
import type { Profile } from "@pay/lib/config";
import { createFakePgClient, type PgAuthorizeRequest } from "@pay/lib/pg";
import {
  readOutboxEnvelopes,
  readPaymentEvents,
  runTransactionBatch,
  updatePaymentStatusStatement,
  type WriteResult,
} from "@pay/lib/db";
import { countRows, type IngestHarness, ingestHarness } from "./harness.ts";

/** How the idempotency cache is: Redis up or down (scale-out), or none at all (embedded). */
export type CacheState = "up" | "down" | "none (embedded)";

const body = { merchantId: "M123", amount: 10000, currency: "KRW", idempotencyKey: "abc-123" };
const concurrentRepeats = 20;

function profileOf(cache: CacheState): Profile {
  return cache === "none (embedded)" ? "embedded" : "scale-out";
}

/** A harness whose Redis, when it has one, is already down if `cache` says so. */
async function harnessWith(name: string, cache: CacheState): Promise<IngestHarness> {
  const h = await ingestHarness(name, { profile: profileOf(cache) });
  if (cache === "down") h.redis!.redis.disconnect();
  return h;
}

/** Closes a harness whose Redis may have been disconnected (quitting it again would fail). */
async function closeHarness(h: IngestHarness, cache: CacheState): Promise<void> {
  if (cache === "down") await h.db.close();
  else await h.close();
}

/** A test database name per cache state: `base_up`, `base_down`, `base_none`. */
function nameOf(base: string, cache: CacheState): string {
  return `${base}_${cache.split(" ")[0]}`;
}

/** How many events of `topic` the payment put in the outbox. */
export async function outboxEventsOf(
  h: IngestHarness,
  paymentId: string,
  topic: string,
): Promise<number> {
  const events = await readOutboxEnvelopes(h.db.pool, paymentId);
  return events.filter((event) => event.topic === topic).length;
}

/** Repeats replay the first answer byte for byte, whatever the body's key order; keys are per merchant. */
export function testStripeSemantics(profile: Profile): void {
  Deno.test(`${profile}: idempotency follows Stripe semantics`, async (t) => {
    const h = await ingestHarness(`ingest_idem_${profile.replace("-", "_")}`, { profile });
    try {
      await t.step(
        "a repeat replays the byte-identical body with Idempotent-Replayed",
        async () => {
          const first = await h.call("POST", "/api/payments/authorize", { body });
          const firstText = await first.text();
          assert.equal(first.status, 201);
          assert.equal(first.headers.get("idempotent-replayed"), null);
          const again = await h.call("POST", "/api/payments/authorize", { body });
          assert.equal(again.status, 201);
          assert.equal(again.headers.get("idempotent-replayed"), "true");
          assert.equal(await again.text(), firstText);
          assert.equal(await countRows(h.db, "payment"), 1);
        },
      );

      if (h.redis) {
        const testRedis = h.redis;
        await t.step(
          "the replay comes from the database when the Redis cache is empty",
          async () => {
            const first = await (await h.call("POST", "/api/payments/authorize", { body })).text();
            await testRedis.clear();
            const again = await h.call("POST", "/api/payments/authorize", { body });
            assert.equal(again.headers.get("idempotent-replayed"), "true");
            assert.equal(await again.text(), first);
          },
        );
      }

      await t.step("key order and whitespace do not change the fingerprint", async () => {
        const reordered =
          `{ "currency":"KRW", "idempotencyKey":"abc-123","amount":10000 ,"merchantId":"M123"}`;
        const res = await h.call("POST", "/api/payments/authorize", { rawBody: reordered });
        assert.equal(res.status, 201);
        assert.equal(res.headers.get("idempotent-replayed"), "true");
      });

      await t.step(
        "the same key with a different body is 422 idempotency_key_mismatch",
        async () => {
          const res = await h.call("POST", "/api/payments/authorize", {
            body: { ...body, amount: 10001 },
          });
          assert.equal(res.status, 422);
          assert.equal((await res.json()).code, "idempotency_key_mismatch");
          assert.equal(await countRows(h.db, "payment"), 1);
        },
      );

      await t.step("keys are scoped per merchant", async () => {
        const res = await h.call("POST", "/api/payments/authorize", {
          body: { ...body, merchantId: "M124" },
          merchantId: "M124",
        });
        assert.equal(res.status, 201);
        assert.equal(res.headers.get("idempotent-replayed"), null);
      });

      await t.step(
        "the header and the seed's body field work alike; disagreeing is 400",
        async () => {
          const { idempotencyKey: _, ...noKey } = body;
          const viaHeader = await h.call("POST", "/api/payments/authorize", {
            body: noKey,
            idempotencyKey: "abc-123",
          });
          assert.equal(viaHeader.headers.get("idempotent-replayed"), "true");
          await viaHeader.body?.cancel();
          const both = await h.call("POST", "/api/payments/authorize", {
            body,
            idempotencyKey: "other",
          });
          assert.equal(both.status, 400);
          await both.body?.cancel();
        },
      );

      await t.step("a declined authorize replays its 402", async () => {
        const declined = { ...body, idempotencyKey: "dec-1", paymentMethod: "tok_decline" };
        const first = await h.call("POST", "/api/payments/authorize", { body: declined });
        const text = await first.text();
        const again = await h.call("POST", "/api/payments/authorize", { body: declined });
        assert.equal(again.status, 402);
        assert.equal(await again.text(), text);
      });

      await t.step("capture with a key replays instead of failing with invalid_state", async () => {
        const created = await (await h.call("POST", "/api/payments/authorize", {
          body: { ...body, idempotencyKey: "cap-src" },
        })).json();
        const path = `/api/payments/capture/${created.paymentId}`;
        const first = await h.call("POST", path, { idempotencyKey: "cap-1" });
        const text = await first.text();
        const again = await h.call("POST", path, { idempotencyKey: "cap-1" });
        assert.equal(again.status, 202);
        assert.equal(again.headers.get("idempotent-replayed"), "true");
        assert.equal(await again.text(), text);
        const unkeyed = await h.call("POST", path);
        assert.equal(unkeyed.status, 409);
        await unkeyed.body?.cancel();
      });
    } finally {
      await h.close();
    }
  });
}

/** Identical authorizes arriving while the first waits on the PG make one payment. */
export function testConcurrentIdenticalAuthorizes(profile: Profile): void {
  Deno.test(`${profile}: 20 concurrent identical authorizes make one payment and one outbox row`, async () => {
    // A slow PG keeps the first request in flight while the others arrive.
    const pg = createFakePgClient();
    let release!: () => void;
    const gate = new Promise<void>((resolve) => release = resolve);
    const slowPg = {
      ...pg,
      async authorize(request: PgAuthorizeRequest) {
        await gate;
        return pg.authorize(request);
      },
    };
    const h = await ingestHarness(`ingest_idem_race_${profile.replace("-", "_")}`, {
      pg: slowPg,
      profile,
    });
    try {
      const requests = Array.from(
        { length: 20 },
        () => h.call("POST", "/api/payments/authorize", { body }),
      );
      const early = await Promise.race([
        Promise.all(requests),
        new Promise((r) => setTimeout(r, 200, "held")),
      ]);
      assert.equal(early, "held", "the first request waits on the PG");
      release();
      const responses = await Promise.all(requests);
      const statuses = responses.map((r) => r.status).sort();
      const bodies = await Promise.all(responses.map((r) => r.json()));
      const created = statuses.filter((s) => s === 201).length;
      const inUse = bodies.filter((b) => b.code === "idempotency_key_in_use").length;
      assert.equal(created + inUse, 20, `statuses: ${statuses}`);
      assert.ok(created >= 1);
      assert.equal(await countRows(h.db, "payment"), 1);
      assert.equal(await countRows(h.db, "outbox_event"), 1);
      assert.equal(await countRows(h.db, "idempotency_record"), 1);
    } finally {
      await h.close();
    }
  });
}

/** Without a cache to signal the first request, the database alone still makes one payment. */
export function testAuthorizesWithoutCache(cache: Exclude<CacheState, "up">): void {
  Deno.test(`with Redis ${cache}, concurrent identical authorizes still make one payment`, async () => {
    const h = await harnessWith(
      cache === "down" ? "ingest_idem_noredis" : "ingest_idem_nocache",
      cache,
    );
    try {
      const responses = await Promise.all(
        Array.from({ length: 10 }, () => h.call("POST", "/api/payments/authorize", { body })),
      );
      const statuses = responses.map((r) => r.status);
      const texts = await Promise.all(responses.map((r) => r.text()));
      assert.deepEqual(new Set(statuses), new Set([201]), texts.join("\n"));
      assert.equal(new Set(texts).size, 1, "every answer is the one stored answer");
      assert.equal(await countRows(h.db, "payment"), 1);
      assert.equal(await countRows(h.db, "outbox_event"), 1);
    } finally {
      await closeHarness(h, cache);
    }
  });
}

/** The amount `authorized` authorizes (KRW). */
const authorizedAmount = 10000;

/** A fresh AUTHORIZED payment's id, made under `key`. */
export async function authorized(h: IngestHarness, key: string): Promise<string> {
  const res = await h.call("POST", "/api/payments/authorize", {
    body: { amount: authorizedAmount, currency: "KRW" },
    idempotencyKey: key,
  });
  assert.equal(res.status, 201);
  return (await res.json()).paymentId;
}

/** What the settlement worker does after a successful PG capture of the whole amount. */
async function markCaptured(h: IngestHarness, paymentId: string): Promise<void> {
  const [changed] = await runTransactionBatch(h.db.pool, [
    updatePaymentStatusStatement({
      paymentId,
      from: "AUTHORIZED",
      to: "CAPTURED",
      capturedAmount: authorizedAmount,
      at: new Date(),
    }),
  ]);
  assert.equal((changed as WriteResult).affectedRows, 1);
}

/**
 * Sends the same keyed POST `concurrentRepeats` times at once and checks
 * DESIGN §10: one real answer, every other one a byte-identical replay.
 */
async function assertOneAnswerReplayed(
  h: IngestHarness,
  path: string,
  key: string,
  status: number,
): Promise<void> {
  const responses = await Promise.all(
    Array.from({ length: concurrentRepeats }, () => h.call("POST", path, { idempotencyKey: key })),
  );
  const texts = await Promise.all(responses.map((r) => r.text()));
  assert.deepEqual(new Set(responses.map((r) => r.status)), new Set([status]), texts.join("\n"));
  assert.equal(new Set(texts).size, 1, "every answer is the one stored answer");
  const replayed = responses.filter((r) => r.headers.get("idempotent-replayed") === "true");
  assert.equal(replayed.length, concurrentRepeats - 1);
}

/** Keyed capture, refund and cancel repeated at once: one effect, the rest replays. */
export function testConcurrentKeyedRepeats(cache: CacheState): void {
  Deno.test(`with Redis ${cache}, concurrent repeats of a keyed capture, refund and cancel replay the first answer`, async (t) => {
    const h = await harnessWith(nameOf("ingest_idem_conc", cache), cache);
    try {
      await t.step("capture: one settlement request, 19 replays of the 202", async () => {
        const paymentId = await authorized(h, "src-capture");
        await assertOneAnswerReplayed(h, `/api/payments/capture/${paymentId}`, "cap", 202);
        assert.equal(await countRows(h.db, "settlement_request"), 1);
        assert.equal(await outboxEventsOf(h, paymentId, "payment.capture-requested"), 1);
      });

      await t.step("refund: one refund request, 19 replays of the 202", async () => {
        const paymentId = await authorized(h, "src-refund");
        await markCaptured(h, paymentId);
        await assertOneAnswerReplayed(h, `/api/payments/refund/${paymentId}`, "ref", 202);
        assert.equal(await countRows(h.db, "refund_request"), 1);
      });

      await t.step("cancel: one transition, 19 replays of the 200", async () => {
        const paymentId = await authorized(h, "src-cancel");
        await assertOneAnswerReplayed(h, `/api/payments/cancel/${paymentId}`, "can", 200);
        const cancelled = (await readPaymentEvents(h.db.pool, paymentId))
          .filter((event) => event.to === "CANCELLED");
        assert.equal(cancelled.length, 1);
      });

      await t.step(
        "unkeyed repeats stay distinct requests: the second is invalid_state",
        async () => {
          const paymentId = await authorized(h, "src-unkeyed");
          const path = `/api/payments/capture/${paymentId}`;
          const [a, b] = await Promise.all([h.call("POST", path), h.call("POST", path)]);
          const codes = [a.status, b.status].sort();
          assert.deepEqual(codes, [202, 409]);
          const refused = a.status === 409 ? a : b;
          assert.equal((await refused.json()).code, "invalid_state");
          await (a.status === 409 ? b : a).body?.cancel();
        },
      );
    } finally {
      await closeHarness(h, cache);
    }
  });
}
