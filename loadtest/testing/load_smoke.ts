import assert from "node:assert/strict";
import type { Profile } from "@pay/lib/config";
import { choosePorts, startStack } from "../bench/stack.ts";
import { loadCommand } from "../command.ts";

/** Where a smoke run's stack keeps its rows: the services' variables, and the cleanup after. */
export interface SmokeStorage {
  readonly env: Readonly<Record<string, string>>;
  close(): Promise<void>;
}

/**
 * Registers the load generator's smoke test on a real stack of `profile`:
 * a two-second flow run with refunds, its stage table, and its correctness
 * verdict computed from the stack's own database (load_smoke_test.ts runs it
 * embedded, load_smoke_scale_out_test.ts on MariaDB and Redis).
 */
export function loadSmokeTest(profile: Profile, storage: () => Promise<SmokeStorage>): void {
  Deno.test(`${profile}: a short flow run against a real stack reports stages and computes the correctness verdict`, async () => {
    const place = await storage();
    const outDir = await Deno.makeTempDir({ prefix: "lt_smoke_" });
    const env = { ...place.env, PROFILE: profile };
    try {
      const stack = await startStack({
        ports: choosePorts(1, false),
        env: { ...env, LOG_ACCESS: "false", PGSIM_LATENCY_MS_MIN: "0", PGSIM_LATENCY_MS_MAX: "2" },
      });
      try {
        const lines: string[] = [];
        const code = await loadCommand(
          smokeArgs(stack.gatewayUrl, outDir),
          { ...Deno.env.toObject(), ...env, ...stack.env, PG_URL: stack.pgsimUrl },
          (line) => lines.push(line),
        );
        await assertSmokeOutput(code, lines.join("\n"), outDir);
      } finally {
        await stack.stop();
      }
    } finally {
      await place.close();
      await Deno.remove(outDir, { recursive: true });
    }
  });
}

function smokeArgs(target: string, outDir: string): string[] {
  return [
    ...["--target", target, "--scenario", "flow", "--refund", "--rate", "10"],
    ...["--duration", "2s", "--warmup", "0s"],
    ...["--completion-timeout", "5s", "--drain-timeout", "5s", "--out", outDir],
  ];
}

async function assertSmokeOutput(code: number, output: string, outDir: string): Promise<void> {
  assert.ok(code === 0 || code === 1, `exit ${code}:\n${output}`);
  for (
    const check of ["payment states", "outbox drained", "ledger balanced", "reconciliation clean"]
  ) {
    assert.match(output, new RegExp(`(ok  |FAIL) ${check}`), output);
  }
  assert.match(output, /^sustain\s+2s\s+10\.0\s+\S+\s+authorize\s+\d+/m, output);
  const files = [...Deno.readDirSync(outDir)].map((f) => f.name).sort();
  assert.equal(files.length, 2, files.join(", "));
  const json = JSON.parse(
    await Deno.readTextFile(`${outDir}/${files.find((f) => f.endsWith(".json"))}`),
  );
  assert.equal(json.arrivals.scheduled, 20);
  assert.equal(json.verdict.checks.length, 6);
  assert.equal(json.verdict.ok, code === 0);
}
