import assert from "node:assert/strict";
import { createRegistry } from "@pay/lib/metrics";
import { fixtureRows, fixtureWrite } from "@pay/lib/testing";
import { buildOpsApp } from "../app.ts";
import { insertPayment, metricsText, opsHarness, postCapture } from "../testing/harness.ts";

const token = "c".repeat(40);

function cookieOf(res: Response): string {
  return (res.headers.get("set-cookie") ?? "").split(";")[0]!;
}

function csrfOf(html: string): string {
  return /name="csrf" value="([0-9a-f]{64})"/.exec(html)?.[1] ?? "";
}

Deno.test("every console page renders, with a strict content security policy", async () => {
  const h = await opsHarness("ops_console_pages");
  try {
    const app = buildOpsApp({ ctx: h.ctx, registry: createRegistry("ops"), token });
    h.network.metrics(
      "ingest-1.test:8181",
      () => metricsText({ breaker: "pg-authorize", calls: { success: 3 } }),
    );
    const payment = await insertPayment(h.db.pool, { status: "CAPTURED", capturedAmount: 10_000 });
    await postCapture(h.db.pool, payment, 10_000);
    for (
      const path of [
        "/",
        "/payments",
        `/payments/${payment.id}`,
        "/outbox",
        "/dlq",
        "/webhooks",
        "/webhooks?merchantId=M123&endpointId=we_none",
        "/breakers",
        "/rate-limits?merchantId=M123",
        "/reconciliation",
        `/ledger?paymentId=${payment.id}`,
        "/login",
      ]
    ) {
      const res = await app.request(path);
      const html = await res.text();
      assert.equal(res.status, 200, `${path}: ${html.slice(0, 500)}`);
      assert.match(html, /^<!doctype html><html lang="en">/, path);
      assert.match(res.headers.get("content-security-policy") ?? "", /default-src 'none'/);
      assert.doesNotMatch(html, /<script/, `${path} ships no script`);
      assert.doesNotMatch(
        html,
        /(src|href|action)="(https?:)?\/\//,
        `${path} loads nothing from other hosts`,
      );
    }
    const limits = await (await app.request("/rate-limits?merchantId=M123")).text();
    assert.match(
      limits,
      /Not applicable in the embedded profile: rate limits live in each gateway process/,
      "without Redis the console says where the buckets are",
    );
    const detail = await (await app.request(`/payments/${payment.id}`)).text();
    assert.match(detail, /merchant_payable:M123/);
    assert.match(detail, /₩10,000/);
    const bad = await app.request("/payments?status=NOPE");
    assert.equal(bad.status, 400);
    assert.match(await bad.text(), /status: one of/);
    const css = await app.request("/console.css");
    assert.equal(css.headers.get("content-type"), "text/css; charset=utf-8");
    await css.body?.cancel();
  } finally {
    await h.close();
  }
});

Deno.test("the console speaks Korean to a Korean browser, and remembers a switch to English", async () => {
  const h = await opsHarness("ops_console_korean");
  try {
    const app = buildOpsApp({ ctx: h.ctx, registry: createRegistry("ops"), token });
    const payment = await insertPayment(h.db.pool, { status: "CAPTURED", capturedAmount: 10_000 });
    const korean = { "accept-language": "ko-KR,ko;q=0.9,en-US;q=0.8" };
    const res = await app.request(`/payments/${payment.id}`, { headers: korean });
    assert.equal(res.headers.get("content-language"), "ko");
    const html = await res.text();
    assert.match(html, /^<!doctype html><html lang="ko">/);
    assert.match(html, /<title>결제 pay_[0-9a-z]+ · Pay 운영<\/title>/);
    assert.match(html, /10,000원/);
    assert.match(html, /\d{4}년 \d{1,2}월 \d{1,2}일 (오전|오후) [^<]*GMT\+9/);
    assert.match(html, /<dt>매입 금액<\/dt>/);

    const switched = await app.request("/payments?lang=en", { headers: korean });
    assert.match(switched.headers.get("set-cookie") ?? "", /^ops_lang=en; Path=\/; SameSite=Lax/);
    assert.match(await switched.text(), /<html lang="en">/);
    const remembered = await app.request("/outbox", {
      headers: { ...korean, cookie: "ops_lang=en" },
    });
    assert.equal(remembered.headers.get("content-language"), "en");
    assert.match(await remembered.text(), /<h1>Outbox<\/h1>/);
    const api = await app.request("/api/ops/outbox", { headers: korean });
    assert.equal(api.headers.get("content-language"), null, "the JSON API is not localized");
    await api.body?.cancel();
  } finally {
    await h.close();
  }
});

Deno.test("console actions need a login session and its CSRF token", async () => {
  const h = await opsHarness("ops_console_actions");
  try {
    const app = buildOpsApp({ ctx: h.ctx, registry: createRegistry("ops"), token });
    await fixtureWrite(
      h.db.pool,
      `INSERT INTO outbox_event (event_id, aggregate_id, topic, payload, status, attempts, next_attempt_at, created_at)
       VALUES ('evt_d', 'pay_d', 'payment.captured', '{}', 'DEAD', 20, NOW(3), NOW(3))`,
    );
    const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();
    const formHeaders = { "content-type": "application/x-www-form-urlencoded" };
    const anonymous = await app.request("/console/outbox/requeue", {
      method: "POST",
      headers: formHeaders,
      body: form({ all: "true" }),
    });
    assert.equal(anonymous.status, 303);
    assert.match(anonymous.headers.get("location")!, /^\/login\?error=/);

    const wrong = await app.request("/login", {
      method: "POST",
      headers: formHeaders,
      body: form({ token: "nope" }),
    });
    assert.match(wrong.headers.get("location")!, /Wrong\+ops\+token/);
    assert.equal(wrong.headers.get("set-cookie"), null);
    const login = await app.request("/login", {
      method: "POST",
      headers: formHeaders,
      body: form({ token }),
    });
    assert.equal(login.status, 303);
    const cookie = cookieOf(login);
    assert.match(login.headers.get("set-cookie")!, /HttpOnly; SameSite=Strict/);
    const page = await (await app.request("/outbox", { headers: { cookie } })).text();
    const csrf = csrfOf(page);
    assert.equal(csrf.length, 64);

    const noCsrf = await app.request("/console/outbox/requeue", {
      method: "POST",
      headers: { ...formHeaders, cookie },
      body: form({ all: "true" }),
    });
    assert.match(noCsrf.headers.get("location")!, /^\/login/);
    const crossSite = await app.request("/console/outbox/requeue", {
      method: "POST",
      headers: { ...formHeaders, cookie, origin: "http://evil.example", host: "localhost" },
      body: form({ all: "true", csrf }),
    });
    assert.match(crossSite.headers.get("location")!, /^\/login/);
    const [stillDead] = await fixtureRows(
      h.db.pool,
      "SELECT COUNT(*) AS n FROM outbox_event WHERE status = 'DEAD'",
    );
    assert.equal(Number(stillDead!.n), 1);

    const done = await app.request("/console/outbox/requeue", {
      method: "POST",
      headers: { ...formHeaders, cookie },
      body: form({ all: "true", csrf }),
    });
    assert.equal(done.status, 303);
    assert.equal(done.headers.get("location"), "/outbox?notice=Requeued+1+DEAD+row");
    const empty = await app.request("/console/dlq/replay", {
      method: "POST",
      headers: { ...formHeaders, cookie },
      body: form({ csrf }),
    });
    assert.match(
      decodeURIComponent(empty.headers.get("location")!),
      /^\/dlq\?error=Select\+dead\+letters/,
    );
    await app.request("/logout", {
      method: "POST",
      headers: { ...formHeaders, cookie },
      body: form({ csrf }),
    });
    const after = await app.request("/console/outbox/requeue", {
      method: "POST",
      headers: { ...formHeaders, cookie },
      body: form({ all: "true", csrf }),
    });
    assert.match(after.headers.get("location")!, /^\/login/, "the session ends at logout");
  } finally {
    await h.close();
  }
});
