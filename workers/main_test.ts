import assert from "node:assert/strict";
import { verifyLedger } from "@pay/lib/db";
import { freshTestDatabase, freshTestRedis } from "@pay/lib/testing";
import { seedCapturedPayments } from "./relay/seed.ts";
import { until } from "@pay/lib/bus/testing";

Deno.test("the workers process relays, posts the ledger, serves probes and stops on SIGTERM", async () => {
  const db = await freshTestDatabase("wk_main");
  const redis = await freshTestRedis("wk_main");
  const seeded = await seedCapturedPayments(db.pool, 50);
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", new URL("./main.ts", import.meta.url).pathname],
    env: {
      DB_NAME: db.config.database,
      REDIS_KEY_PREFIX: redis.config.keyPrefix,
      BUS: "redis",
      WORKERS_PORT: "0",
      OUTBOX_POLL_IDLE_MS: "10",
    },
    stdout: "null",
    stderr: "piped",
  }).spawn();
  const logs: Array<Record<string, unknown>> = [];
  const reading = (async () => {
    let buffered = "";
    for await (const chunk of child.stderr.pipeThrough(new TextDecoderStream())) {
      buffered += chunk;
      const lines = buffered.split("\n");
      buffered = lines.pop()!;
      for (const line of lines) {
        try {
          logs.push(JSON.parse(line));
        } catch {
          logs.push({ raw: line });
        }
      }
    }
  })();
  try {
    await until(() => logs.some((l) => l.event === "listening"), "the process listening");
    const port = logs.find((l) => l.event === "listening")!.port;
    const base = `http://127.0.0.1:${port}`;
    assert.deepEqual(await (await fetch(`${base}/health`)).json(), { status: "ok" });
    const ready = await fetch(`${base}/ready`);
    assert.deepEqual(await ready.json(), {
      status: "ready",
      checks: { db: "ok", redis: "ok", bus: "ok" },
    });
    // Each seeded payment has authorized, capture-requested and captured events;
    // the ledger consumes only the money-moving one.
    const events = seeded.length;
    await until(async () => {
      const [[row]] = await db.pool.driver.query(
        "SELECT COUNT(*) AS n FROM consumer_inbox WHERE consumer_group = 'ledger'",
      ) as unknown as [[{ n: number }]];
      return Number(row.n) === events;
    }, "every event applied by the ledger");
    const verification = await verifyLedger(db.pool);
    assert.ok(verification.ok, JSON.stringify(verification));
    assert.equal(verification.entries, seeded.length);
    const metrics = await (await fetch(`${base}/metrics`)).text();
    assert.match(metrics, /outbox_backlog_events\{service="workers"\} 0/);
    assert.match(metrics, /outbox_published_total\{result="published",service="workers"\} 150/);
    assert.match(metrics, /bus_consumer_lag_messages\{group="ledger",topic="payment.captured"/);
    assert.match(metrics, /circuit_breaker_state\{name="bus-publish",service="workers"\} 0/);
    child.kill("SIGTERM");
    const status = await child.status;
    await reading;
    assert.equal(status.code, 0, JSON.stringify(logs.slice(-5)));
    assert.ok(logs.some((l) => l.event === "stopped"));
  } finally {
    try {
      child.kill("SIGKILL");
    } catch {
      // Already exited.
    }
    await child.status;
    await redis.close();
    await db.close();
  }
});
