/**
 * One scenario: traffic on the scenario's own merchant, the fault injected
 * after `trafficBeforeFaultMs` and undone, traffic for
 * `trafficAfterFaultMs` more, then a bounded wait for convergence and every
 * check. Returns its report line and violations; throws only on a harness
 * failure (a fault that could not be undone).
 */
import { createLoadHttpClient } from "../http/client.ts";
import { startCompletionTracker } from "../scenario/completion_tracker.ts";
import { createAnswerTally, type ForbiddenAnswer } from "./answers.ts";
import { awaitConvergence } from "./convergence.ts";
import { percentile, timesToFinalMs } from "./final_times.ts";
import { type AckedOp, type FlowContext, type NotAcknowledged, runFlow } from "./flows.ts";
import type { Injector } from "./injectors.ts";
import { formatIncreases, openMetricsWindow } from "./metrics_window.ts";
import type { FaultPlatform } from "./platform.ts";
import { reconcileViolations } from "./reconcile_check.ts";
import { answersLine, scenarioLine } from "./report.ts";
import {
  attemptTimeoutMs,
  captureSettleWaitMs,
  deadLetterMetricPrefixes,
  expiryGraceMs,
  flowsInFlightMax,
  repairMetricPrefixes,
  schedulerMetricPrefixes,
  trafficAfterFaultMs,
  trafficBeforeFaultMs,
} from "./settings.ts";
import { runTraffic } from "./traffic.ts";
import type { ScenarioState } from "./state.ts";
import type { Violation } from "./violations.ts";

export interface ScenarioDefinition {
  readonly number: number;
  readonly title: string;
  readonly injector: Injector;
}

export interface ScenarioResult {
  readonly line: string;
  readonly details: readonly string[];
  readonly violations: readonly Violation[];
  readonly acked: readonly AckedOp[];
  readonly abandoned: readonly string[];
}

export async function runScenario(
  platform: FaultPlatform,
  definition: ScenarioDefinition,
  log: (line: string) => void,
): Promise<ScenarioResult> {
  const merchant = platform.merchant(definition.number);
  const tally = createAnswerTally();
  const client = createLoadHttpClient({
    baseUrl: platform.gatewayUrl,
    timeoutMs: attemptTimeoutMs,
    socketsMax: flowsInFlightMax,
  });
  const tracker = startCompletionTracker(platform.pool, captureSettleWaitMs);
  const ctx: FlowContext = {
    client,
    tally,
    merchant,
    tracker,
    keyPrefix: `flt${definition.number}-${Date.now().toString(36)}`,
    acked: [],
    notAcked: [],
    abandoned: [],
  };
  const metrics = await openMetricsWindow(platform.workersUrls);
  const selfExitsBefore = platform.selfExits().length;
  const startMs = Date.now();
  const scenarioLog = (line: string) => log(`#${definition.number} +${elapsed(startMs)} ${line}`);

  let faultEndMs: number | undefined;
  let faultError: unknown;
  const fault = (async () => {
    await new Promise((resolve) => setTimeout(resolve, trafficBeforeFaultMs));
    await definition.injector.inject({
      platform,
      log: scenarioLog,
      beforeKill: (service) =>
        metrics.beforeKill(platform.workersUrls[service === "workers" ? 0 : 1]!),
    });
  })().catch((error) => faultError = error ?? "fault failed").finally(() =>
    faultEndMs = Date.now()
  );
  const traffic = await runTraffic(
    (n) => runFlow(ctx, n),
    () => faultEndMs !== undefined && Date.now() >= faultEndMs + trafficAfterFaultMs,
  );
  await fault;
  tracker.stop();
  client.close();
  if (faultError) throw new Error(`Fault #${definition.number} failed: ${faultError}`);
  scenarioLog(`traffic done: ${traffic.started} flows; waiting for convergence`);

  const convergence = await awaitConvergence(
    platform,
    [merchant.merchantId],
    ctx.acked,
    { expiryGraceMs },
  );
  const paymentIds = new Set(convergence.state.payments.map((p) => p.id));
  const violations: Violation[] = [
    ...convergence.violations,
    ...await reconcileViolations(platform.pool, platform.pgsimUrl, paymentIds, startMs).catch((
      error,
    ) => [{
      invariant: "reconcile-clean",
      subject: "-",
      detail: `reconciliation failed: ${error}`,
    }]),
    ...tally.forbidden().map(forbiddenViolation),
    ...platform.selfExits().slice(selfExitsBefore).map((exit) => ({
      invariant: "services-stay-up",
      subject: exit.service,
      detail: `exited by itself with code ${exit.code}: ${lastLine(exit.output)}`,
    })),
    ...traffic.crashed.map((crash) => ({ invariant: "harness", subject: "flow", detail: crash })),
  ];
  const { increases, complete } = await metrics.finish();
  const times = timesToFinalMs(convergence.state, ctx.acked);
  const line = scenarioLine({
    number: definition.number,
    title: definition.title,
    flows: traffic.started,
    dropped: traffic.dropped,
    acked: ctx.acked,
    notAcked: ctx.notAcked,
    answers: tally.counts(),
    repaired: formatIncreases(increases, repairMetricPrefixes),
    deadLetteredRows: convergence.state.deadLetters.length,
    deadLetterCounters: formatIncreases(increases, deadLetterMetricPrefixes),
    metricsComplete: complete,
    finalP99Ms: percentile(times, 99),
    finalCount: times.length,
    convergedInMs: convergence.waitedMs,
    converged: convergence.converged,
    violations,
  });
  return {
    line,
    details: [
      `  fault: ${definition.injector.description}`,
      `  answers: ${answersLine(tally.counts())}`,
      `  scheduler items: ${
        formatIncreases(increases, schedulerMetricPrefixes).join(" ") || "none"
      }`,
      `  not acknowledged: ${summarizeNotAcked(ctx.notAcked)}`,
      `  checked: ${checkedLine(convergence.state)}`,
    ],
    violations,
    acked: ctx.acked,
    abandoned: ctx.abandoned,
  };
}

function forbiddenViolation(answer: ForbiddenAnswer): Violation {
  const retried = answer.attempt > 1 && answer.status === 409;
  return {
    invariant: retried ? "retry-replays-first-answer" : "no-500",
    subject: answer.key,
    detail: `${answer.op} attempt ${answer.attempt}: ${answer.status} ${answer.code}`,
  };
}

function summarizeNotAcked(notAcked: readonly NotAcknowledged[]): string {
  const counts = new Map<string, number>();
  for (const n of notAcked) {
    const label = `${n.op} ${n.outcome.replace(/after \d+ attempts /, "")}`;
    counts.set(label, (counts.get(label) ?? 0) + 1);
  }
  return counts.size === 0 ? "none" : [...counts].map(([label, n]) => `${label}=${n}`).join(", ");
}

/** How much the checks looked at, so an empty read (a check that saw nothing) shows. */
function checkedLine(state: ScenarioState): string {
  return [
    `${state.payments.length} payments`,
    `${state.finalEvents.length} final events`,
    `${state.requests.length} PG requests`,
    `${state.ledgerByPayment.length} payments with ledger postings`,
    `${state.pgAuthorizations.length} PG authorizations`,
    `${state.pgOperations.length} PG captures/refunds/voids`,
  ].join(", ");
}

function elapsed(startMs: number): string {
  return `${((Date.now() - startMs) / 1000).toFixed(1)}s`;
}

function lastLine(output: string): string {
  return output.trim().split("\n").slice(-1)[0]?.slice(0, 300) ?? "";
}
