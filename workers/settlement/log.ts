import type { BusLogger } from "@pay/lib/bus";

/**
 * Where the settlement worker, the schedulers and reconciliation report what
 * they cannot return to a caller: an event name and fields (one JSON line in
 * production, see workers/log.ts).
 */
export type WorkerLog = BusLogger;

export const silentWorkerLog: WorkerLog = () => {};
