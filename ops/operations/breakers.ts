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

export interface BreakerDiagnosis {
  readonly service: string;
  readonly name: string;
  readonly state: BreakerStateName;
  /** Failed share of the calls in the window (or since start with one scrape); null without calls. */
  readonly recentFailureRate: number | null;
  readonly windowSeconds: number | null;
  readonly dependency: string;
  readonly likelyCause: string;
}

export interface Diagnosis {
  readonly at: Date;
  /** True when every breaker is closed and every service and dependency answers. */
  readonly healthy: boolean;
  readonly summary: string;
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
  const [pg, bus, db, redis] = await Promise.all([
    probe(async () => {
      const res = await ctx.fetch(`${ctx.pgUrl}/health`, {
        signal: AbortSignal.timeout(probeTimeoutMs),
      });
      await res.body?.cancel();
      if (!res.ok) throw new Error(`HTTP ${res.status}`);
    }),
    probe(async () => await (await ctx.bus()).ping()),
    probe(() => ctx.pool.query("SELECT 1")),
    probe(() => ctx.redis.ping()),
  ]);
  return { pg, bus, db, redis };
}

function likelyCause(
  state: BreakerStateName,
  rate: number | null,
  dependency: string,
  probeResult?: ProbeResult,
): string {
  const label = dependencyLabels[dependency as keyof typeof dependencyLabels] ?? dependency;
  const down = probeResult !== undefined && probeResult !== "ok";
  if (state === "open") {
    return down
      ? `${label} is down (${probeResult}): the breaker sheds calls until it answers again`
      : `${label} answers now; the breaker opened on earlier failures and half-opens after its reset timeout (or was forced open)`;
  }
  if (state === "half-open") return `Trial call to ${label} pending: the next call decides`;
  if (down) return `${label} is down (${probeResult}); the breaker will open as calls fail`;
  if (rate !== null && rate >= failingRateMin) {
    return `${label} is failing ${(rate * 100).toFixed(0)}% of calls: slow or erroring`;
  }
  return "Healthy";
}

/**
 * Which breakers are open, their recent failure rate, and the likely cause,
 * from the services' metrics plus a probe of each dependency (PG /health,
 * bus ping, MariaDB, Redis).
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
      const rate = window?.failureRate ?? failureRateOf(b.calls);
      breakers.push({
        service: s.target.name,
        name,
        state,
        recentFailureRate: rate,
        windowSeconds: window && window.fromMs > 0 ? (window.toMs - window.fromMs) / 1_000 : null,
        dependency,
        likelyCause: likelyCause(state, rate, dependency, probes[dependency]),
      });
    }
  }
  const servicesDown = scrapes.filter((s) => !s.sample.up).map((s) => s.target.name);
  const open = breakers.filter((b) => b.state !== "closed");
  const depsDown = Object.entries(probes).filter(([, r]) => r !== "ok").map(([d]) => d);
  const healthy = open.length === 0 && servicesDown.length === 0 && depsDown.length === 0;
  const summary = healthy ? "All breakers closed; every service and dependency answers" : [
    open.length
      ? `Breakers not closed: ${open.map((b) => `${b.service}/${b.name} (${b.state})`).join(", ")}`
      : "",
    depsDown.length ? `Dependencies down: ${depsDown.join(", ")}` : "",
    servicesDown.length ? `Services not answering /metrics: ${servicesDown.join(", ")}` : "",
  ].filter(Boolean).join("; ");
  return { at: ctx.now(), healthy, summary, probes, servicesDown, breakers };
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
