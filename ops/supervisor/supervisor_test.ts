import assert from "node:assert/strict";
import { freePort } from "@pay/lib/testing";
import { defaultRestartPolicy, restartDelayMs, Supervisor } from "./supervisor.ts";
import { until } from "./testing.ts";

const rootDir = new URL("../../", import.meta.url).pathname;
/** Bounds the wait for a restarted fixture to answer; restarts take well under a second. */
const restartDeadlineMs = 30_000;

Deno.test("restart delays double from the base up to the cap and never give up", () => {
  const delays = Array.from({ length: 8 }, (_, i) => restartDelayMs(defaultRestartPolicy, i + 1));
  assert.deepEqual(delays, [1_000, 2_000, 4_000, 8_000, 16_000, 30_000, 30_000, 30_000]);
  assert.equal(restartDelayMs(defaultRestartPolicy, 10_000), 30_000);
});

Deno.test("the supervisor restarts a service that keeps crashing, more than 5 times, with capped backoff", async () => {
  const port = freePort();
  const lines: string[] = [];
  const supervisor = new Supervisor(rootDir, {}, (line) => lines.push(line), {
    delayBaseMs: 10,
    delayCapMs: 80,
    stableRunMs: 60_000,
  });
  const url = `http://127.0.0.1:${port}`;
  const pidNow = async () => (await (await fetch(`${url}/health`)).json()).pid as number;
  try {
    await supervisor.start({
      name: "crashy",
      kind: "pgsim",
      entry: "ops/supervisor/crashing_service_fixture.ts",
      permissions: ["--allow-net=127.0.0.1", "--allow-env=FIXTURE_PORT"],
      env: { FIXTURE_PORT: String(port) },
      port,
    });
    const crashes = 7;
    for (let i = 0; i < crashes; i++) {
      const pid = await pidNow();
      await (await fetch(`${url}/crash`, { method: "POST" })).body?.cancel();
      await until(
        "the restarted service",
        restartDeadlineMs,
        async () => (await pidNow()) !== pid ? true : undefined,
      );
    }
    const restarts = lines.filter((l) => l.includes("crashy exited (code 3)"));
    assert.deepEqual(
      restarts.map((l) => Number(/restarting in (\d+) ms/.exec(l)?.[1])),
      [10, 20, 40, 80, 80, 80, 80],
      lines.join("\n"),
    );
    assert.ok(!lines.some((l) => /not restarting/.test(l)));
  } finally {
    await supervisor.stopAll();
  }
  assert.match(lines.at(-1)!, /crashy stopped/);
});
