import type { RateLimitClass, RateLimitRule } from "@pay/lib/config";
import { NotInProfileError } from "@pay/lib/domain";
import type { Db } from "@pay/lib/db";
import type { PgSettlementReport } from "@pay/lib/pg";
import type { Redis } from "@pay/lib/redis";
import type { FetchFn, MetricsSampler } from "../metrics/sampler.ts";

/** The part of the event bus ops uses: DLQ replay publishes, bus health pings. */
export interface OpsBus {
  publish(
    messages: ReadonlyArray<
      { topic: string; key: string; value: string; headers: Record<string, string> }
    >,
  ): Promise<void>;
  ping(): Promise<void>;
}

/**
 * Everything an operation may touch. The ops service, the MCP server and the
 * CLI build one each (context_env.ts); tests build theirs over test databases.
 */
export interface OpsContext {
  readonly pool: Db;
  /**
   * A client with the platform's key prefix (the one the gateway and ingest
   * write under); null in the embedded profile, which opens no Redis
   * connection (use `redisOf` to say so in an operation's answer).
   */
  readonly redis: Redis | null;
  readonly redisKeyPrefix: string;
  /** `redis`, `kafka`, `embedded` or `memory`: which bus `bus()` reaches. */
  readonly busKind: string;
  /** The bus, connected on first use (read-only commands never connect). */
  bus(): Promise<OpsBus>;
  readonly sampler: MetricsSampler;
  readonly rateLimitRules: Readonly<Record<RateLimitClass, RateLimitRule>>;
  /** The PG's settlement report of a UTC day, for reconciliation. */
  readonly fetchReport: (date: string) => Promise<PgSettlementReport>;
  /** Base URL of the PG (pgsim): diagnosis probes its /health. */
  readonly pgUrl: string;
  /** Token sent to the services' /admin/breakers; null when not configured. */
  readonly opsToken: string | null;
  readonly fetch: FetchFn;
  readonly now: () => Date;
}

/**
 * The Redis client of an operation on a Redis role, or a 409
 * NotInProfileError under the embedded profile; `instead` says where the
 * role is played there.
 */
export function redisOf(ctx: OpsContext, instead: string): Redis {
  if (ctx.redis) return ctx.redis;
  throw new NotInProfileError(
    `Not applicable in the embedded profile: ${instead}; Redis plays this role under PROFILE=scale-out`,
  );
}
