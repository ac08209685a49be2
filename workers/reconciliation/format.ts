import { reconciliationCountKeys } from "@pay/lib/db";
import type { ReconciliationReport } from "./reconcile.ts";

/** Mismatch lines printed by the command; `--json` prints them all. */
export const mismatchesPrintedMax = 50;

/** The run as a person reads it in a terminal. */
export function formatReport(runId: number, report: ReconciliationReport): string {
  const lines = [
    `Reconciliation of ${report.date} (run ${runId}): ${report.clean ? "CLEAN" : "MISMATCHED"}`,
    ...reconciliationCountKeys.map((key) => `  ${key.padEnd(22)} ${report.counts[key]}`),
  ];
  if (report.mismatches.length > 0) {
    lines.push(
      `Mismatches${
        report.mismatches.length > mismatchesPrintedMax ? ` (first ${mismatchesPrintedMax})` : ""
      }:`,
    );
    for (const m of report.mismatches.slice(0, mismatchesPrintedMax)) {
      lines.push(
        `  ${m.kind} ${m.operation} ${m.requestId ?? "-"} ${m.paymentId ?? "-"}: ${m.detail}`,
      );
    }
  }
  return lines.join("\n");
}
