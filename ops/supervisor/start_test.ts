import assert from "node:assert/strict";
import { devApiKeyDefault } from "@pay/lib/config";
import { portsFree, startTestPlatform, until } from "./testing.ts";

/** Settlement completes in well under a second; this only bounds the wait. */
const capturedDeadlineMs = 30_000;

Deno.test("deno task start runs the whole platform with its real permissions, serves a payment end to end and stops on SIGINT", async () => {
  const platform = await startTestPlatform("ops_start");
  let code: number | undefined;
  try {
    const { ports } = platform;
    const api = `http://127.0.0.1:${ports.gateway}/api/payments`;
    const headers = {
      authorization: `Bearer ${devApiKeyDefault}`,
      "content-type": "application/json",
    };
    const authorized = await fetch(`${api}/authorize`, {
      method: "POST",
      headers: { ...headers, "idempotency-key": "start-test-1" },
      body: JSON.stringify({ merchantId: "M123", amount: 10000, currency: "KRW" }),
    });
    const payment = await authorized.json();
    assert.equal(authorized.status, 201, JSON.stringify(payment));
    const captured = await fetch(`${api}/capture/${payment.paymentId}`, {
      method: "POST",
      headers,
    });
    assert.equal(captured.status, 202);
    await captured.body?.cancel();
    const final = await until("CAPTURED", capturedDeadlineMs, async () => {
      const got = await (await fetch(`${api}/${payment.paymentId}`, { headers })).json();
      return got.status === "CAPTURED" && got.ledger.length === 2 ? got : undefined;
    });
    assert.equal(final.capturedAmount, 10000);
    for (
      const path of [`http://127.0.0.1:${ports.store}/`, `http://127.0.0.1:${ports.ops}/health`]
    ) {
      const res = await fetch(path);
      assert.equal(res.status, 200, path);
      await res.body?.cancel();
    }
  } finally {
    code = await platform.stop();
  }
  assert.equal(code, 0, platform.output().slice(-4000));
  assert.ok(portsFree(platform.offset), "every service stopped and released its port");
  assert.match(platform.output(), /\[supervisor\] gateway stopped/);
});
