import assert from "node:assert/strict";
import { Hono } from "hono";
import { createLoadHttpClient, type LoadHttpClient } from "../http/client.ts";
import { targetAuthError, targetReadyError } from "./target_check.ts";

const merchant = { merchantId: "LT_t_1", apiKey: "pk_test_good_secret" };

/** Serves `app` on an ephemeral loopback port for `body`, with a client for it. */
async function withTarget(
  app: Hono,
  body: (client: LoadHttpClient, url: string) => Promise<void>,
): Promise<void> {
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, app.fetch);
  const url = `http://127.0.0.1:${server.addr.port}`;
  const client = createLoadHttpClient({ baseUrl: url, timeoutMs: 2_000, socketsMax: 2 });
  try {
    await body(client, url);
  } finally {
    client.close();
    await server.shutdown();
  }
}

function gateway(ready: boolean): Hono {
  const app = new Hono();
  app.get(
    "/ready",
    (c) =>
      c.json(
        { status: ready ? "ready" : "not_ready", checks: { redis: ready, upstreams: true } },
        ready ? 200 : 503,
      ),
  );
  app.get(
    "/api/payments",
    (c) =>
      c.req.header("authorization") === `Bearer ${merchant.apiKey}`
        ? c.json({ data: [], nextCursor: null })
        : c.json({ code: "unauthorized" }, 401),
  );
  return app;
}

Deno.test("a target where nothing listens is named before any load is sent", async () => {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const url = `http://127.0.0.1:${(listener.addr as Deno.NetAddr).port}`;
  listener.close();
  const client = createLoadHttpClient({ baseUrl: url, timeoutMs: 2_000, socketsMax: 1 });
  try {
    assert.match(
      (await targetReadyError(client, url)) ?? "",
      /^Nothing answers at http:\/\/127\.0\.0\.1:\d+ \(ECONNREFUSED\): start the platform/,
    );
  } finally {
    client.close();
  }
});

Deno.test("a target that is not ready is refused with its failing checks", async () => {
  await withTarget(gateway(false), async (client, url) => {
    assert.match(
      (await targetReadyError(client, url)) ?? "",
      /is not ready \(503; failing: redis\)/,
    );
  });
});

Deno.test("a ready target with a good key passes; a refused key is named", async () => {
  await withTarget(gateway(true), async (client, url) => {
    assert.equal(await targetReadyError(client, url), undefined);
    assert.equal(await targetAuthError(client, url, { kind: "bearer" }, merchant), undefined);
    const bad = { ...merchant, apiKey: "pk_test_bad_secret" };
    assert.match(
      (await targetAuthError(client, url, { kind: "bearer" }, bad)) ?? "",
      /refused the API key of merchant LT_t_1 \(401 unauthorized\)/,
    );
  });
});

Deno.test("a target without /ready is checked by /health", async () => {
  const app = new Hono();
  app.get("/health", (c) => c.json({ status: "ok" }));
  await withTarget(app, async (client, url) => {
    assert.equal(await targetReadyError(client, url), undefined);
  });
});
