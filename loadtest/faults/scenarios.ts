/**
 * The fault suite (`deno task test:faults`): one platform on private MariaDB
 * and Redis, nine faults injected one at a time under keyed, retried payment
 * traffic, each followed by a bounded wait for convergence and the money
 * invariants. One test per scenario, so a failure names its fault; not named
 * `*_test.ts`, so `deno task test` does not run it.
 */
import type { RowDataPacket } from "mysql2/promise";
import { mariadbDriver } from "@pay/lib/db";
import { awaitConvergence } from "./convergence.ts";
import {
  brokerDown,
  killIngest,
  killWorkers,
  mariaDbDown,
  mariaDbDownBehind,
  pauseWorkers,
  pgDown,
  redisLost,
  redisLostBehind,
} from "./injectors.ts";
import { type FaultPlatform, startFaultPlatform } from "./platform.ts";
import { runScenario, type ScenarioDefinition } from "./run_scenario.ts";
import { finalExpiryWaitMsMax, violationsListedMax } from "./settings.ts";
import { describeViolations } from "./violations.ts";

const scenarios: readonly ScenarioDefinition[] = [
  { number: 1, title: "ingest instance killed", injector: killIngest },
  { number: 2, title: "workers killed", injector: killWorkers },
  { number: 3, title: "workers paused 15 s", injector: pauseWorkers },
  { number: 4, title: "MariaDB down 10 s", injector: mariaDbDown },
  { number: 5, title: "MariaDB down 10 s, consumers behind", injector: mariaDbDownBehind },
  { number: 6, title: "Redis restarted empty", injector: redisLost },
  { number: 7, title: "Redis restarted empty, consumers behind", injector: redisLostBehind },
  { number: 8, title: "PG down 10 s", injector: pgDown },
  { number: 9, title: "bus broker down 30 s", injector: brokerDown },
];

const log = (line: string) => console.log(`[faults] ${line}`);
let started: Promise<FaultPlatform> | undefined;
const platform = () => started ??= startFaultPlatform(log);
const allMerchants: string[] = [];
const abandoned = new Set<string>();

/** The platform outlives single tests: its sockets and timers are not leaks of one test. */
const suiteTest = { sanitizeOps: false, sanitizeResources: false };

for (const scenario of scenarios) {
  Deno.test({
    ...suiteTest,
    name: `fault #${scenario.number}: ${scenario.title}`,
    async fn() {
      const running = await platform();
      allMerchants.push(running.merchant(scenario.number).merchantId);
      const result = await runScenario(running, scenario, log);
      for (const id of result.abandoned) abandoned.add(id);
      console.log(result.line);
      for (const detail of result.details) console.log(detail);
      if (result.violations.length > 0) {
        throw new Error(
          `Fault #${scenario.number} broke invariants:\n` +
            describeViolations(result.violations, violationsListedMax).join("\n"),
        );
      }
    },
  });
}

Deno.test({
  ...suiteTest,
  name: "after every fault: abandoned authorizations expired and voided at the PG",
  async fn() {
    const running = await platform();
    try {
      await waitForExpiryDue(running, [...abandoned]);
      // No grace here: every abandoned authorization is past its expiry now.
      const convergence = await awaitConvergence(running, allMerchants, [], { expiryGraceMs: 0 }, {
        waitMsMax: finalExpiryWaitMsMax,
        select: (v) =>
          abandoned.has(v.subject) &&
          (v.invariant === "expired-on-time" || v.invariant === "voided-at-pg"),
      });
      const expired = convergence.state.payments.filter((p) =>
        abandoned.has(p.id) && p.status === "EXPIRED"
      ).length;
      console.log(
        `#final abandoned authorizations: ${abandoned.size}, expired ${expired}; ` +
          `violations ${convergence.violations.length}`,
      );
      if (convergence.violations.length > 0) {
        throw new Error(
          `Abandoned authorizations broke invariants:\n` +
            describeViolations(convergence.violations, violationsListedMax).join("\n"),
        );
      }
    } finally {
      await running.stop();
    }
  },
});

/** Waits (bounded) until the last abandoned authorization is past its expiry. */
async function waitForExpiryDue(running: FaultPlatform, paymentIds: string[]): Promise<void> {
  if (paymentIds.length === 0) return;
  const [rows] = await mariadbDriver(running.pool).query<RowDataPacket[]>(
    "SELECT MAX(auth_expires_at) AS last FROM payment WHERE id IN (?)",
    [paymentIds],
  );
  const lastMs = (rows[0]?.last as Date | null)?.getTime() ?? Date.now();
  const waitMs = Math.min(finalExpiryWaitMsMax, lastMs - Date.now());
  if (waitMs > 0) {
    log(`waiting ${(waitMs / 1000).toFixed(0)} s for the last abandoned authorization to expire`);
    await new Promise((resolve) => setTimeout(resolve, waitMs));
  }
}
