import { processEnv, readDbConfig } from "@pay/lib/config";
import { createPool } from "@pay/lib/db";
import { freshMariaDatabase } from "@pay/lib/testing";
import type { PaymentExpectation } from "../scenario/expectation.ts";
import { cliDefaults } from "../cli/flags.ts";
import { sustainPlan } from "../plan/profiles.ts";
import { runLoad } from "../run/load_run.ts";
import { nginxInstalled, startNginxBalancer, startNginxStub } from "./nginx.ts";
import { authorizeCapacity, rawTransactionCapacity, type Target } from "./phases.ts";
import { freePort } from "./stack.ts";
import type { CapacityResult } from "./summary.ts";

/**
 * (b) The same signed authorizes as the direct run, through nginx balancing
 * over the ingest instances; undefined when nginx is not installed. The nginx
 * pid is added to `pids` while it runs, so its CPU is counted.
 */
export async function nginxCapacity(
  direct: Target,
  ingestUrls: readonly string[],
  run: { concurrency: number; seconds: number; runId: string },
  expected: Map<string, PaymentExpectation>,
  measured: <T>(name: string, work: () => Promise<T>, pids?: Map<string, number>) => Promise<T>,
  print: (line: string) => void,
): Promise<CapacityResult | undefined> {
  if (!(await nginxInstalled())) {
    print("(b) nginx is not installed (apt-get install nginx-light): comparison skipped");
    return undefined;
  }
  const nginx = await startNginxBalancer(freePort(), ingestUrls);
  try {
    print(`(b) Authorize through nginx (least_conn over ${ingestUrls.length} ingest)`);
    return await measured(
      "nginx",
      () =>
        authorizeCapacity(
          { ...direct, url: nginx.url },
          run.concurrency,
          run.seconds,
          run.runId,
          expected,
        ),
      new Map([["nginx", nginx.pid]]),
    );
  } finally {
    await nginx.stop();
  }
}

/**
 * (c) Raw authorize-shaped transactions, in a database of their own on the
 * same server with the same schema, over as many connections as the two
 * ingest instances hold (2 x DB_POOL_SIZE), at the same concurrency.
 */
export async function rawCapacity(
  databaseName: string,
  run: { concurrency: number; seconds: number; runId: string },
): Promise<CapacityResult> {
  const rawDb = await freshMariaDatabase(databaseName);
  await rawDb.close();
  const ingestConnections = 2 * readDbConfig(processEnv()).poolSize;
  const pool = createPool({ ...rawDb.config, poolSize: ingestConnections });
  try {
    return await rawTransactionCapacity(pool, run.concurrency, run.seconds, run.runId);
  } finally {
    await pool.close();
  }
}

/** The generator on its own: rate, CPU and latency floor against an nginx that answers at once. */
export interface GeneratorCost {
  readonly rate: number;
  readonly seconds: number;
  readonly okPerSecond: number;
  /** The generator process's CPU, in % of one core. */
  readonly corePercent: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly late: number;
  readonly dropped: number;
}

/**
 * (f) Is the generator a bottleneck? The sustained run's rate against a
 * stub that costs nothing: its CPU share and latency are the generator's
 * own. Undefined when nginx is not installed.
 */
export async function generatorCost(
  rate: number,
  seconds: number,
  runId: string,
): Promise<GeneratorCost | undefined> {
  if (!(await nginxInstalled())) return undefined;
  const stub = await startNginxStub(freePort());
  try {
    const result = await runLoad({
      plan: sustainPlan(rate, seconds * 1000, 0),
      scenario: { scenario: "authorize", refund: false, refundRatio: 0, currency: "KRW" },
      targetUrl: stub.url,
      maxInFlight: cliDefaults.maxInFlight,
      lateToleranceMs: cliDefaults.lateToleranceMs,
      requestTimeoutMs: cliDefaults.requestTimeoutMs,
      socketsMax: cliDefaults.sockets,
      gracefulStopMs: cliDefaults.gracefulStopMs,
      completionTimeoutMs: cliDefaults.completionTimeoutMs,
      silenceAbortMs: cliDefaults.silenceAbortMs,
    }, {
      auth: { kind: "bearer" },
      merchants: [{ merchantId: "STUB", apiKey: "pk_test_stub" }],
      runId,
    });
    const authorize = result.overall.authorize;
    return {
      rate,
      seconds,
      okPerSecond: (authorize?.ok ?? 0) / seconds,
      corePercent: result.cpu.corePercent,
      p50Ms: authorize?.p50Ms ?? 0,
      p99Ms: authorize?.p99Ms ?? 0,
      late: result.arrivals.late,
      dropped: result.arrivals.dropped,
    };
  } finally {
    await stub.stop();
  }
}
