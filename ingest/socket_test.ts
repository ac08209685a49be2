import assert from "node:assert/strict";
import { freePort, freshTestDatabase, startService } from "@pay/lib/testing";
import { signedRequest, testSecret } from "./testing/harness.ts";

// The embedded profile (nonces in DATA_DIR, no Redis client) on the test's database:
// serving over a socket does not depend on the profile.
Deno.test("ingest serves the payment API over a real socket with a real pgsim", async () => {
  const db = await freshTestDatabase("ingest_socket");
  const dataDir = await Deno.makeTempDir({ prefix: "ingest_socket_" });
  const pgsimPort = freePort();
  const ingestPort = freePort();
  const pgsim = await startService({
    name: "pgsim",
    entry: "pgsim/main.ts",
    port: pgsimPort,
    env: { PGSIM_PORT: String(pgsimPort), PGSIM_LATENCY_MS_MIN: "0", PGSIM_LATENCY_MS_MAX: "0" },
  });
  try {
    const ingest = await startService({
      name: "ingest",
      entry: "ingest/main.ts",
      port: ingestPort,
      env: {
        ...db.env,
        PROFILE: "embedded",
        DATA_DIR: dataDir,
        INGEST_PORT: String(ingestPort),
        PG_URL: pgsim.url,
        INTERNAL_AUTH_SECRET: testSecret,
      },
    });
    try {
      const send = (method: string, path: string, o: Parameters<typeof signedRequest>[2] = {}) => {
        const request = signedRequest(method, path, o);
        return fetch(`${ingest.url}${path}`, {
          method,
          headers: request.headers,
          body: request.body,
        });
      };
      const created = await send("POST", "/api/payments/authorize", {
        body: { merchantId: "M123", amount: 10000, currency: "KRW" },
        idempotencyKey: "socket-1",
      });
      const payment = await created.json();
      assert.equal(created.status, 201, JSON.stringify(payment));
      const captured = await send("POST", `/api/payments/capture/${payment.paymentId}`, {
        body: {},
      });
      assert.equal(captured.status, 202, await captured.text());
      const got = await (await send("GET", `/api/payments/${payment.paymentId}`)).json();
      assert.equal(got.status, "CAPTURE_REQUESTED");
      const declined = await send("POST", "/api/payments/authorize", {
        body: { amount: 500, currency: "USD", paymentMethod: "tok_decline" },
        idempotencyKey: "socket-2",
      });
      assert.equal(declined.status, 402);
      await declined.body?.cancel();
      const ready = await fetch(`${ingest.url}/ready`);
      assert.equal(ready.status, 200);
      await ready.body?.cancel();
      const metrics = await (await fetch(`${ingest.url}/metrics`)).text();
      assert.match(
        metrics,
        /payment_transitions_total\{[^}]*from="AUTHORIZED"[^}]*to="CAPTURE_REQUESTED"/,
      );
      assert.match(metrics, /circuit_breaker_state\{[^}]*name="pg-authorize"[^}]*\} 0/);
    } finally {
      await ingest.stop();
    }
  } finally {
    await pgsim.stop();
    await db.close();
    await Deno.remove(dataDir, { recursive: true });
  }
});
