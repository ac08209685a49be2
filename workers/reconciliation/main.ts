/**
 * `deno task reconcile [--date YYYY-MM-DD] [--json]`: reconciles one UTC day
 * (default: today) against the PG's settlement report and the ledger, stores
 * the run, prints it. Exit status: 0 clean, 1 mismatches found, 2 the run
 * could not be made (bad arguments, PG or MariaDB unreachable).
 */
import { parseArgs } from "node:util";
import { processEnv, readSettlementConfig, readStorageConfig } from "@pay/lib/config";
import { openStorage } from "@pay/lib/db";
import { fetchPgSettlementReport } from "@pay/lib/pg";
import { formatReport } from "./format.ts";
import { utcDateOf, utcDay } from "./reconcile.ts";
import { runReconciliation } from "./run.ts";

const usage = "Usage: deno task reconcile [--date YYYY-MM-DD] [--json]";

/** The command runs its queries one after another: two connections are plenty. */
const commandPoolSize = 2;

async function main(args: string[]): Promise<number> {
  let flags;
  try {
    flags = parseArgs({
      args,
      options: { date: { type: "string" }, json: { type: "boolean" }, help: { type: "boolean" } },
      strict: true,
    }).values;
    if (flags.date !== undefined) utcDay(flags.date);
  } catch (error) {
    console.error(`${(error as Error).message}\n${usage}`);
    return 2;
  }
  if (flags.help) {
    console.log(usage);
    return 0;
  }
  const env = processEnv();
  const settlement = readSettlementConfig(env);
  const pool = await openStorage(readStorageConfig(env), { poolSizeMax: commandPoolSize });
  try {
    const date = flags.date ?? utcDateOf(new Date());
    const { runId, report } = await runReconciliation({
      pool,
      fetchReport: (day) =>
        fetchPgSettlementReport({
          baseUrl: settlement.settlement.pgUrl,
          timeoutMs: settlement.schedulers.reconciliationReportTimeoutMs,
        }, day),
    }, date);
    console.log(
      flags.json ? JSON.stringify({ runId, ...report }, null, 2) : formatReport(runId, report),
    );
    return report.clean ? 0 : 1;
  } catch (error) {
    console.error(`Reconciliation failed: ${(error as Error).message ?? error}`);
    return 2;
  } finally {
    await pool.close();
  }
}

Deno.exit(await main(Deno.args));
