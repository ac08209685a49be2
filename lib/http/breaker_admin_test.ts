import assert from "node:assert/strict";
import { createBreaker } from "../resilience/mod.ts";
import { type AnyBreaker, bearerTokenMatches, breakerAdminRoutes } from "./breaker_admin.ts";

const token = "a".repeat(32);

function testBreaker(resetTimeoutMs: number): AnyBreaker {
  return createBreaker(() => Promise.resolve("ok"), {
    name: "pg-test",
    timeoutMs: 1_000,
    resetTimeoutMs,
  });
}

Deno.test("breaker admin routes need the ops token and are refused without one", async () => {
  const breaker = testBreaker(60_000);
  try {
    const app = breakerAdminRoutes({ token, breakers: new Map([["pg-test", breaker]]) });
    assert.equal((await app.request("/admin/breakers")).status, 401);
    assert.equal(
      (await app.request("/admin/breakers/pg-test/open", { method: "POST" })).status,
      401,
    );
    const disabled = breakerAdminRoutes({ token: null, breakers: new Map([["pg-test", breaker]]) });
    const refused = await disabled.request("/admin/breakers", {
      headers: { authorization: `Bearer ${token}` },
    });
    assert.equal(refused.status, 403);
    assert.equal(refused.headers.get("content-type"), "application/problem+json");
    assert.equal(breaker.opened, false);
  } finally {
    breaker.shutdown();
  }
});

Deno.test("a forced-open breaker stays open past its reset timeout until it is closed", async () => {
  const breaker = testBreaker(20);
  try {
    const app = breakerAdminRoutes({ token, breakers: new Map([["pg-test", breaker]]) });
    const headers = { authorization: `Bearer ${token}` };
    const opened = await app.request("/admin/breakers/pg-test/open", { method: "POST", headers });
    assert.deepEqual((await opened.json()).state, "open");
    await assert.rejects(breaker.fire(), /Breaker is open/);
    // Wait for the reset timer to fire: the hold re-opens it instead of half-opening.
    // opossum unrefs that timer, so an interval keeps the test's event loop alive meanwhile.
    const keepAlive = setInterval(() => {}, 1_000);
    await new Promise<void>((resolve) => breaker.once("halfOpen", () => queueMicrotask(resolve)));
    clearInterval(keepAlive);
    assert.equal(breaker.opened, true);
    const listed = await (await app.request("/admin/breakers", { headers })).json();
    assert.deepEqual(
      listed.breakers.map((b: { name: string; forcedOpen: boolean }) => [b.name, b.forcedOpen]),
      [[
        "pg-test",
        true,
      ]],
    );
    const closed = await app.request("/admin/breakers/pg-test/close", { method: "POST", headers });
    assert.equal((await closed.json()).state, "closed");
    assert.equal(await breaker.fire(), "ok");
    const unknown = await app.request("/admin/breakers/nope/open", { method: "POST", headers });
    assert.equal(unknown.status, 404);
    await unknown.body?.cancel();
  } finally {
    breaker.shutdown();
  }
});

Deno.test("bearer tokens are compared whole", () => {
  assert.equal(bearerTokenMatches(`Bearer ${token}`, token), true);
  assert.equal(bearerTokenMatches(`bearer ${token}`, token), true);
  assert.equal(bearerTokenMatches(`Bearer ${token}x`, token), false);
  assert.equal(bearerTokenMatches(token, token), false);
  assert.equal(bearerTokenMatches(undefined, token), false);
});
