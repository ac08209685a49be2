import assert from "node:assert/strict";
import { Webhook } from "standardwebhooks";
import { ListenApiError, startListener } from "./listen.ts";

const secret = "whsec_" + btoa("listen-test-secret-bytes-24");
const apiKey = "pk_dev_test";

/** The gateway's endpoints API, in process: records registrations and deletions. */
function fakeApi() {
  const calls: Array<{ method: string; path: string; body: unknown; auth: string | null }> = [];
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, async (r) => {
    const path = new URL(r.url).pathname;
    const text = await r.text();
    calls.push({
      method: r.method,
      path,
      body: text ? JSON.parse(text) : null,
      auth: r.headers.get("authorization"),
    });
    if (r.headers.get("authorization") !== `Bearer ${apiKey}`) {
      return new Response('{"title":"Unauthorized"}', { status: 401 });
    }
    if (r.method === "POST" && path === "/api/webhook-endpoints") {
      assert.ok(r.headers.get("idempotency-key"), "the registration is idempotent");
      return Response.json({ id: "we_listen", secret, status: "enabled" }, { status: 201 });
    }
    if (r.method === "DELETE" && path === "/api/webhook-endpoints/we_listen") {
      return new Response(null, { status: 204 });
    }
    return new Response(null, { status: 404 });
  });
  return { calls, url: `http://127.0.0.1:${server.addr.port}`, close: () => server.shutdown() };
}

function signed(id: string, body: string, key = secret): Record<string, string> {
  const now = new Date();
  return {
    "content-type": "application/json",
    "webhook-id": id,
    "webhook-timestamp": String(Math.floor(now.getTime() / 1000)),
    "webhook-signature": new Webhook(key).sign(id, now, body),
  };
}

Deno.test("listen registers an endpoint, prints each delivery with its verification, forwards it and deletes the endpoint on close", async () => {
  const api = fakeApi();
  const forwarded: Array<{ body: string; headers: Record<string, string> }> = [];
  const target = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, async (r) => {
    forwarded.push({ body: await r.text(), headers: Object.fromEntries(r.headers) });
    return new Response(null, { status: 202 });
  });
  const lines: string[] = [];
  const listener = await startListener({
    apiUrl: api.url,
    apiKey,
    events: ["*"],
    forward: `http://127.0.0.1:${target.addr.port}/hook`,
    out: (line) => lines.push(line),
  });
  try {
    const registration = api.calls[0]!;
    assert.equal(registration.method, "POST");
    assert.deepEqual(
      (registration.body as { url: string; events: string[] }).events,
      ["*"],
    );
    assert.equal((registration.body as { url: string }).url, listener.url);
    assert.match(listener.url, /^http:\/\/127\.0\.0\.1:\d+\/webhooks$/);

    const body = JSON.stringify({ id: "evt_1", type: "payment.captured", data: {} });
    const good = await fetch(listener.url, {
      method: "POST",
      headers: signed("evt_1", body),
      body,
    });
    await good.body?.cancel();
    assert.equal(good.status, 202, "the forward target's answer is the receiver's answer");
    assert.match(
      lines.at(-1)!,
      /payment\.captured {2}evt_1 {2}signature verified -> forwarded \[202\]/,
    );
    assert.equal(forwarded[0]!.body, body);
    assert.equal(forwarded[0]!.headers["webhook-id"], "evt_1");
    assert.ok(
      new Webhook(secret).verify(forwarded[0]!.body, forwarded[0]!.headers),
      "the forwarded request still verifies at the target",
    );

    const forged = await fetch(listener.url, {
      method: "POST",
      headers: signed("evt_2", body, "whsec_" + btoa("another-secret-of-24-bytes")),
      body,
    });
    await forged.body?.cancel();
    assert.match(lines.at(-1)!, /evt_2 {2}signature INVALID \(/);
  } finally {
    await listener.close();
    await target.shutdown();
    await api.close();
  }
  assert.deepEqual(api.calls.map((c) => `${c.method} ${c.path}`), [
    "POST /api/webhook-endpoints",
    "DELETE /api/webhook-endpoints/we_listen",
  ]);
  assert.equal(lines.at(-1), "Deleted endpoint we_listen");
});

Deno.test("listen without --forward answers 204 for a verified delivery and 400 for a forged one; a refused key stops it", async () => {
  const api = fakeApi();
  const lines: string[] = [];
  try {
    await assert.rejects(
      startListener({ apiUrl: api.url, apiKey: "wrong", events: ["*"], out: () => {} }),
      (e) => e instanceof ListenApiError && e.status === 401,
    );
    const listener = await startListener({
      apiUrl: api.url,
      apiKey,
      events: ["payment.refunded"],
      out: (line) => lines.push(line),
    });
    try {
      const body = JSON.stringify({ id: "evt_3", type: "payment.refunded", data: {} });
      const ok = await fetch(listener.url, {
        method: "POST",
        headers: signed("evt_3", body),
        body,
      });
      await ok.body?.cancel();
      assert.equal(ok.status, 204);
      const tampered = await fetch(listener.url, {
        method: "POST",
        headers: signed("evt_3", body),
        body: body.replace("refunded", "captured"),
      });
      await tampered.body?.cancel();
      assert.equal(tampered.status, 400);
      assert.match(lines.at(-2)!, /payment\.refunded {2}evt_3 {2}signature verified$/);
      assert.match(lines.at(-1)!, /payment\.captured {2}evt_3 {2}signature INVALID/);
    } finally {
      await listener.close();
    }
  } finally {
    await api.close();
  }
});
