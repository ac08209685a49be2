import assert from "node:assert/strict";
import { devApiKeyDefault } from "@pay/lib/config";
import { freshTestDatabase, freshTestRedis } from "@pay/lib/testing";
import { platformServices, shiftedPorts } from "./services.ts";

/** How long the whole platform may take to come up on a cold cache. */
const startDeadlineMs = 120_000;
/** Settlement completes in well under a second; this only bounds the wait. */
const capturedDeadlineMs = 30_000;

function portsFree(offset: number): boolean {
  for (const spec of platformServices(shiftedPorts(offset))) {
    try {
      Deno.listen({ hostname: "127.0.0.1", port: spec.port }).close();
    } catch {
      return false;
    }
  }
  return true;
}

function freeOffset(): number {
  for (let attempt = 0; attempt < 50; attempt++) {
    const offset = 20_000 + Math.floor(Math.random() * 20_000);
    if (portsFree(offset)) return offset;
  }
  throw new Error("No free block of ports for the platform");
}

async function until<T>(
  what: string,
  deadlineMs: number,
  probe: () => Promise<T | undefined>,
): Promise<T> {
  const deadline = Date.now() + deadlineMs;
  while (Date.now() < deadline) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`Timed out waiting for ${what}`);
}

Deno.test("deno task start runs the whole platform with its real permissions, serves a payment end to end and stops on SIGINT", async () => {
  const db = await freshTestDatabase("ops_start");
  await db.close();
  const redis = await freshTestRedis("ops_start");
  await redis.close();
  const offset = freeOffset();
  const ports = shiftedPorts(offset);
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "--allow-all", "ops/supervisor/main.ts", "--port-offset", String(offset)],
    cwd: new URL("../../", import.meta.url).pathname,
    env: {
      DB_NAME: db.config.database,
      REDIS_KEY_PREFIX: redis.config.keyPrefix,
      LOG_ACCESS: "false",
      NO_COLOR: "1",
    },
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  let output = "";
  const decoder = new TextDecoder();
  const collect = async (stream: ReadableStream<Uint8Array>) => {
    for await (const chunk of stream) output += decoder.decode(chunk, { stream: true });
  };
  const drained = Promise.all([collect(child.stdout), collect(child.stderr)]);
  let exited = false;
  const status = child.status.then((s) => {
    exited = true;
    return s;
  });
  try {
    await until("the platform to start", startDeadlineMs, () => {
      if (exited) throw new Error(`The supervisor exited:\n${output}`);
      return Promise.resolve(output.includes("Payment platform is running") ? true : undefined);
    }).catch((error) => {
      throw new Error(`${error.message}\n${output.slice(-4000)}`);
    });
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
    if (!exited) child.kill("SIGINT");
    const { code } = await status;
    await drained;
    assert.equal(code, 0, output.slice(-4000));
  }
  assert.ok(portsFree(offset), "every service stopped and released its port");
  assert.match(output, /\[supervisor\] gateway stopped/);
});
