import type { BusLogger } from "@pay/lib/bus";

/** One JSON line per event on stderr, tagged with the worker's area (relay, ledger, dlq). */
export function workerLogger(area: string): BusLogger {
  return (event, fields = {}) => {
    console.error(JSON.stringify({ time: new Date().toISOString(), area, event, ...fields }));
  };
}
