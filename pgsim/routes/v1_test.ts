import assert from "node:assert/strict";
import { approvedAuthorization, authorizeBody, testConfig, testPgsim } from "../testing.ts";

const capturePath = (id: string) => `/v1/authorizations/${id}/capture`;
const refundPath = (id: string) => `/v1/authorizations/${id}/refund`;
const cancelPath = (id: string) => `/v1/authorizations/${id}/cancel`;
const amount = (value: number) => ({ amount: value, currency: "KRW", reference: "pay_test" });

Deno.test("tok_visa and tok_mastercard are approved with an auth_ id", async () => {
  const pgsim = testPgsim();
  for (const paymentMethod of ["tok_visa", "tok_mastercard"]) {
    const response = await pgsim.post(
      "/v1/authorizations",
      paymentMethod,
      authorizeBody({ paymentMethod }),
    );
    assert.equal(response.status, 200);
    const body = await response.json();
    assert.match(body.id, /^auth_[0-9a-z]{26}$/);
    assert.deepEqual({ ...body, id: "" }, {
      id: "",
      status: "APPROVED",
      amount: 10_000,
      currency: "KRW",
      reference: "pay_test",
    });
  }
});

Deno.test("decline test cards answer 402 with their decline code", async () => {
  const pgsim = testPgsim();
  const cases = [["tok_decline", "card_declined"], [
    "tok_insufficient_funds",
    "insufficient_funds",
  ]];
  for (const [paymentMethod, code] of cases) {
    const response = await pgsim.post(
      "/v1/authorizations",
      paymentMethod,
      authorizeBody({ paymentMethod }),
    );
    assert.equal(response.status, 402);
    const body = await response.json();
    assert.equal(body.status, "DECLINED");
    assert.equal(body.code, code);
    assert.match(body.id, /^auth_/);
  }
});

Deno.test("tok_fail answers 503 and records nothing, so a retry fails the same way", async () => {
  const pgsim = testPgsim();
  for (let attempt = 0; attempt < 2; attempt++) {
    const response = await pgsim.post(
      "/v1/authorizations",
      "k-fail",
      authorizeBody({ paymentMethod: "tok_fail" }),
    );
    assert.equal(response.status, 503);
    assert.equal((await response.json()).code, "service_unavailable");
  }
  assert.deepEqual(pgsim.db.listOperations({ limit: 10 }), []);
});

Deno.test("tok_timeout holds the answer for the configured delay, then approves", async () => {
  const pgsim = testPgsim({ config: testConfig({ timeoutTokenDelayMs: 45_000 }) });
  const response = await pgsim.post(
    "/v1/authorizations",
    "k-timeout",
    authorizeBody({ paymentMethod: "tok_timeout" }),
  );
  assert.equal(response.status, 200);
  assert.deepEqual(pgsim.clock.sleeps, [45_000]);
});

Deno.test("an unknown payment method is a 400 naming the parameter", async () => {
  const pgsim = testPgsim();
  const response = await pgsim.post(
    "/v1/authorizations",
    "k",
    authorizeBody({ paymentMethod: "tok_amex" }),
  );
  assert.equal(response.status, 400);
  assert.equal(response.headers.get("content-type"), "application/problem+json");
  const body = await response.json();
  assert.equal(body.code, "validation_error");
  assert.equal(body.param, "paymentMethod");
});

Deno.test("bad input is a 400 problem: missing key, bad JSON, bad amount, bad currency", async () => {
  const pgsim = testPgsim();
  const cases: [string | undefined, unknown, string][] = [
    [undefined, authorizeBody(), "Idempotency-Key"],
    ["k", "{not json", ""],
    ["k", authorizeBody({ amount: 0 }), "amount"],
    ["k", authorizeBody({ amount: 1.5 }), "amount"],
    ["k", authorizeBody({ currency: "XXX" }), "currency"],
    ["k", authorizeBody({ reference: "" }), "reference"],
  ];
  for (const [key, body, param] of cases) {
    const response = await pgsim.post("/v1/authorizations", key, body);
    assert.equal(response.status, 400, JSON.stringify(body));
    const problem = await response.json();
    assert.equal(problem.code, "validation_error");
    assert.equal(problem.param, param === "" ? undefined : param);
  }
});

Deno.test("a body over the size limit is a 413 problem", async () => {
  const pgsim = testPgsim();
  const response = await pgsim.post(
    "/v1/authorizations",
    "k",
    authorizeBody({ reference: "x".repeat(5_000) }),
  );
  assert.equal(response.status, 413);
  assert.equal((await response.json()).code, "payload_too_large");
});

Deno.test("a repeat with the same key and body replays the first answer and does nothing", async () => {
  const pgsim = testPgsim();
  const first = await pgsim.post("/v1/authorizations", "k-1", authorizeBody());
  const firstText = await first.text();
  const again = await pgsim.post("/v1/authorizations", "k-1", authorizeBody());
  assert.equal(again.status, 200);
  assert.equal(await again.text(), firstText);
  assert.equal(again.headers.get("idempotent-replayed"), "true");
  assert.equal(first.headers.get("idempotent-replayed"), null);
  assert.equal(pgsim.db.listOperations({ limit: 10 }).length, 1);
});

Deno.test("a replayed decline keeps its 402 and the same authorization id", async () => {
  const pgsim = testPgsim();
  const body = authorizeBody({ paymentMethod: "tok_decline" });
  const first = await (await pgsim.post("/v1/authorizations", "k-d", body)).json();
  const again = await pgsim.post("/v1/authorizations", "k-d", body);
  assert.equal(again.status, 402);
  assert.equal((await again.json()).id, first.id);
});

Deno.test("the same key with a different body is a 422 and changes nothing", async () => {
  const pgsim = testPgsim();
  await pgsim.post("/v1/authorizations", "k-2", authorizeBody());
  const response = await pgsim.post("/v1/authorizations", "k-2", authorizeBody({ amount: 9_999 }));
  assert.equal(response.status, 422);
  assert.equal((await response.json()).code, "idempotency_key_mismatch");
  assert.equal(pgsim.db.listOperations({ limit: 10 }).length, 1);
});

Deno.test("an authorize key reused for a capture is a 422", async () => {
  const pgsim = testPgsim();
  const id = await approvedAuthorization(pgsim, "k-3");
  const response = await pgsim.post(capturePath(id), "k-3", amount(10_000));
  assert.equal(response.status, 422);
});

Deno.test("capture succeeds once; another key is 409 already_captured, the same key replays", async () => {
  const pgsim = testPgsim();
  const id = await approvedAuthorization(pgsim, "a-1");
  const first = await pgsim.post(capturePath(id), "c-1", amount(6_000));
  assert.equal(first.status, 200);
  const captured = await first.json();
  assert.match(captured.id, /^cap_/);
  assert.equal(captured.status, "SUCCEEDED");
  assert.equal(captured.amount, 6_000);
  assert.equal(captured.authorizationId, id);

  const replay = await pgsim.post(capturePath(id), "c-1", amount(6_000));
  assert.equal((await replay.json()).id, captured.id);
  const second = await pgsim.post(capturePath(id), "c-2", amount(1_000));
  assert.equal(second.status, 409);
  assert.equal((await second.json()).code, "already_captured");
  assert.equal(pgsim.db.listOperations({ types: ["capture"], limit: 10 }).length, 1);
});

Deno.test("capture refuses more than authorized, another currency, and a declined authorization", async () => {
  const pgsim = testPgsim();
  const id = await approvedAuthorization(pgsim, "a-1");
  const over = await pgsim.post(capturePath(id), "c-1", amount(10_001));
  assert.equal(over.status, 409);
  assert.equal((await over.json()).code, "amount_exceeds_authorized");
  const usd = await pgsim.post(capturePath(id), "c-2", { ...amount(100), currency: "USD" });
  assert.equal((await usd.json()).code, "currency_mismatch");

  const declined = await (await pgsim.post(
    "/v1/authorizations",
    "a-2",
    authorizeBody({ paymentMethod: "tok_decline" }),
  )).json();
  const response = await pgsim.post(capturePath(declined.id), "c-3", amount(100));
  assert.equal((await response.json()).code, "authorization_declined");
});

Deno.test("an unknown authorization is a 404 on capture, refund and cancel", async () => {
  const pgsim = testPgsim();
  for (const path of [capturePath, refundPath, cancelPath]) {
    const response = await pgsim.post(path("auth_nope"), `k-${path("x")}`, amount(100));
    assert.equal(response.status, 404);
    assert.equal((await response.json()).code, "authorization_not_found");
  }
});

Deno.test("partial refunds add up to the captured amount and not a unit more", async () => {
  const pgsim = testPgsim();
  const id = await approvedAuthorization(pgsim, "a-1");
  await pgsim.post(capturePath(id), "c-1", amount(8_000));
  for (const [key, value] of [["r-1", 3_000], ["r-2", 5_000]] as const) {
    const response = await pgsim.post(refundPath(id), key, amount(value));
    assert.equal(response.status, 200);
    assert.match((await response.json()).id, /^rfd_/);
  }
  const over = await pgsim.post(refundPath(id), "r-3", amount(1));
  assert.equal(over.status, 409);
  assert.equal((await over.json()).code, "amount_exceeds_captured");
  const refunds = pgsim.db.listOperations({ types: ["refund"], limit: 10 });
  assert.deepEqual(refunds.map((r) => r.amount), [3_000, 5_000]);
});

Deno.test("a refund before capture is 409 not_captured", async () => {
  const pgsim = testPgsim();
  const id = await approvedAuthorization(pgsim, "a-1");
  const response = await pgsim.post(refundPath(id), "r-1", amount(100));
  assert.equal(response.status, 409);
  assert.equal((await response.json()).code, "not_captured");
});

Deno.test("cancel works only before capture, once, and blocks a later capture", async () => {
  const pgsim = testPgsim();
  const captured = await approvedAuthorization(pgsim, "a-1");
  await pgsim.post(capturePath(captured), "c-1", amount(10_000));
  const late = await pgsim.post(cancelPath(captured), "x-1", {});
  assert.equal(late.status, 409);
  assert.equal((await late.json()).code, "already_captured");

  const open = await approvedAuthorization(pgsim, "a-2");
  const cancelled = await pgsim.post(cancelPath(open), "x-2", "");
  assert.equal(cancelled.status, 200);
  assert.match((await cancelled.json()).id, /^cnl_/);
  const again = await pgsim.post(cancelPath(open), "x-3", {});
  assert.equal((await again.json()).code, "already_cancelled");
  const capture = await pgsim.post(capturePath(open), "c-2", amount(100));
  assert.equal((await capture.json()).code, "authorization_cancelled");
});

Deno.test("an unknown route is a 404 problem", async () => {
  const pgsim = testPgsim();
  const response = await pgsim.get("/v1/nothing");
  assert.equal(response.status, 404);
  assert.equal(response.headers.get("content-type"), "application/problem+json");
});

const lookupPath = (key: string) => `/v1/authorizations?idempotencyKey=${encodeURIComponent(key)}`;

Deno.test("an authorization is looked up by its idempotency key, with its status now", async () => {
  const pgsim = testPgsim();
  const id = await approvedAuthorization(pgsim, "az/key+1&x", { reference: "pay_lookup" });
  const approved = await pgsim.get(lookupPath("az/key+1&x"));
  assert.equal(approved.status, 200);
  assert.deepEqual(await approved.json(), {
    id,
    status: "APPROVED",
    merchantId: "M123",
    amount: 10_000,
    currency: "KRW",
    reference: "pay_lookup",
    capturedAmount: 0,
    refundedAmount: 0,
    createdAt: "2030-01-15T12:00:00.000Z",
  });

  await pgsim.post(cancelPath(id), "x-1", {});
  assert.equal((await (await pgsim.get(lookupPath("az/key+1&x"))).json()).status, "CANCELLED");

  await pgsim.post("/v1/authorizations", "az-2", authorizeBody({ paymentMethod: "tok_decline" }));
  const declined = await (await pgsim.get(lookupPath("az-2"))).json();
  assert.deepEqual([declined.status, declined.code], ["DECLINED", "card_declined"]);
});

Deno.test("a lookup of a key that authorized nothing is a 404 and records nothing", async () => {
  const pgsim = testPgsim();
  const id = await approvedAuthorization(pgsim, "a-1");
  await pgsim.post(capturePath(id), "c-1", amount(10_000));
  await pgsim.post("/v1/authorizations", "k-fail", authorizeBody({ paymentMethod: "tok_fail" }));
  for (const key of ["never-used", "c-1", "k-fail"]) {
    const response = await pgsim.get(lookupPath(key));
    assert.equal(response.status, 404, key);
    assert.equal((await response.json()).code, "authorization_not_found");
  }
  assert.equal(pgsim.db.findIdempotencyRecord("never-used"), undefined);
  const missing = await pgsim.get("/v1/authorizations");
  assert.equal(missing.status, 400);
  assert.equal((await missing.json()).param, "idempotencyKey");
});

Deno.test("a tok_timeout authorization the caller abandoned is unknown to a lookup", async () => {
  const pgsim = testPgsim();
  const caller = new AbortController();
  caller.abort();
  const abandoned = await pgsim.app.request("/v1/authorizations", {
    method: "POST",
    headers: { "content-type": "application/json", "idempotency-key": "k-timeout" },
    body: JSON.stringify(authorizeBody({ paymentMethod: "tok_timeout" })),
    signal: caller.signal,
  });
  assert.equal(abandoned.status, 503);
  await abandoned.body?.cancel();
  assert.equal((await pgsim.get(lookupPath("k-timeout"))).status, 404);
});
