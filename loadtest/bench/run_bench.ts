import { devInternalSecret } from "@pay/lib/config";
import type { PaymentExpectation } from "../scenario/expectation.ts";
import { createLoadMerchants, newRunId } from "../setup/merchants.ts";
import type { Verdict } from "../verify/verdict.ts";
import {
  type BenchPlace,
  type BenchStack,
  settle,
  startBenchStack,
  verifyBenchStack,
} from "./bench_stack.ts";
import { generatorCost, nginxCapacity, rawCapacity } from "./comparisons.ts";
import { embeddedGatewayCapacity } from "./embedded.ts";
import { type CpuShares, formatCpuShares, pidsByName, startCpuMeter } from "./cpu.ts";
import { authorizeCapacity, flowResult, openRun, sustainedResult, type Target } from "./phases.ts";
import { overloadRun } from "./overload.ts";
import { measureRelay } from "./relay_throughput.ts";
import type { BenchSettings } from "./settings.ts";
import {
  type BenchMeasurements,
  type BenchRatios,
  evaluateTargets,
  ratiosOf,
  type TargetResult,
} from "./summary.ts";

/** Everything measured on the scale-out stack (the embedded row comes from a stack of its own). */
type ScaleOutMeasurements = Omit<BenchMeasurements, "embeddedGateway">;

/** Merchants the bench spreads its load over (limits are raised, so a few suffice). */
const benchMerchants = 4;

export interface BenchReport {
  readonly mode: BenchSettings["mode"];
  readonly startedAt: string;
  readonly seconds: number;
  readonly machine: { cpus: number; loadAverageBefore: number[]; loadAverageAfter: number[] };
  readonly settings: BenchSettings;
  readonly measurements: BenchMeasurements;
  readonly ratios: BenchRatios;
  readonly targets: readonly TargetResult[];
  /** CPU of each process by phase, in % of one core (`generator` is this process). */
  readonly cpu: Record<string, CpuShares>;
  readonly verdict: Verdict;
}

/** Runs every measurement on a fresh stack it starts and stops itself. */
export async function runBench(
  settings: BenchSettings,
  place: BenchPlace,
  print: (line: string) => void,
): Promise<BenchReport> {
  const startedAt = new Date();
  const loadAverageBefore = Deno.loadavg();
  const bench = await startBenchStack(place, print);
  let scaleOut: Awaited<ReturnType<typeof measureAll>>;
  try {
    scaleOut = await measureAll(settings, place, bench, startedAt, print);
  } finally {
    await bench.close();
  }
  // After the scale-out stack stopped: the two profiles never share the cores.
  const embedded = await embeddedGatewayCapacity({
    concurrency: settings.concurrency,
    seconds: settings.capacitySeconds,
    warmupSeconds: settings.warmupSeconds,
    runId: newRunId(),
  }, print);
  const measurements = { ...scaleOut.measurements, embeddedGateway: embedded.capacity };
  const cpu = { ...scaleOut.cpu, embedded: embedded.cpu };
  const verdict = scaleOut.verdict;
  {
    const ratios = ratiosOf(measurements);
    return {
      mode: settings.mode,
      startedAt: startedAt.toISOString(),
      seconds: Math.round((Date.now() - startedAt.getTime()) / 1000),
      machine: {
        cpus: navigator.hardwareConcurrency,
        loadAverageBefore,
        loadAverageAfter: Deno.loadavg(),
      },
      settings,
      measurements,
      ratios,
      targets: evaluateTargets(measurements, ratios),
      cpu,
      verdict,
    };
  }
}

/** Runs `work` while measuring the CPU of every process of the stack, MariaDB and Redis. */
function cpuPhases(bench: BenchStack, print: (line: string) => void) {
  const pids = new Map(bench.stack.services.map((s) => [s.name, s.pid]));
  for (const [name, pid] of pidsByName(["mariadbd", "mysqld", "redis-server"])) pids.set(name, pid);
  const cpu: Record<string, CpuShares> = {};
  const measured = async <T>(name: string, work: () => Promise<T>, extra?: Map<string, number>) => {
    const meter = startCpuMeter(new Map([...pids, ...(extra ?? [])]));
    const value = await work();
    cpu[name] = meter.stop();
    print(`  CPU (% of one core) during ${name}: ${formatCpuShares(cpu[name]!)}`);
    return value;
  };
  return { cpu, measured };
}

/** What every phase needs: the stack, the two ways in, the CPU meter, the payments made so far. */
interface Session {
  readonly settings: BenchSettings;
  readonly place: BenchPlace;
  readonly bench: BenchStack;
  readonly runId: string;
  readonly gateway: Target;
  readonly direct: Target;
  readonly expected: Map<string, PaymentExpectation>;
  readonly measured: ReturnType<typeof cpuPhases>["measured"];
  readonly print: (line: string) => void;
}

/** Warm-up, then (a) direct and gateway, (b) nginx, (c) raw transactions: closed loops. */
async function capacityPhases(x: Session) {
  const { concurrency, capacitySeconds: seconds, warmupSeconds } = x.settings;
  const capacity = (target: Target, runSeconds: number, suffix: string) =>
    authorizeCapacity(target, concurrency, runSeconds, `${x.runId}${suffix}`, x.expected);
  x.print(`Warm-up: ${warmupSeconds} s direct and through the gateway`);
  await capacity(x.direct, warmupSeconds, "w1");
  await capacity(x.gateway, warmupSeconds, "w2");
  x.print(`(a) Authorize capacity, ${concurrency} in flight, ${seconds} s each`);
  const direct = await x.measured("direct", () => capacity(x.direct, seconds, "d"));
  const gateway = await x.measured("gateway", () => capacity(x.gateway, seconds, "g"));
  const run = { concurrency, seconds, runId: `${x.runId}n` };
  const nginx = await nginxCapacity(
    x.direct,
    x.bench.stack.ingestUrls,
    run,
    x.expected,
    x.measured,
    x.print,
  );
  x.print(`(c) Raw MariaDB transactions, ${concurrency} in flight, ${seconds} s`);
  const raw = await x.measured(
    "raw-transaction",
    () => rawCapacity(`${x.place.databaseName}_raw`, { ...run, runId: x.runId }),
  );
  await settle(x.bench.db.pool);
  return { direct, gateway, nginx, raw };
}

/** (h) A step to 10x the gateway's closed-loop capacity: goodput and accepted latency under overload. */
async function overloadPhase(x: Session, capacityPerSecond: number) {
  const s = x.settings;
  const rate = Math.max(1, Math.round(s.overloadFactor * capacityPerSecond));
  x.print(
    `(h) Overload: authorize ${rate}/s (${s.overloadFactor}x the capacity (a)) for ${s.overloadSeconds} s`,
  );
  const result = await x.measured("overload", () =>
    overloadRun(
      x.gateway,
      { rate, seconds: s.overloadSeconds, gracefulStopSeconds: s.gracefulStopSeconds },
      capacityPerSecond,
      `${x.runId}o`,
      x.expected,
    ));
  await settle(x.bench.db.pool);
  return result;
}

/** The open-model runs through the gateway: sustained authorize, then flows. */
async function openPhases(x: Session) {
  const s = x.settings;
  const run = (
    scenario: "authorize" | "flow",
    rate: number,
    seconds: number,
    warmupSeconds: number,
  ) =>
    openRun(
      x.gateway,
      scenario,
      {
        rate,
        seconds,
        warmupSeconds,
        gracefulStopSeconds: s.gracefulStopSeconds,
      },
      `${x.runId}${scenario[0]}`,
      x.bench.db.pool,
      x.print,
    );
  x.print(`Sustained authorize: ${s.sustainedRate}/s for ${s.sustainedSeconds} s (open model)`);
  const sustained = await x.measured(
    "sustained",
    () => run("authorize", s.sustainedRate, s.sustainedSeconds, s.sustainedWarmupSeconds),
  );
  await settle(x.bench.db.pool);
  x.print(`Flow: ${s.flowRate} flows/s for ${s.flowSeconds} s (authorize → capture → CAPTURED)`);
  const flow = await x.measured(
    "flow",
    () => run("flow", s.flowRate, s.flowSeconds, s.flowWarmupSeconds),
  );
  for (const r of [sustained, flow]) {
    for (const [id, status] of r.result.expected) x.expected.set(id, status);
  }
  return { sustained, flow };
}

async function measureAll(
  settings: BenchSettings,
  place: BenchPlace,
  bench: BenchStack,
  startedAt: Date,
  print: (line: string) => void,
): Promise<
  { measurements: ScaleOutMeasurements; cpu: Record<string, CpuShares>; verdict: Verdict }
> {
  const runId = newRunId();
  const merchants = await createLoadMerchants(bench.db.pool, runId, benchMerchants, "test");
  const signed = { kind: "signed" as const, secret: devInternalSecret };
  const { cpu, measured } = cpuPhases(bench, print);
  const session: Session = {
    settings,
    place,
    bench,
    runId,
    gateway: { url: bench.stack.gatewayUrl, auth: { kind: "bearer" }, merchants },
    direct: { url: bench.stack.ingestUrls[0]!, auth: signed, merchants },
    expected: new Map(),
    measured,
    print,
  };
  const capacity = await capacityPhases(session);
  const overload = await overloadPhase(session, capacity.gateway.okPerSecond);
  const { sustained, flow } = await openPhases(session);
  print(`(d) Outbox relay: ${settings.relayPayments * 3} events`);
  const relay = await measured(
    "relay",
    () => measureRelay(`${place.databaseName}_relay`, settings.relayPayments),
  );
  print(`(f) The generator alone: ${settings.sustainedRate}/s against a static nginx answer`);
  const generator = await measured(
    "generator-alone",
    () => generatorCost(settings.sustainedRate, settings.generatorSeconds, `${runId}x`),
  );
  print(`Checking the stack's database (drain wait up to ${settings.drainTimeoutMs / 1000} s)...`);
  const verdict = await verifyBenchStack(bench, {
    expected: session.expected,
    merchantIds: merchants.map((m) => m.merchantId),
    startedAt,
    openRuns: [sustained.result, flow.result],
    drainTimeoutMs: settings.drainTimeoutMs,
  }, print);
  const measurements: ScaleOutMeasurements = {
    ...capacity,
    sustained: sustainedResult(sustained, settings.sustainedRate),
    flow: flowResult(flow, settings.flowRate),
    relay,
    generator,
    overload,
  };
  return { measurements, cpu, verdict };
}
