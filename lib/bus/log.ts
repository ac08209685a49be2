/** Where the bus reports what it cannot return to a caller (ack failures, retries, DLQ). */
export type BusLogger = (event: string, fields?: Readonly<Record<string, unknown>>) => void;

/** One JSON line per event on stderr. */
export const consoleBusLogger: BusLogger = (event, fields = {}) => {
  console.error(JSON.stringify({ time: new Date().toISOString(), area: "bus", event, ...fields }));
};

export const silentBusLogger: BusLogger = () => {};

export function errorText(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
