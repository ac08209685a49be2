import assert from "node:assert/strict";
import { PgUnavailableError } from "../domain/mod.ts";
import { createFakePgClient } from "./fake_client.ts";
import { PgProtocolError } from "./errors.ts";

const authorizeRequest = (key: string, paymentMethod = "tok_visa") => ({
  idempotencyKey: key,
  merchantId: "M123",
  amount: 5_000,
  currency: "USD",
  paymentMethod,
  reference: `pay_${key}`,
});

Deno.test("fake PG: test cards approve, decline, and fail as unavailable", async () => {
  const pg = createFakePgClient();
  assert.equal((await pg.authorize(authorizeRequest("a", "tok_mastercard"))).outcome, "approved");
  const declined = await pg.authorize(authorizeRequest("b", "tok_decline"));
  assert.deepEqual({ ...declined, authorizationId: "" }, {
    outcome: "declined",
    authorizationId: "",
    declineCode: "card_declined",
  });
  for (const token of ["tok_timeout", "tok_fail"]) {
    await assert.rejects(pg.authorize(authorizeRequest(`c-${token}`, token)), PgUnavailableError);
  }
  await assert.rejects(pg.authorize(authorizeRequest("d", "tok_unknown")), PgProtocolError);
  assert.deepEqual(pg.operations().map((o) => o.status), ["APPROVED", "DECLINED"]);
});

Deno.test("fake PG: a repeated key replays; a capture happens once", async () => {
  const pg = createFakePgClient();
  const first = await pg.authorize(authorizeRequest("a"));
  assert.deepEqual(await pg.authorize(authorizeRequest("a")), first);
  const capture = {
    idempotencyKey: "c-1",
    authorizationId: first.authorizationId,
    amount: 5_000,
    currency: "USD",
    reference: "pay_a",
  };
  const captured = await pg.capture(capture);
  assert.equal(captured.outcome, "succeeded");
  assert.deepEqual(await pg.capture(capture), captured);
  assert.deepEqual(await pg.capture({ ...capture, idempotencyKey: "c-2" }), {
    outcome: "rejected",
    code: "already_captured",
  });
  assert.deepEqual(await pg.capture({ ...capture, amount: 1 }), {
    outcome: "rejected",
    code: "idempotency_key_mismatch",
  });
  assert.equal(pg.operations().filter((o) => o.type === "capture").length, 1);
});

Deno.test("fake PG: refunds up to the captured amount, cancel only before capture", async () => {
  const pg = createFakePgClient();
  const { authorizationId } = await pg.authorize(authorizeRequest("a"));
  const base = { authorizationId, currency: "USD", reference: "pay_a" };
  await pg.capture({ ...base, amount: 3_000, idempotencyKey: "c" });
  assert.equal(
    (await pg.refund({ ...base, amount: 2_000, idempotencyKey: "r-1" })).outcome,
    "succeeded",
  );
  assert.deepEqual(await pg.refund({ ...base, amount: 1_001, idempotencyKey: "r-2" }), {
    outcome: "rejected",
    code: "amount_exceeds_captured",
  });
  assert.deepEqual(await pg.cancel({ ...base, idempotencyKey: "x" }), {
    outcome: "rejected",
    code: "already_captured",
  });
  const open = await pg.authorize(authorizeRequest("b"));
  const cancelled = await pg.cancel({
    authorizationId: open.authorizationId,
    idempotencyKey: "x-b",
    reference: "pay_b",
  });
  assert.equal(cancelled.outcome, "succeeded");
});

Deno.test("fake PG: while unavailable every call throws and nothing is recorded", async () => {
  const pg = createFakePgClient();
  pg.setAvailable(false);
  await assert.rejects(pg.authorize(authorizeRequest("a")), PgUnavailableError);
  assert.deepEqual(pg.operations(), []);
  pg.setAvailable(true);
  assert.equal((await pg.authorize(authorizeRequest("a"))).outcome, "approved");
  assert.equal(pg.callCount, 2);
});

Deno.test("fake PG: declineAll declines approving cards", async () => {
  const pg = createFakePgClient({ declineAll: true });
  assert.equal((await pg.authorize(authorizeRequest("a"))).outcome, "declined");
});

Deno.test("fake PG: a lookup by key sees approvals, declines and voids; tok_timeout leaves a hold only when told to", async () => {
  const pg = createFakePgClient({ timeoutOutcome: "approved" });
  const { authorizationId } = await pg.authorize(authorizeRequest("a"));
  await pg.authorize(authorizeRequest("b", "tok_decline"));
  await assert.rejects(pg.authorize(authorizeRequest("t", "tok_timeout")), PgUnavailableError);
  const status = async (key: string) => {
    const found = await pg.lookupAuthorization(key);
    return found.found ? found.status : "unknown";
  };
  assert.deepEqual(
    [await status("a"), await status("b"), await status("t"), await status("z")],
    ["approved", "declined", "approved", "unknown"],
  );
  await pg.cancel({ idempotencyKey: "x", authorizationId, reference: "pay_a" });
  assert.equal(await status("a"), "voided");

  const plain = createFakePgClient();
  await assert.rejects(plain.authorize(authorizeRequest("t", "tok_timeout")), PgUnavailableError);
  assert.deepEqual(await plain.lookupAuthorization("t"), { found: false });
  plain.setAvailable(false);
  await assert.rejects(plain.lookupAuthorization("t"), PgUnavailableError);
});
