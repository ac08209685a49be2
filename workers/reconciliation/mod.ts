/**
 * Reconciliation (DESIGN §6): our settled captures and refunds against the
 * PG's settlement report and against the ledger. `reconcileDay` only reads
 * (for ops); `runReconciliation` also stores the run and sets the metrics.
 */
export { type Mismatch, type MismatchKind, mismatchKinds } from "./compare.ts";
export {
  reconcileDay,
  type ReconcileDeps,
  type ReconciliationReport,
  utcDateOf,
  utcDay,
} from "./reconcile.ts";
export { reconciliationMetrics, runReconciliation, type StoredReconciliation } from "./run.ts";
export { formatReport } from "./format.ts";
export { reconciliationLockName, startReconciliationScheduler } from "./scheduler.ts";
