import { readStorageConfig } from "@pay/lib/config";
import { openStorage } from "@pay/lib/db";
import type { PaymentExpectation } from "../scenario/expectation.ts";
import { createLoadMerchants } from "../setup/merchants.ts";
import { benchStackEnv } from "./bench_stack.ts";
import { type CpuShares, formatCpuShares, startCpuMeter } from "./cpu.ts";
import { authorizeCapacity } from "./phases.ts";
import { choosePorts, type Stack, startStack } from "./stack.ts";
import type { CapacityResult } from "./summary.ts";

/** Merchants of the embedded run (as many as the scale-out one spreads its load over). */
const embeddedMerchants = 4;

/**
 * The embedded profile's row: the same closed-loop authorizes through the
 * gateway as (a), on a second stack of the embedded profile (one SQLite file,
 * the embedded bus, no MariaDB or Redis connection) started after the
 * scale-out stack stopped, so the two never share the cores.
 */
export async function embeddedGatewayCapacity(
  run: { concurrency: number; seconds: number; warmupSeconds: number; runId: string },
  print: (line: string) => void,
): Promise<{ capacity: CapacityResult; cpu: CpuShares }> {
  const stack: Stack = await startStack({
    ports: choosePorts(2, false),
    env: { PROFILE: "embedded", ...benchStackEnv },
  });
  const db = await openStorage(readStorageConfig({ PROFILE: "embedded", ...stack.env }));
  try {
    const merchants = await createLoadMerchants(db, run.runId, embeddedMerchants, "test");
    const gateway = { url: stack.gatewayUrl, auth: { kind: "bearer" as const }, merchants };
    const expected = new Map<string, PaymentExpectation>();
    print(`Warm-up: ${run.warmupSeconds} s through the embedded gateway`);
    await authorizeCapacity(gateway, run.concurrency, run.warmupSeconds, `${run.runId}w`, expected);
    print(`(g) Authorize through the gateway, embedded profile, ${run.concurrency} in flight`);
    const meter = startCpuMeter(new Map(stack.services.map((s) => [s.name, s.pid])));
    const capacity = await authorizeCapacity(
      gateway,
      run.concurrency,
      run.seconds,
      `${run.runId}e`,
      expected,
    );
    const cpu = meter.stop();
    print(`  CPU (% of one core) during embedded: ${formatCpuShares(cpu)}`);
    return { capacity, cpu };
  } finally {
    await db.close();
    await stack.stop();
  }
}
