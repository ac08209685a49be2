import assert from "node:assert/strict";
import { ingestHarness } from "./testing/harness.ts";

const token = "ops-token-for-ingest-tests-0123456789abcdef";

Deno.test("ops can force ingest's PG breaker open, and authorize then fails fast with 503", async () => {
  const h = await ingestHarness("ingest_breaker_admin", { opsToken: token });
  const admin = (method: string, path: string, auth = true) =>
    h.fetch(
      new Request(`http://ingest.test${path}`, {
        method,
        headers: auth ? { authorization: `Bearer ${token}` } : {},
      }),
    );
  try {
    const denied = await admin("POST", "/admin/breakers/pg-authorize/open", false);
    assert.equal(denied.status, 401);
    await denied.body?.cancel();
    const listed = await (await admin("GET", "/admin/breakers")).json();
    assert.ok(JSON.stringify(listed).includes("pg-authorize"), JSON.stringify(listed));
    const opened = await admin("POST", "/admin/breakers/pg-authorize/open");
    assert.equal(opened.status, 200);
    await opened.body?.cancel();
    const res = await h.call("POST", "/api/payments/authorize", {
      body: { amount: 100, currency: "KRW" },
      idempotencyKey: "forced-open",
    });
    assert.equal(res.status, 503);
    assert.equal((await res.json()).code, "pg_unavailable");
    const closed = await admin("POST", "/admin/breakers/pg-authorize/close");
    assert.equal(closed.status, 200);
    await closed.body?.cancel();
    const retried = await h.call("POST", "/api/payments/authorize", {
      body: { amount: 100, currency: "KRW" },
      idempotencyKey: "forced-open",
    });
    assert.equal(retried.status, 201);
    await retried.body?.cancel();
  } finally {
    await h.close();
  }
});
