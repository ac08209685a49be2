/**
 * The workers process as its operators run it, in one profile: the scenario
 * of main_test.ts (embedded) and main_scale_out_test.ts (MariaDB and Redis).
 */
import assert from "node:assert/strict";
import { until } from "@pay/lib/bus/testing";
import type { Profile } from "@pay/lib/config";
import { countHandledEvents, verifyLedger } from "@pay/lib/db";
import { seedCapturedPayments } from "../relay/seed.ts";
import { profileFixture } from "./profile_fixture.ts";

export const workersProcessTestName =
  "the workers process relays, posts the ledger, serves probes and stops on SIGTERM";

/** The readiness checks each profile's process runs: no Redis connection in the embedded one. */
const readyChecks: Record<Profile, Record<string, string>> = {
  embedded: { db: "ok", bus: "ok" },
  "scale-out": { db: "ok", redis: "ok", bus: "ok" },
};

type LogLine = Record<string, unknown>;

/** Collects the process's JSON log lines (stderr) as they come. */
function readLogs(stderr: ReadableStream<Uint8Array>, logs: LogLine[]): Promise<void> {
  return (async () => {
    let buffered = "";
    for await (const chunk of stderr.pipeThrough(new TextDecoderStream())) {
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
}

export async function workersProcessScenario(profile: Profile): Promise<void> {
  const fixture = await profileFixture("wk_main", profile);
  const { db } = fixture;
  const seeded = await seedCapturedPayments(db.pool, 50);
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", new URL("../main.ts", import.meta.url).pathname],
    env: { ...fixture.env, WORKERS_PORT: "0", OUTBOX_POLL_IDLE_MS: "10" },
    stdout: "null",
    stderr: "piped",
  }).spawn();
  const logs: LogLine[] = [];
  const reading = readLogs(child.stderr, logs);
  try {
    await until(() => logs.some((l) => l.event === "listening"), "the process listening");
    const port = logs.find((l) => l.event === "listening")!.port;
    const base = `http://127.0.0.1:${port}`;
    assert.deepEqual(await (await fetch(`${base}/health`)).json(), { status: "ok" });
    const ready = await fetch(`${base}/ready`);
    assert.deepEqual(await ready.json(), { status: "ready", checks: readyChecks[profile] });
    // Each seeded payment has authorized, capture-requested and captured events;
    // the ledger consumes only the money-moving one.
    await until(
      async () => await countHandledEvents(db.pool, "ledger") === seeded.length,
      "every event applied by the ledger",
    );
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
    await fixture.close();
  }
}
