/**
 * DLQ command: list dead letters, or replay selected ones to their original
 * topics (recorded in dlq_replay). See workers/README.md for examples.
 *
 *   deno task dlq --list [--topic T] [--from ISO] [--to ISO] [--include-replayed] [--limit N]
 *   deno task dlq --replay (--id 1,2 | --topic T | --from ISO --to ISO) [--include-replayed] [--by NAME]
 */
import { parseArgs } from "node:util";
import { createBus } from "@pay/lib/bus";
import { processEnv, readBusConfig, readRedisConfig, readStorageConfig } from "@pay/lib/config";
import { type DlqFilter, dlqRowsMax, listDlqMessages, openStorage } from "@pay/lib/db";
import { DomainError } from "@pay/lib/domain";
import { type DlqSelection, replayDlq } from "./replay.ts";

/** Rows a listing prints unless --limit says otherwise. */
const listLimitDefault = 100;

class UsageError extends Error {}

function selectionOf(values: Record<string, string | boolean | undefined>): DlqSelection {
  const date = (name: string) => {
    const text = values[name] as string | undefined;
    if (text === undefined) return undefined;
    const parsed = new Date(text);
    if (Number.isNaN(parsed.getTime())) throw new UsageError(`--${name}: not a timestamp: ${text}`);
    return parsed;
  };
  const idsText = values.id as string | undefined;
  const ids = idsText?.split(",").map((s) => {
    const id = Number(s.trim());
    if (!Number.isSafeInteger(id) || id < 1) throw new UsageError(`--id: not an id: ${s}`);
    return id;
  });
  const limitText = values.limit as string | undefined;
  const limit = limitText === undefined ? undefined : Number(limitText);
  if (limit !== undefined && !(Number.isInteger(limit) && limit >= 1 && limit <= dlqRowsMax)) {
    throw new UsageError(`--limit: expected 1..${dlqRowsMax}: ${limitText}`);
  }
  return {
    ids,
    originalTopic: values.topic as string | undefined,
    from: date("from"),
    to: date("to"),
    includeReplayed: values["include-replayed"] === true,
    limit,
  };
}

async function main(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      list: { type: "boolean" },
      replay: { type: "boolean" },
      id: { type: "string" },
      topic: { type: "string" },
      from: { type: "string" },
      to: { type: "string" },
      "include-replayed": { type: "boolean" },
      limit: { type: "string" },
      by: { type: "string" },
    },
  });
  if (values.list === values.replay) throw new UsageError("Give exactly one of --list or --replay");
  const selection = selectionOf(values);
  const env = processEnv();
  const pool = await openStorage(readStorageConfig(env), { poolSizeMax: 2 });
  try {
    if (values.list) {
      const filter: DlqFilter = { ...selection, limit: selection.limit ?? listLimitDefault };
      console.log(JSON.stringify(await listDlqMessages(pool, filter), null, 2));
      return 0;
    }
    const bus = await createBus(readBusConfig(env), { redis: readRedisConfig(env) });
    try {
      const by = values.by ?? `cli:${Deno.env.get("USER") ?? "unknown"}`;
      const result = await replayDlq(pool, bus, selection, by);
      console.log(JSON.stringify(result, null, 2));
      return 0;
    } finally {
      await bus.close();
    }
  } finally {
    await pool.close();
  }
}

if (import.meta.main) {
  try {
    Deno.exit(await main(Deno.args));
  } catch (error) {
    const usage = error instanceof UsageError || error instanceof DomainError ||
      (error as { code?: string }).code?.startsWith("ERR_PARSE_ARGS");
    console.error(usage ? `Usage error: ${(error as Error).message}` : error);
    Deno.exit(usage ? 2 : 1);
  }
}
