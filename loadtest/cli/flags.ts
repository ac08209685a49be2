import { parseArgs } from "node:util";
import type { LoadtestConfig } from "@pay/lib/config";
import { isCurrency, supportedCurrencies } from "@pay/lib/domain";
import { checkPlan, parseDuration, parsePlanJson, parseRate, parseStages } from "../plan/parse.ts";
import { profiles, sustainPlan } from "../plan/profiles.ts";
import { type RatePlan, scalePlan } from "../plan/stages.ts";
import { type ScenarioName, scenarioNames } from "../scenario/iteration.ts";

export { usage } from "./usage.ts";

/**
 * Defaults of the generator's limits. Each is a flag; the comment says why
 * the default is what it is.
 */
export const cliDefaults = {
  /** Like k6's maxVUs: far above the in-flight count of a healthy run at 3,000/s (~150). */
  maxInFlight: 10_000,
  /** Sockets to the target: above the in-flight count of a healthy run, below the fd limit. */
  sockets: 1_000,
  /** Per request: twice the gateway's upstream timeout, so the server's own timeout answers first. */
  requestTimeoutMs: 10_000,
  /** k6's gracefulStop default: iterations running at the end get this long to finish. */
  gracefulStopMs: 30_000,
  /** A capture or refund not settled in this long counts as failed (target p99 is 1 s). */
  completionTimeoutMs: 30_000,
  /** After the run, how long the workers get to drain before the checks judge. */
  drainTimeoutMs: 60_000,
  /** The original k6 thresholds allowed 5% failed requests; the targets here want none: 1%. */
  errorRateMax: 0.01,
  /** A start this late means the generator could not keep up (a 10 ms stall at 3,000/s bunches 30 starts). */
  lateToleranceMs: 10,
  /**
   * A target that answers nothing for this long while requests go out is dead:
   * the run stops instead of timing out for the rest of its plan. Equal to
   * the request timeout, so one timed-out request alone never trips it.
   */
  silenceAbortMs: 10_000,
  /** Warm-up before a `--rate` plateau: JIT, connection pools and key caches settle in 10 s. */
  warmupMs: 10_000,
} as const;

export type PlanSource =
  | { readonly kind: "plan"; readonly plan: RatePlan; readonly label: string }
  | { readonly kind: "file"; readonly path: string };

export interface CliOptions {
  readonly help: boolean;
  readonly targetUrl: string;
  readonly direct: boolean;
  readonly scenario: ScenarioName;
  readonly refund: boolean;
  readonly refundRatio: number;
  readonly planSource: PlanSource;
  readonly scale: number;
  /** undefined: as many as the rate limits need. 0: the dev merchant. */
  readonly merchants: number | undefined;
  readonly maxInFlight: number;
  readonly sockets: number;
  readonly requestTimeoutMs: number;
  readonly gracefulStopMs: number;
  readonly completionTimeoutMs: number;
  readonly silenceAbortMs: number;
  readonly drainTimeoutMs: number;
  readonly errorRateMax: number;
  readonly lateToleranceMs: number;
  readonly currency: string;
  readonly outDir: string;
  readonly verify: boolean;
  /** Leave the run's merchants and keys active after the run (to replay or inspect). */
  readonly keepMerchants: boolean;
  /** Only retire the load-test merchants earlier runs left active, then exit. */
  readonly cleanup: boolean;
}

function intFlag(
  value: string | undefined,
  name: string,
  min: number,
  max: number,
): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max) {
    throw new Error(
      `--${name} must be an integer from ${min} to ${max}: ${value}`,
    );
  }
  return n;
}

function ratioFlag(
  value: string | undefined,
  name: string,
  fallback: number,
): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (value.trim() === "" || !(n >= 0 && n <= 1)) {
    throw new Error(`--${name} must be between 0 and 1: ${value}`);
  }
  return n;
}

function durationFlag(
  value: string | undefined,
  name: string,
  fallback: number,
): number {
  if (value === undefined) return fallback;
  try {
    return parseDuration(value);
  } catch {
    throw new Error(`--${name} must be a duration like 30s or 500ms: ${value}`);
  }
}

/** The flags `parseArgs` accepts (values are checked in parseCliArgs). */
const optionSpec = {
  help: { type: "boolean" },
  target: { type: "string" },
  direct: { type: "boolean" },
  scenario: { type: "string" },
  capture: { type: "boolean" },
  refund: { type: "boolean" },
  "refund-ratio": { type: "string" },
  currency: { type: "string" },
  profile: { type: "string" },
  stages: { type: "string" },
  "start-rate": { type: "string" },
  "stages-file": { type: "string" },
  rate: { type: "string" },
  duration: { type: "string" },
  warmup: { type: "string" },
  scale: { type: "string" },
  merchants: { type: "string" },
  "max-in-flight": { type: "string" },
  sockets: { type: "string" },
  timeout: { type: "string" },
  "late-tolerance": { type: "string" },
  "graceful-stop": { type: "string" },
  "completion-timeout": { type: "string" },
  "abort-after-silence": { type: "string" },
  out: { type: "string" },
  "no-verify": { type: "boolean" },
  "keep-merchants": { type: "boolean" },
  cleanup: { type: "boolean" },
  "drain-timeout": { type: "string" },
  "max-error-rate": { type: "string" },
} as const;

/** Parses the command line over the environment's defaults; throws a message naming the flag. */
export function parseCliArgs(
  args: readonly string[],
  config: LoadtestConfig,
): CliOptions {
  const { values: v } = parseArgs({
    args: [...args],
    strict: true,
    allowPositionals: false,
    options: optionSpec,
  });
  const scenario = scenarioOf(
    v.scenario,
    v.capture === true || config.enableCapture,
  );
  const refund = v.refund === true || config.enableRefund;
  if (refund && scenario !== "flow") {
    throw new Error(
      "--refund (ENABLE_REFUND) needs captured payments: add --capture or --scenario flow",
    );
  }
  const scale = v.scale === undefined ? 1 : parseRate(v.scale, "--scale");
  if (!(scale > 0)) throw new Error(`--scale must be above 0: ${v.scale}`);
  const currency = (v.currency ?? "KRW").toUpperCase();
  if (!isCurrency(currency)) {
    throw new Error(`--currency must be one of ${supportedCurrencies.join(", ")}: ${v.currency}`);
  }
  return {
    help: v.help === true,
    targetUrl: v.target ?? config.targetUrl,
    direct: v.direct === true,
    scenario,
    refund,
    refundRatio: ratioFlag(v["refund-ratio"], "refund-ratio", 1),
    planSource: planSourceOf(v),
    scale,
    merchants: intFlag(v.merchants, "merchants", 0, 2_000),
    maxInFlight: intFlag(v["max-in-flight"], "max-in-flight", 1, 1_000_000) ??
      cliDefaults.maxInFlight,
    sockets: intFlag(v.sockets, "sockets", 1, 100_000) ?? cliDefaults.sockets,
    requestTimeoutMs: durationFlag(
      v.timeout,
      "timeout",
      cliDefaults.requestTimeoutMs,
    ),
    lateToleranceMs: durationFlag(
      v["late-tolerance"],
      "late-tolerance",
      cliDefaults.lateToleranceMs,
    ),
    gracefulStopMs: durationFlag(
      v["graceful-stop"],
      "graceful-stop",
      cliDefaults.gracefulStopMs,
    ),
    completionTimeoutMs: durationFlag(
      v["completion-timeout"],
      "completion-timeout",
      cliDefaults.completionTimeoutMs,
    ),
    silenceAbortMs: durationFlag(
      v["abort-after-silence"],
      "abort-after-silence",
      cliDefaults.silenceAbortMs,
    ),
    drainTimeoutMs: durationFlag(
      v["drain-timeout"],
      "drain-timeout",
      cliDefaults.drainTimeoutMs,
    ),
    errorRateMax: ratioFlag(
      v["max-error-rate"],
      "max-error-rate",
      cliDefaults.errorRateMax,
    ),
    currency,
    outDir: v.out ?? config.resultsDir,
    verify: v["no-verify"] !== true,
    keepMerchants: v["keep-merchants"] === true,
    cleanup: v.cleanup === true,
  };
}

function scenarioOf(flag: string | undefined, capture: boolean): ScenarioName {
  if (flag === undefined) return capture ? "flow" : "authorize";
  if (!(scenarioNames as readonly string[]).includes(flag)) {
    throw new Error(
      `--scenario must be one of ${scenarioNames.join(", ")}: ${flag}`,
    );
  }
  if (flag === "authorize" && capture) {
    throw new Error("--capture contradicts --scenario authorize");
  }
  return flag as ScenarioName;
}

type Values = Record<string, string | boolean | undefined>;

function planSourceOf(v: Values): PlanSource {
  const str = (name: string) => v[name] as string | undefined;
  const chosen = ["profile", "stages", "stages-file", "rate"].filter((name) =>
    v[name] !== undefined
  );
  if (chosen.length > 1) {
    throw new Error(
      `Choose one rate plan, not ${chosen.map((n) => `--${n}`).join(" and ")}`,
    );
  }
  for (const name of ["duration", "warmup"]) {
    if (str(name) !== undefined && str("rate") === undefined) {
      throw new Error(`--${name} goes with --rate`);
    }
  }
  if (str("start-rate") !== undefined && str("stages") === undefined) {
    throw new Error("--start-rate goes with --stages");
  }
  if (str("rate") !== undefined) {
    const rate = parseRate(str("rate")!, "--rate");
    const durationMs = durationFlag(str("duration"), "duration", 60_000);
    const warmupMs = durationFlag(
      str("warmup"),
      "warmup",
      cliDefaults.warmupMs,
    );
    return {
      kind: "plan",
      plan: checkPlan(sustainPlan(rate, durationMs, warmupMs)),
      label: `rate ${rate}/s`,
    };
  }
  if (str("stages-file") !== undefined) {
    return { kind: "file", path: str("stages-file")! };
  }
  if (str("stages") !== undefined) {
    const startRate = str("start-rate") === undefined
      ? 0
      : parseRate(str("start-rate")!, "--start-rate");
    return {
      kind: "plan",
      plan: checkPlan({ startRate, stages: parseStages(str("stages")!) }),
      label: "stages",
    };
  }
  const name = str("profile") ?? "k6";
  const plan = profiles[name];
  if (!plan) {
    throw new Error(
      `--profile must be one of ${Object.keys(profiles).join(", ")}: ${name}`,
    );
  }
  return { kind: "plan", plan, label: `profile ${name}` };
}

/** The plan to run: the file read when one was named, then scaled. */
export async function resolvePlan(
  source: PlanSource,
  scale: number,
  readText: (path: string) => Promise<string>,
): Promise<{ plan: RatePlan; label: string }> {
  const base = source.kind === "file"
    ? {
      plan: parsePlanJson(await readText(source.path)),
      label: `file ${source.path}`,
    }
    : source;
  return {
    plan: scale === 1 ? base.plan : checkPlan(scalePlan(base.plan, scale)),
    label: scale === 1 ? base.label : `${base.label} × ${scale}`,
  };
}
