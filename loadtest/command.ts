import {
  type Env,
  readLoadtestConfig,
  readSettlementConfig,
  readStorageConfig,
} from "@pay/lib/config";
import { type Db, openStorage, outboxStats } from "@pay/lib/db";
import { fetchPgSettlementReport } from "@pay/lib/pg";
import { type CliOptions, parseCliArgs, resolvePlan, usage } from "./cli/flags.ts";
import { loopbackTargetError } from "./guard/localhost.ts";
import { targetAuthError, targetCheckTimeoutMs, targetReadyError } from "./guard/target_check.ts";
import type { LoadMerchant } from "./http/auth.ts";
import { createLoadHttpClient } from "./http/client.ts";
import { peakRate, planDurationMs, type RatePlan } from "./plan/stages.ts";
import { resultsDocument, runChart, writeResults } from "./report/results.ts";
import {
  formatCpu,
  formatDuration,
  formatErrors,
  formatProgress,
  formatSchedule,
  formatStageTable,
} from "./report/text.ts";
import { requestTotals } from "./metrics/recorder.ts";
import { type LoadRunOptions, type LoadRunResult, runLoad } from "./run/load_run.ts";
import { leftoverLoadMerchants, newRunId, retireLoadMerchants } from "./setup/merchants.ts";
import { formatRetired, merchantsFor, type RunMerchants } from "./setup/run_merchants.ts";
import { verifyRun } from "./verify/checks.ts";
import { formatVerdict, type Verdict, verdictOf } from "./verify/verdict.ts";

/** Connections the generator holds to MariaDB: setup, completion polling and the checks, one at a time each. */
const generatorDbConnections = 4;
/** Timeout of one settlement-report fetch from the PG during the checks. */
const reportTimeoutMs = 10_000;

/** Exit status of `deno task load`: 0 pass, 1 a check failed or the run stopped early, 2 bad usage or setup. */
export type ExitCode = 0 | 1 | 2;

/** `deno task load`: parse, guard, check the target, set up merchants, run, report, check, retire. */
export async function loadCommand(
  args: readonly string[],
  env: Env,
  print: (line: string) => void,
): Promise<ExitCode> {
  let cli: CliOptions;
  let plan: RatePlan;
  let planLabel: string;
  try {
    cli = parseCliArgs(args, readLoadtestConfig(env));
    if (cli.help) {
      print(usage);
      return 0;
    }
    const targetError = loopbackTargetError(cli.targetUrl);
    if (targetError) throw new Error(targetError);
    ({ plan, label: planLabel } = await resolvePlan(
      cli.planSource,
      cli.scale,
      Deno.readTextFile,
    ));
  } catch (error) {
    print(`${(error as Error).message}\n\n${usage}`);
    return 2;
  }
  const pool = await openStorage(readStorageConfig(env), { poolSizeMax: generatorDbConnections });
  try {
    if (cli.cleanup) {
      print(formatRetired(await retireLoadMerchants(pool, await leftoverLoadMerchants(pool))));
      return 0;
    }
    return await checkedRun(cli, plan, planLabel, env, pool, print);
  } finally {
    await pool.close();
  }
}

/** Checks the target, creates the run's merchants, runs, and retires the merchants whatever happened. */
async function checkedRun(
  cli: CliOptions,
  plan: RatePlan,
  planLabel: string,
  env: Env,
  pool: Db,
  print: (line: string) => void,
): Promise<ExitCode> {
  const probe = createLoadHttpClient({
    baseUrl: cli.targetUrl,
    timeoutMs: targetCheckTimeoutMs,
    socketsMax: 1,
  });
  try {
    const notReady = await targetReadyError(probe, cli.targetUrl);
    if (notReady) {
      print(`${notReady}\nNothing was sent.`);
      return 2;
    }
    const runId = newRunId();
    const setup = await merchantsFor(cli, plan, env, pool, runId);
    try {
      const refused = await targetAuthError(
        probe,
        cli.targetUrl,
        setup.auth,
        setup.merchants[0]!,
      );
      if (refused) {
        print(`${refused}\nNothing else was sent.`);
        return 2;
      }
      return await runCommand(cli, plan, planLabel, env, pool, runId, setup, print);
    } finally {
      if (setup.created && !cli.keepMerchants) {
        const ids = setup.merchants.map((m) => m.merchantId);
        await retireLoadMerchants(pool, ids).then(
          (retired) => print(formatRetired(retired)),
          (error) =>
            print(
              `Could not retire the run's merchants (deno task load --cleanup does it later): ${
                (error as Error).message
              }`,
            ),
        );
      }
    }
  } finally {
    probe.close();
  }
}

async function runCommand(
  cli: CliOptions,
  plan: RatePlan,
  planLabel: string,
  env: Env,
  pool: Db,
  runId: string,
  { merchants, auth, own }: RunMerchants,
  print: (line: string) => void,
): Promise<ExitCode> {
  const deadBefore = (await outboxStats(pool)).dead;
  const steps = cli.scenario === "flow"
    ? `authorize → capture${cli.refund ? " → refund" : ""}`
    : "authorize";
  const via = cli.direct ? " (direct, signed)" : "";
  print(
    `Load run ${runId}: ${steps} against ${cli.targetUrl}${via}, ${planLabel}, peak ` +
      `${peakRate(plan)}/s for ${
        formatDuration(planDurationMs(plan))
      }, ${merchants.length} merchant(s)`,
  );
  const result = await runLoad(runOptionsOf(cli, plan), {
    auth,
    merchants,
    runId,
    pool,
    progress: (sample, overall) => print(formatProgress(sample, overall)),
  });
  print("");
  if (result.aborted) print(`Stopped early. ${result.aborted}.`);
  for (
    const part of [
      formatStageTable(plan, result),
      formatErrors(result.errors),
      formatSchedule(result, cli.maxInFlight, cli.lateToleranceMs),
      formatCpu(result),
    ]
  ) print(part);

  let verdict: Verdict | undefined;
  if (result.aborted) {
    verdict = verdictOf([{ name: "target answered", ok: false, detail: result.aborted }]);
    print(formatVerdict(verdict) + "\n  (correctness checks skipped: the run did not happen)");
  } else if (cli.verify) {
    print(`Checking correctness (drain wait up to ${formatDuration(cli.drainTimeoutMs)})...`);
    const runMerchants = own ? merchants : [];
    verdict = await verifyResult(cli, env, pool, result, runMerchants, deadBefore, print);
    print(formatVerdict(verdict));
  }
  const meta = {
    target: cli.targetUrl,
    direct: cli.direct,
    scenario: cli.scenario,
    refund: cli.refund,
    planLabel,
  };
  const paths = await writeResults(
    cli.outDir,
    `load-${runId}`,
    resultsDocument(meta, plan, result, verdict),
    runChart(`Load run ${runId}: ${steps}, ${planLabel}`, plan, result),
  );
  print(`Results: ${paths.json}\nChart:   ${paths.svg}`);
  return (verdict && !verdict.ok) || result.aborted ? 1 : 0;
}

function runOptionsOf(cli: CliOptions, plan: RatePlan): LoadRunOptions {
  return {
    plan,
    scenario: {
      scenario: cli.scenario,
      refund: cli.refund,
      refundRatio: cli.refundRatio,
      currency: cli.currency,
    },
    targetUrl: cli.targetUrl,
    maxInFlight: cli.maxInFlight,
    lateToleranceMs: cli.lateToleranceMs,
    requestTimeoutMs: cli.requestTimeoutMs,
    socketsMax: cli.sockets,
    gracefulStopMs: cli.gracefulStopMs,
    completionTimeoutMs: cli.completionTimeoutMs,
    silenceAbortMs: cli.silenceAbortMs,
  };
}

function verifyResult(
  cli: CliOptions,
  env: Env,
  pool: Db,
  result: LoadRunResult,
  runMerchants: readonly LoadMerchant[],
  deadBefore: number,
  print: (line: string) => void,
): Promise<Verdict> {
  const pgUrl = readSettlementConfig(env).settlement.pgUrl;
  return verifyRun({
    pool,
    expected: result.expected,
    runMerchantIds: runMerchants.map((m) => m.merchantId),
    startedAt: result.startedAt,
    deadBefore,
    fetchReport: (date) =>
      fetchPgSettlementReport(
        { baseUrl: pgUrl, timeoutMs: reportTimeoutMs },
        date,
      ),
    drainTimeoutMs: cli.drainTimeoutMs,
    requests: { ...requestTotals([result.overall]), errorRateMax: cli.errorRateMax },
    dropped: result.arrivals.dropped,
    log: print,
  });
}
