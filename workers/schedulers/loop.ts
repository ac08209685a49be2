import { latencyBucketsSeconds, prom, type Registry } from "@pay/lib/metrics";
import type { WorkerLog } from "../settlement/log.ts";

/**
 * Passes one tick may run back to back while each comes back full. Lets a
 * backlog drain faster than one batch per interval without letting one
 * scheduler hold its connections forever.
 */
export const passesPerTickMax = 20;

/** What one pass did: how many items it handled, and whether there may be more due now. */
export interface PassResult {
  readonly items: number;
  readonly more: boolean;
}

export interface IntervalLoopOptions {
  /** Metric label and log name, e.g. `authorization-expiry`. */
  readonly name: string;
  readonly intervalMs: number;
  readonly pass: () => Promise<PassResult>;
  readonly registry: Registry;
  readonly log: WorkerLog;
}

export interface RunningLoop {
  /** Stops scheduling and waits for the running pass to finish. */
  stop(): Promise<void>;
  /** Runs a tick now (tests, ops) unless one is running; resolves when it is done. */
  tickNow(): Promise<void>;
}

interface LoopMetrics {
  readonly runs: prom.Counter<"name" | "result">;
  readonly items: prom.Counter<"name">;
  readonly duration: prom.Histogram<"name">;
}

const metricsByRegistry = new WeakMap<Registry, LoopMetrics>();

function loopMetrics(registry: Registry): LoopMetrics {
  const known = metricsByRegistry.get(registry);
  if (known) return known;
  const registers = [registry];
  const metrics: LoopMetrics = {
    runs: new prom.Counter({
      name: "scheduler_runs_total",
      help: "Scheduler passes by scheduler name and result (ok, error)",
      labelNames: ["name", "result"],
      registers,
    }),
    items: new prom.Counter({
      name: "scheduler_items_total",
      help: "Items a scheduler handled (payments expired, requests retried, records purged)",
      labelNames: ["name"],
      registers,
    }),
    duration: new prom.Histogram({
      name: "scheduler_run_duration_seconds",
      help: "Duration of one scheduler pass",
      labelNames: ["name"],
      buckets: latencyBucketsSeconds,
      registers,
    }),
  };
  metricsByRegistry.set(registry, metrics);
  return metrics;
}

/**
 * Runs `pass` every `intervalMs` (the first tick after one interval, so
 * several processes starting together do not all sweep at once), and again
 * at once while a pass reports more due work. A failing pass is logged and
 * counted; the loop goes on. Passes never overlap.
 */
export function startIntervalLoop(options: IntervalLoopOptions): RunningLoop {
  const metrics = loopMetrics(options.registry);
  let timer: ReturnType<typeof setTimeout> | undefined;
  let stopped = false;
  let running: Promise<void> | undefined;

  async function tick(): Promise<void> {
    for (let pass = 0; pass < passesPerTickMax && !stopped; pass++) {
      const end = metrics.duration.startTimer({ name: options.name });
      try {
        const result = await options.pass();
        metrics.runs.inc({ name: options.name, result: "ok" });
        if (result.items > 0) metrics.items.inc({ name: options.name }, result.items);
        if (!result.more) return;
      } catch (error) {
        metrics.runs.inc({ name: options.name, result: "error" });
        options.log("scheduler_pass_failed", { scheduler: options.name, error: String(error) });
        return;
      } finally {
        end();
      }
    }
  }

  function runTick(): Promise<void> {
    if (!running) {
      running = tick().finally(() => {
        running = undefined;
        schedule();
      });
    }
    return running;
  }

  function schedule(): void {
    clearTimeout(timer);
    if (!stopped) timer = setTimeout(runTick, options.intervalMs);
  }

  schedule();
  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
    tickNow: runTick,
  };
}
