import assert from "node:assert/strict";
import { freePort } from "../testing/processes.ts";
import { createRedis, redisErrorLogIntervalMs } from "./client.ts";

Deno.test("an unreachable Redis is reported once per interval, with the errors not printed counted", async () => {
  const port = freePort();
  const lines: string[] = [];
  let nowMs = 0;
  const redis = createRedis(
    { url: `redis://user:secret@127.0.0.1:${port}`, keyPrefix: "t:" },
    { log: (line) => lines.push(line), nowMs: () => nowMs },
  );
  let errors = 0;
  const errorsReach = (n: number) =>
    new Promise<void>((resolve) => {
      const count = () => {
        if (++errors >= n) {
          redis.off("error", count);
          resolve();
        }
      };
      redis.on("error", count);
    });
  try {
    await errorsReach(3);
    assert.equal(lines.length, 1, "one line for three failed connection attempts");
    const first = JSON.parse(lines[0]!);
    assert.equal(first.msg, "Redis is not reachable; retrying");
    assert.equal(first.address, `127.0.0.1:${port}`);
    assert.equal(first.error, "ECONNREFUSED");
    assert.doesNotMatch(lines[0]!, /secret/, "credentials are never logged");
    nowMs += redisErrorLogIntervalMs;
    errors = 0;
    await errorsReach(1);
    assert.equal(lines.length, 2);
    assert.ok(JSON.parse(lines[1]!).suppressed >= 2);
  } finally {
    redis.disconnect();
  }
});
