import type { PipelineBus } from "@pay/lib/bus";
import type { RedisConfig, WorkersConfig } from "@pay/lib/config";
import type { Db } from "@pay/lib/db";
import type { AnyBreaker } from "@pay/lib/http";
import type { Registry } from "@pay/lib/metrics";

/** A running worker module. `stop` finishes in-flight work, then returns. */
export interface Worker {
  stop(): Promise<void>;
}

/** What main.ts builds once and hands to every worker module. */
export interface WorkerDeps {
  readonly config: WorkersConfig;
  readonly redis: RedisConfig;
  readonly pool: Db;
  readonly bus: PipelineBus;
  readonly registry: Registry;
  /** Breakers of the running modules by name, for ops' force-open/close routes. */
  readonly breakers: Map<string, AnyBreaker>;
}

/** A worker module main.ts can run; `name` is what WORKERS_DISABLED lists. */
export interface WorkerModule {
  readonly name: string;
  start(deps: WorkerDeps): Promise<Worker>;
}
