/** The bench measures the scale-out profile: MariaDB, Redis and raw MariaDB transactions (bench_stack.ts). */
// test-needs: mariadb, redis
import assert from "node:assert/strict";
import { benchCommand } from "./command.ts";

Deno.test("bench --quick starts a stack, measures everything, prints one table and writes its results", async () => {
  const dir = await Deno.makeTempDir({ prefix: "lt_bench_quick_" });
  try {
    const lines: string[] = [];
    const code = await benchCommand(
      ["--quick", "--free-ports", "--out", `${dir}/results.json`],
      (line) => lines.push(line),
      "lt_bench_test",
    );
    const output = lines.join("\n");
    assert.ok(code === 0 || code === 1, `exit ${code}:\n${output}`);
    for (
      const row of [
        "(a) authorize direct",
        "(a) authorize → gateway",
        "(b) authorize → nginx",
        "(c) raw MariaDB",
        "(d) outbox relay",
        "(e) capture request → CAPTURED",
        "(h) authorize",
        "Targets",
        "Verdict:",
      ]
    ) {
      assert.ok(output.includes(row), `${row} missing:\n${output}`);
    }
    const results = JSON.parse(await Deno.readTextFile(`${dir}/results.json`));
    assert.equal(results.mode, "quick");
    assert.ok(results.measurements.gateway.ok > 0, "the gateway authorized nothing");
    assert.ok(results.measurements.raw.ok > 0, "no raw transaction committed");
    assert.ok(results.measurements.relay.drained, "the relay did not drain its backlog");
    assert.equal(results.targets.length, 5);
    const overload = results.measurements.overload;
    assert.ok(overload.goodputPerSecond > 0, "nothing was accepted under overload");
    assert.ok(overload.rate > results.measurements.gateway.okPerSecond);
    assert.ok(results.cpu.gateway.generator >= 0);
    assert.equal(results.verdict.ok, code === 0);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
