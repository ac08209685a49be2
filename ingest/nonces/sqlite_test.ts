import assert from "node:assert/strict";
import { nonceFileName, nonceSweepIntervalMs, sqliteNonceStore } from "./sqlite.ts";
import { DatabaseSync } from "node:sqlite";
import { join } from "node:path";

Deno.test("the nonce file keeps its nonces across a restart and sweeps expired ones", async () => {
  const dataDir = await Deno.makeTempDir({ prefix: "nonces_" });
  let nowMs = 1_000_000;
  try {
    const before = sqliteNonceStore(dataDir, () => nowMs);
    assert.equal(await before.claim("n1", 30_000), true);
    assert.equal(await before.claim("n2", 5_000), true);
    before.close();
    const after = sqliteNonceStore(dataDir, () => nowMs);
    assert.equal(await after.claim("n1", 30_000), false, "restarted, still a replay");
    nowMs += nonceSweepIntervalMs;
    assert.equal(await after.claim("n3", 30_000), true);
    after.close();
    const rows = new DatabaseSync(join(dataDir, nonceFileName));
    const left = rows.prepare("SELECT nonce FROM nonce ORDER BY nonce").all().map((r) => r.nonce);
    rows.close();
    assert.deepEqual(left, ["n1", "n3"]);
  } finally {
    await Deno.remove(dataDir, { recursive: true });
  }
});
