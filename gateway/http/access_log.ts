/** One request as the access log records it. */
export interface AccessRecord {
  readonly requestId: string;
  readonly method: string;
  readonly path: string;
  readonly route: string;
  readonly status: number;
  readonly durationMs: number;
  merchantId?: string;
  upstream?: string;
  attempts?: number;
  rateLimit?: string;
}

/** Writes one JSON line per request: greppable, and parsed as-is by log shippers. */
export function accessLogLine(record: AccessRecord, nowMs: number): string {
  return JSON.stringify({
    ts: new Date(nowMs).toISOString(),
    level: "info",
    msg: "access",
    ...record,
  });
}
