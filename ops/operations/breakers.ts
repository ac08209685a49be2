import { pingDatabase } from "@pay/lib/db";
import { probeWithin } from "@pay/lib/resilience";
import type { ServiceTarget } from "@pay/lib/config";
import { NotFoundError } from "@pay/lib/domain";
import type { Scrape } from "../metrics/sampler.ts";
import { breakerTransitions, breakerWindow, failureRateOf } from "../metrics/series.ts";
import type { OpsContext } from "./context.ts";

export const breakerStateNames = ["closed", "open", "half-open"] as const;
export type BreakerStateName = typeof breakerStateNames[number];

export function breakerStateName(value: number): BreakerStateName {
  return breakerStateNames[value] ?? "open";
}

export interface BreakerStatus {
  readonly service: string;
  readonly name: string;
  readonly state: BreakerStateName;
  /** Calls since the service started, by result (success, failure, timeout, rejected). */
  readonly calls: Readonly<Record<string, number>>;
}

export interface ServiceScrapeStatus {
  readonly service: string;
  readonly url: string;
  readonly up: boolean;
  readonly error?: string;
}

export interface BreakersReport {
  readonly at: Date;
  readonly services: readonly ServiceScrapeStatus[];
  readonly breakers: readonly BreakerStatus[];
}

function reportOf(scrapes: readonly Scrape[], at: Date): BreakersReport {
  const breakers: BreakerStatus[] = [];
  for (const s of scrapes) {
    for (const [name, b] of Object.entries(s.sample.summary.breakers)) {
      breakers.push({
        service: s.target.name,
        name,
        state: breakerStateName(b.state),
        calls: b.calls,
      });
    }
  }
  return {
    at,
    services: scrapes.map((s) => ({
      service: s.target.name,
      url: s.target.url,
      up: s.sample.up,
      ...(s.sample.error ? { error: s.sample.error } : {}),
    })),
    breakers,
  };
}

/** Every breaker of every service, scraped now from the services' /metrics. */
export async function breakerStatus(ctx: OpsContext): Promise<BreakersReport> {
  return reportOf(await ctx.sampler.scrapeAll(), ctx.now());
}

/** How far back the diagnosis looks at breaker calls. */
export const diagnosisWindowMs = 60_000;
/** Longest wait for one dependency probe of the diagnosis. */
export const probeTimeoutMs = 2_000;

export type ProbeResult = "ok" | string;

/**
 * Failed share of a closed breaker's recent calls from which the diagnosis
 * calls the dependency failing: well above noise, below the 50 % that opens
 * the platform's breakers, so it warns before they trip.
 */
export const failingRateMin = 0.2;
/** Fewest attempted calls in the window from which a failure rate counts: one failed call of one is noise. */
export const failingCallsMin = 3;

/** A share as people read it: `57 %` (one decimal below 10 %). */
export function percentText(rate: number): string {
  const percent = rate * 100;
  return `${percent > 0 && percent < 10 ? percent.toFixed(1) : percent.toFixed(0)} %`;
}

export interface BreakerDiagnosis {
  readonly service: string;
  readonly name: string;
  readonly state: BreakerStateName;
  /** Failed share of the calls in the window (or since start with one scrape); null without calls. */
  readonly recentFailureRate: number | null;
  /** Calls that succeeded, failed or timed out in the window (rejected ones are not attempts). */
  readonly attemptedCalls: number;
  readonly windowSeconds: number | null;
  readonly dependency: string;
  /** True when this breaker's calls fail often enough to call its dependency failing. */
  readonly failing: boolean;
  readonly likelyCause: string;
}

export interface Diagnosis {
  readonly at: Date;
  /**
   * True when every breaker is closed, no breaker's recent calls fail at
   * `failingRateMin` or more, and every service and dependency answers.
   */
  readonly healthy: boolean;
  readonly summary: string;
  /** Dependencies whose calls fail or whose breaker is not closed, e.g. ["PG (pgsim)"]. */
  readonly failingDependencies: readonly string[];
  readonly probes: Readonly<Record<string, ProbeResult>>;
  readonly servicesDown: readonly string[];
  readonly breakers: readonly BreakerDiagnosis[];
}

/** The dependency behind a breaker, from its name (pg-authorize, pg-settlement, bus-publish). */
export function dependencyOf(breakerName: string): "pg" | "bus" | "db" | "unknown" {
  if (breakerName.startsWith("pg")) return "pg";
  if (breakerName.startsWith("bus")) return "bus";
  if (breakerName.startsWith("db")) return "db";
  return "unknown";
}

const dependencyLabels = {
  pg: "PG (pgsim)",
  bus: "event bus",
  db: "MariaDB",
  unknown: "its dependency",
};

function probe(check: () => Promise<unknown>): Promise<ProbeResult> {
  return probeWithin(check, probeTimeoutMs);
}

async function probeDependencies(ctx: OpsContext): Promise<Record<string, ProbeResult>> {
  const redis = ctx.redis;
  const [pg, bus, db, redisProbe] = await Promise.all([
    probe(async () => {
      const res = await ctx.fetch(`${ctx.pgUrl}/health`, {
        signal: AbortSignal.timeout(probeTimeoutMs),
      });
      await res.body?.cancel();
      if (!res.ok) throw new Error(`HTTP ${res.status}`);
    }),
    probe(async () => await (await ctx.bus()).ping()),
    probe(() => pingDatabase(ctx.pool)),
    redis ? probe(() => redis.ping()) : undefined,
  ]);
  // No Redis probe in the embedded profile: it has no Redis to be down.
  return { pg, bus, db, ...(redisProbe === undefined ? {} : { redis: redisProbe }) };
}

function labelOf(dependency: string): string {
  return dependencyLabels[dependency as keyof typeof dependencyLabels] ?? dependency;
}

function likelyCause(
  state: BreakerStateName,
  rate: number | null,
  failing: boolean,
  dependency: string,
  probeResult?: ProbeResult,
): string {
  const label = labelOf(dependency);
  const down = probeResult !== undefined && probeResult !== "ok";
  if (state === "open") {
    return down
      ? `${label} is down (${probeResult}): the breaker sheds calls until it answers again`
      : `${label} answers its probe, but calls failed: the breaker opened on them and half-opens after its reset timeout (or was forced open)`;
  }
  if (state === "half-open") return `Trial call to ${label} pending: the next call decides`;
  if (down) return `${label} is down (${probeResult}); the breaker will open as calls fail`;
  if (failing && rate !== null) {
    return `${label} fails ${percentText(rate)} of calls: slow or erroring`;
  }
  return "Healthy";
}

function windowText(windowSeconds: number | null): string {
  return windowSeconds === null
    ? "since the service started"
    : `in the last ${Math.round(windowSeconds)} s`;
}

function summaryOf(
  breakers: readonly BreakerDiagnosis[],
  depsDown: readonly string[],
  servicesDown: readonly string[],
): string {
  const failing = breakers.filter((b) => b.failing && b.state === "closed");
  const open = breakers.filter((b) => b.state !== "closed");
  const parts = [
    ...failing.map((b) =>
      `${labelOf(b.dependency)} is failing: ${b.service}/${b.name} failed ${
        percentText(b.recentFailureRate!)
      } of ${b.attemptedCalls} calls ${windowText(b.windowSeconds)}`
    ),
    ...open.map((b) => `${labelOf(b.dependency)}: breaker ${b.service}/${b.name} is ${b.state}`),
    depsDown.length ? `Not answering its probe: ${depsDown.map(labelOf).join(", ")}` : "",
    servicesDown.length ? `Services not answering /metrics: ${servicesDown.join(", ")}` : "",
  ].filter(Boolean);
  return parts.length
    ? parts.join("; ")
    : "Healthy: every breaker is closed, calls succeed, every service and dependency answers";
}

/**
 * Which dependencies fail, from what the services really saw: each breaker's
 * state and its calls by result (`circuit_breaker_state`,
 * `circuit_breaker_calls_total` on every service's /metrics) over the last
 * `diagnosisWindowMs` of the ops service's scrapes (a one-shot CLI run has one
 * scrape: the totals since each service started). A probe of each dependency
 * (PG /health, bus ping, MariaDB, Redis) adds whether it answers at all; a PG
 * whose /health answers while its calls fail is failing.
 */
export async function diagnoseBreakers(ctx: OpsContext): Promise<Diagnosis> {
  const [scrapes, probes] = await Promise.all([ctx.sampler.scrapeAll(), probeDependencies(ctx)]);
  const breakers: BreakerDiagnosis[] = [];
  for (const s of scrapes) {
    const history = ctx.sampler.history(s.target.name);
    for (const [name, b] of Object.entries(s.sample.summary.breakers)) {
      const window = breakerWindow(history, name, diagnosisWindowMs);
      const state = breakerStateName(b.state);
      const dependency = dependencyOf(name);
      const calls = window?.calls ?? b.calls;
      const rate = window?.failureRate ?? failureRateOf(b.calls);
      const attemptedCalls = (calls.success ?? 0) + (calls.failure ?? 0) + (calls.timeout ?? 0);
      const failing = rate !== null && rate >= failingRateMin &&
        attemptedCalls >= failingCallsMin;
      breakers.push({
        service: s.target.name,
        name,
        state,
        recentFailureRate: rate,
        attemptedCalls,
        windowSeconds: window && window.fromMs > 0 ? (window.toMs - window.fromMs) / 1_000 : null,
        dependency,
        failing,
        likelyCause: likelyCause(state, rate, failing, dependency, probes[dependency]),
      });
    }
  }
  const servicesDown = scrapes.filter((s) => !s.sample.up).map((s) => s.target.name);
  const depsDown = Object.entries(probes).filter(([, r]) => r !== "ok").map(([d]) => d);
  const troubled = breakers.filter((b) => b.failing || b.state !== "closed");
  const failingDependencies = [
    ...new Set([...troubled.map((b) => b.dependency), ...depsDown].map(labelOf)),
  ];
  const healthy = troubled.length === 0 && servicesDown.length === 0 && depsDown.length === 0;
  return {
    at: ctx.now(),
    healthy,
    summary: summaryOf(breakers, depsDown, servicesDown),
    failingDependencies,
    probes,
    servicesDown,
    breakers,
  };
}

export interface FailurePattern {
  readonly name: string;
  readonly service: string;
  /** "window" (from the ops service's history) or "since-start" (one scrape: totals since the service started). */
  readonly basis: "window" | "since-start";
  readonly windowSeconds: number | null;
  readonly calls: Readonly<Record<string, number>>;
  readonly failureRate: number | null;
  readonly timeoutShare: number | null;
  readonly rejectedShare: number | null;
  readonly transitions: ReadonlyArray<{ at: Date; from: BreakerStateName; to: BreakerStateName }>;
  readonly pattern: string;
}

/** Longest history window a failure pattern may ask for: the sampler keeps about this much. */
export const failurePatternWindowSecondsMax = 86_400;

function patternOf(calls: Readonly<Record<string, number>>, transitionCount: number): string {
  const failures = calls.failure ?? 0;
  const timeouts = calls.timeout ?? 0;
  const rejected = calls.rejected ?? 0;
  const success = calls.success ?? 0;
  const total = failures + timeouts + rejected + success;
  if (total === 0) return "No calls in the window";
  if (transitionCount >= 3) {
    return "Flapping: the breaker opened and closed repeatedly (intermittent dependency)";
  }
  if (rejected > (failures + timeouts + success)) {
    return "Shedding: most calls were rejected by an open breaker";
  }
  if (timeouts > failures && timeouts > 0) {
    return "Timeouts dominate: the dependency is slow or unreachable";
  }
  if (failures > 0 && failures >= timeouts) {
    return "Errors dominate: the dependency answers with failures";
  }
  return "Healthy: calls succeed";
}

/** Calls, failure shares and state changes of one breaker over a window (per service having it). */
export async function failurePattern(
  ctx: OpsContext,
  name: string,
  windowSeconds: number,
): Promise<{ patterns: FailurePattern[] }> {
  const scrapes = await ctx.sampler.scrapeAll();
  const patterns: FailurePattern[] = [];
  for (const s of scrapes) {
    if (!s.sample.summary.breakers[name]) continue;
    const history = ctx.sampler.history(s.target.name);
    const windowMs = windowSeconds * 1_000;
    const window = breakerWindow(history, name, windowMs)!;
    const inWindow = history.filter((h) => h.atMs >= s.sample.atMs - windowMs);
    const transitions = breakerTransitions(inWindow, name);
    const counted = Object.values(window.calls).reduce((n, v) => n + v, 0);
    const share = (v: number | undefined) => (counted > 0 ? (v ?? 0) / counted : null);
    patterns.push({
      name,
      service: s.target.name,
      basis: window.fromMs > 0 ? "window" : "since-start",
      windowSeconds: window.fromMs > 0 ? (window.toMs - window.fromMs) / 1_000 : null,
      calls: window.calls,
      failureRate: window.failureRate,
      timeoutShare: share(window.calls.timeout),
      rejectedShare: share(window.calls.rejected),
      transitions: transitions.map((t) => ({
        at: new Date(t.atMs),
        from: breakerStateName(t.from),
        to: breakerStateName(t.to),
      })),
      pattern: patternOf(window.calls, transitions.length),
    });
  }
  if (patterns.length === 0) throw new NotFoundError(`No service exports a breaker named: ${name}`);
  return { patterns };
}

export interface ForceResult {
  readonly service: string;
  readonly ok: boolean;
  readonly status: number | null;
  readonly detail: unknown;
}

/**
 * Forces breaker `name` open or closed in every service that has it (or only
 * `service`), through their `/admin/breakers` routes (lib/http/breaker_admin.ts).
 */
export async function forceBreaker(
  ctx: OpsContext,
  name: string,
  action: "open" | "close",
  service?: string,
): Promise<{ name: string; action: string; results: ForceResult[] }> {
  const scrapes = await ctx.sampler.scrapeAll();
  let targets: ServiceTarget[] = scrapes.filter((s) => s.sample.summary.breakers[name]).map((s) =>
    s.target
  );
  if (service !== undefined) {
    const target = ctx.sampler.targets.find((t) => t.name === service);
    if (!target) throw new NotFoundError(`No such service in OPS_SCRAPE_TARGETS: ${service}`);
    targets = [target];
  }
  if (targets.length === 0) throw new NotFoundError(`No service exports a breaker named: ${name}`);
  const results = await Promise.all(targets.map(async (target): Promise<ForceResult> => {
    try {
      const res = await ctx.fetch(
        `${target.url}/admin/breakers/${encodeURIComponent(name)}/${action}`,
        {
          method: "POST",
          headers: ctx.opsToken ? { authorization: `Bearer ${ctx.opsToken}` } : {},
          signal: AbortSignal.timeout(probeTimeoutMs),
        },
      );
      const text = await res.text();
      let detail: unknown = text;
      try {
        detail = JSON.parse(text);
      } catch { /* plain text */ }
      return { service: target.name, ok: res.ok, status: res.status, detail };
    } catch (error) {
      return { service: target.name, ok: false, status: null, detail: String(error) };
    }
  }));
  return { name, action, results };
}
