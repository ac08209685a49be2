import { countUnreplayedDlqMessages } from "@pay/lib/db";
import { topics } from "@pay/lib/domain";
import type { Redis } from "@pay/lib/redis";
import type { OpsContext } from "./context.ts";

export interface StreamHealth {
  readonly topic: string;
  /** Entries in the topic's Redis stream (bounded by BUS_STREAM_MAXLEN). */
  readonly length: number;
  readonly groups: ReadonlyArray<{
    readonly group: string;
    /** Delivered, not yet acknowledged. */
    readonly pending: number;
    /** Entries not yet delivered to the group (null when Redis cannot tell). */
    readonly lag: number | null;
  }>;
}

export interface BusHealth {
  readonly kind: string;
  readonly reachable: boolean;
  readonly error?: string;
  /** Redis bus only: each topic stream and its consumer groups. */
  readonly streams: readonly StreamHealth[];
  /** Archived dead letters never replayed. */
  readonly dlqPending: number;
  /** True when the bus answers and no consumer group has pending or lagging messages over the bound. */
  readonly healthy: boolean;
}

/** Messages behind in one group above which the bus is reported unhealthy (a stuck consumer). */
export const groupLagUnhealthyMin = 10_000;

function fieldsOf(flat: unknown[]): Map<string, unknown> {
  const fields = new Map<string, unknown>();
  for (let i = 0; i + 1 < flat.length; i += 2) fields.set(String(flat[i]), flat[i + 1]);
  return fields;
}

async function streamHealth(redis: Redis, topic: string): Promise<StreamHealth> {
  const key = `stream:${topic}`;
  const length = await redis.xlen(key);
  if (length === 0) return { topic, length, groups: [] };
  const groups = (await redis.xinfo("GROUPS", key).catch(() => [])) as unknown[][];
  return {
    topic,
    length,
    groups: groups.map((g) => {
      const f = fieldsOf(g);
      const lag = f.get("lag");
      return {
        group: String(f.get("name")),
        pending: Number(f.get("pending") ?? 0),
        lag: lag === null || lag === undefined ? null : Number(lag),
      };
    }),
  };
}

/** Whether the bus answers, and (Redis Streams) each topic's length and consumer groups' backlog. */
export async function busHealth(ctx: OpsContext): Promise<BusHealth> {
  let error: string | undefined;
  try {
    await (await ctx.bus()).ping();
  } catch (e) {
    error = e instanceof Error ? e.message : String(e);
  }
  // The streams of a Redis bus are read through ops' own client (none under embedded).
  const redis = ctx.busKind === "redis" && error === undefined ? ctx.redis : null;
  const streams = redis
    ? await Promise.all(Object.values(topics).map((t) => streamHealth(redis, t)))
    : [];
  const dlqPending = await countUnreplayedDlqMessages(ctx.pool);
  const stuck = streams.some((s) =>
    s.groups.some((g) => g.pending > groupLagUnhealthyMin || (g.lag ?? 0) > groupLagUnhealthyMin)
  );
  return {
    kind: ctx.busKind,
    reachable: error === undefined,
    ...(error === undefined ? {} : { error }),
    streams,
    dlqPending,
    healthy: error === undefined && !stuck,
  };
}
