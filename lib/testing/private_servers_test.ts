import assert from "node:assert/strict";
import { privateMariaDb, privateRedis } from "./private_servers.ts";

Deno.test("a private server refuses the shared servers' ports before touching anything", async () => {
  await assert.rejects(
    privateMariaDb({ port: 3306, dir: "/nonexistent/never-created" }),
    /Port of the shared MariaDB is never used privately: 3306/,
  );
  await assert.rejects(
    privateRedis({ port: 6379, dir: "/nonexistent/never-created" }),
    /Port of the shared Redis is never used privately: 6379/,
  );
});

Deno.test("a private Redis killed without persistence restarts empty; with its append-only file it keeps its data", async () => {
  for (const appendOnly of [false, true]) {
    const redis = await privateRedis({ appendOnly });
    try {
      await redis.start();
      await redis.markSentinel();
      await redis.kill();
      await redis.start();
      assert.equal(await redis.sentinelKept(), appendOnly, `appendOnly: ${appendOnly}`);
    } finally {
      await redis.remove();
    }
    await assert.rejects(Deno.stat(redis.dir), Deno.errors.NotFound);
  }
});

Deno.test("a private Redis shut down saving restarts with its data, and after forgetData without it", async () => {
  const redis = await privateRedis();
  try {
    await redis.start();
    await redis.markSentinel();
    await redis.shutdownSaving();
    assert.equal(redis.pid(), undefined);
    await redis.start();
    assert.equal(await redis.sentinelKept(), true);
    await redis.kill();
    await redis.forgetData();
    await redis.start();
    assert.equal(await redis.sentinelKept(), false);
  } finally {
    await redis.remove();
  }
});
