import type { SweepConfig } from "@pay/lib/config";
import {
  type Db,
  readSweepCursor,
  saveSweepCursor,
  type SweepPosition,
  type SweepRow,
  type SweepScan,
} from "@pay/lib/db";
import type { Registry } from "@pay/lib/metrics";
import type { WorkerLog } from "../settlement/log.ts";
import type { PassResult } from "./loop.ts";
import { sweeperMetrics } from "./sweeper_metrics.ts";

/** What a sweeper pass needs. */
export interface SweepDeps {
  readonly pool: Db;
  readonly config: SweepConfig;
  readonly registry: Registry;
  readonly log: WorkerLog;
}

/** Ids one repair log line names at most; the counters carry the totals. */
export const loggedIdsMax = 20;

/** One table a sweeper walks, and how it repairs a row whose effect is missing. */
export interface SweepSource<Row extends SweepRow> {
  /** Its cursor's name, e.g. `ledger:capture`. */
  readonly name: string;
  scan(scan: SweepScan): Promise<Row[]>;
  /** Creates the missing effect; false when it exists meanwhile (a consumer was faster). */
  repair(row: Row): Promise<boolean>;
  /** The id a log line names for the row. */
  idOf(row: Row): string;
}

export interface SourcePass {
  readonly found: number;
  readonly repairedIds: readonly string[];
  readonly more: boolean;
}

/**
 * Checks the rows of one source that settled since its cursor, oldest first,
 * up to SWEEP_BATCH_SIZE, repairs those whose effect is missing, and moves
 * the cursor past what it checked. It stops at a row whose event has not
 * left the outbox for SWEEP_GRACE_MS yet (NEW: the relay still owes it; just
 * published: the consumer may be on its way) and checks it again next pass:
 * an outbox backlog is never mistaken for a loss. The cursor starts (and
 * never lags more than) SWEEP_LOOKBACK_MS back.
 */
export async function sweepSource<Row extends SweepRow>(
  deps: SweepDeps,
  source: SweepSource<Row>,
  now: Date,
): Promise<SourcePass> {
  const { config } = deps;
  const until = new Date(now.getTime() - config.graceMs);
  const floor: SweepPosition = { at: new Date(now.getTime() - config.lookbackMs), id: "" };
  const saved = await readSweepCursor(deps.pool, source.name);
  const after = saved && saved.at.getTime() >= floor.at.getTime() ? saved : floor;
  const rows = await source.scan({ after, until, limit: config.batchSize });
  let position: SweepPosition | undefined;
  let waiting = false;
  let found = 0;
  const repairedIds: string[] = [];
  for (const row of rows) {
    const event = row.event;
    if (event && (event.status === "NEW" || event.leftAt.getTime() > until.getTime())) {
      waiting = true;
      break;
    }
    if (!event) {
      // Cannot happen: the state change and its event commit together. Say so loudly, go on.
      deps.log("sweeper_event_missing", { source: source.name, id: source.idOf(row) });
    } else if (!row.applied) {
      found++;
      if (await source.repair(row)) repairedIds.push(source.idOf(row));
    }
    position = row.position;
  }
  if (position) await saveSweepCursor(deps.pool, source.name, position);
  return { found, repairedIds, more: !waiting && rows.length === config.batchSize };
}

/** Sweeps every source of `sweeper`, then counts and logs the pass. */
export async function sweepAll<Row extends SweepRow>(
  deps: SweepDeps,
  sweeper: string,
  sources: readonly SweepSource<Row>[],
  now: Date,
): Promise<PassResult> {
  let found = 0;
  let more = false;
  const repairedIds: string[] = [];
  for (const source of sources) {
    const pass = await sweepSource(deps, source, now);
    found += pass.found;
    repairedIds.push(...pass.repairedIds);
    more ||= pass.more;
  }
  const metrics = sweeperMetrics(deps.registry);
  if (found > 0) metrics.found.inc({ sweeper }, found);
  if (repairedIds.length > 0) {
    metrics.repaired.inc({ sweeper }, repairedIds.length);
    deps.log("sweeper_repaired", {
      sweeper,
      found,
      repaired: repairedIds.length,
      ids: repairedIds.slice(0, loggedIdsMax),
    });
  }
  return { items: repairedIds.length, more };
}
