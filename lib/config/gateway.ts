import { z } from "zod";
import { type AdmissionConfig, admissionConfigOf, admissionVarsOf } from "./admission.ts";
import { boolVar, ConfigError, type Env, intVar, parseEnv } from "./env.ts";
import { ingestVars } from "./ingest.ts";

export const gatewayVars = {
  GATEWAY_PORT: intVar(8080, 1, 65535, "Port of the edge gateway"),
  INGEST_UPSTREAMS: z.string().default("http://127.0.0.1:8181,http://127.0.0.1:8182").describe(
    "Ingest instances: comma-separated base URLs, or dns:<host>:<port> re-resolved periodically",
  ),
  INGEST_DNS_REFRESH_MS: intVar(5000, 100, 600000, "How often a dns: upstream is re-resolved"),
  UPSTREAM_TIMEOUT_MS: intVar(
    5000,
    50,
    120000,
    "Timeout of one forwarded call (above ingest's PG_TIMEOUT_MS)",
  ),
  UPSTREAM_IN_FLIGHT_MAX: intVar(
    128,
    1,
    100000,
    "Requests one ingest instance may have in flight; beyond it (on every instance) the gateway sheds load with 503 and Retry-After instead of queueing",
  ),
  FAILOVER_LOCK_WAIT_MS: intVar(
    10000,
    0,
    120000,
    "How long a failover retry waits out the idempotency lock of the lost attempt (ingest holds it PG_TIMEOUT_MS + 1 s)",
  ),
  UPSTREAM_PROBE_INTERVAL_MS: intVar(
    1000,
    50,
    60000,
    "How often ejected upstreams are probed on /ready to readmit them",
  ),
  API_KEY_CACHE_TTL_MS: intVar(
    30000,
    0,
    600000,
    "How long a verified API key is trusted without MariaDB (revocation delay)",
  ),
  RATE_LIMIT_AUTHORIZE_PER_MIN: intVar(6000, 1, 10000000, "Sustained authorize rate per merchant"),
  RATE_LIMIT_AUTHORIZE_BURST: intVar(100, 1, 1000000, "Authorize requests allowed back to back"),
  RATE_LIMIT_CAPTURE_PER_MIN: intVar(
    6000,
    1,
    10000000,
    "Sustained capture and cancel rate per merchant",
  ),
  RATE_LIMIT_CAPTURE_BURST: intVar(100, 1, 1000000, "Capture/cancel requests allowed back to back"),
  RATE_LIMIT_REFUND_PER_MIN: intVar(3000, 1, 10000000, "Sustained refund rate per merchant"),
  RATE_LIMIT_REFUND_BURST: intVar(50, 1, 1000000, "Refund requests allowed back to back"),
  RATE_LIMIT_READ_PER_MIN: intVar(12000, 1, 10000000, "Sustained read (GET) rate per merchant"),
  RATE_LIMIT_READ_BURST: intVar(200, 1, 1000000, "Read requests allowed back to back"),
  RATE_LIMIT_ENABLED: boolVar(true, "Set false to switch rate limiting off (benchmarks)"),
  LOG_ACCESS: boolVar(true, "One JSON access log line per request on stdout"),
  BODY_SIZE_BYTES_MAX: ingestVars.BODY_SIZE_BYTES_MAX,
  // Starts at two ingest instances' initial limits; the ceiling is two instances' in-flight cap
  // (UPSTREAM_IN_FLIGHT_MAX): more would be refused after the work anyway.
  ...admissionVarsOf("GATEWAY", {
    limitInitial: 64,
    limitMin: 48,
    limitMax: 256,
    queueSizeMax: 64,
  }),
};

/** Endpoint classes that are rate limited separately. Cancel counts as capture. */
export const rateLimitClasses = ["authorize", "capture", "refund", "read"] as const;
export type RateLimitClass = typeof rateLimitClasses[number];

export interface RateLimitRule {
  readonly perMinute: number;
  readonly burst: number;
}

export interface GatewayConfig {
  readonly port: number;
  /** Either `{kind:"static", urls}` or `{kind:"dns", host, port}`. */
  readonly upstreams: UpstreamSource;
  readonly dnsRefreshMs: number;
  readonly upstreamTimeoutMs: number;
  readonly upstreamInFlightMax: number;
  readonly failoverLockWaitMs: number;
  readonly probeIntervalMs: number;
  readonly apiKeyCacheTtlMs: number;
  readonly rateLimits: Readonly<Record<RateLimitClass, RateLimitRule>>;
  readonly rateLimitEnabled: boolean;
  readonly logAccess: boolean;
  readonly bodySizeBytesMax: number;
  /** Admission control in front of everything but /health, /ready and /metrics. */
  readonly admission: AdmissionConfig;
}

export type UpstreamSource =
  | { readonly kind: "static"; readonly urls: readonly string[] }
  | { readonly kind: "dns"; readonly host: string; readonly port: number };

/** Parses INGEST_UPSTREAMS; throws a message naming the variable when malformed. */
export function parseUpstreamSource(value: string): UpstreamSource {
  const text = value.trim();
  const dns = /^dns:([A-Za-z0-9.-]+):(\d{1,5})$/.exec(text);
  if (dns) return { kind: "dns", host: dns[1]!, port: Number(dns[2]) };
  const urls = text.split(",").map((part) => part.trim()).filter((part) => part !== "");
  if (urls.length === 0) throw upstreamError(value, "expected at least one URL");
  for (const url of urls) {
    if (!/^http:\/\/[A-Za-z0-9.:[\]-]+(:\d{1,5})?$/.test(url)) {
      throw upstreamError(url, "expected http://host:port (no path) or dns:host:port");
    }
  }
  return { kind: "static", urls };
}

function upstreamError(value: string, message: string): ConfigError {
  return new ConfigError([`INGEST_UPSTREAMS: ${message} (got ${JSON.stringify(value)})`]);
}

export function readGatewayConfig(env: Env): GatewayConfig {
  const v = parseEnv(gatewayVars, env);
  return Object.freeze({
    port: v.GATEWAY_PORT,
    upstreams: parseUpstreamSource(v.INGEST_UPSTREAMS),
    dnsRefreshMs: v.INGEST_DNS_REFRESH_MS,
    upstreamTimeoutMs: v.UPSTREAM_TIMEOUT_MS,
    upstreamInFlightMax: v.UPSTREAM_IN_FLIGHT_MAX,
    failoverLockWaitMs: v.FAILOVER_LOCK_WAIT_MS,
    probeIntervalMs: v.UPSTREAM_PROBE_INTERVAL_MS,
    apiKeyCacheTtlMs: v.API_KEY_CACHE_TTL_MS,
    rateLimits: Object.freeze({
      authorize: { perMinute: v.RATE_LIMIT_AUTHORIZE_PER_MIN, burst: v.RATE_LIMIT_AUTHORIZE_BURST },
      capture: { perMinute: v.RATE_LIMIT_CAPTURE_PER_MIN, burst: v.RATE_LIMIT_CAPTURE_BURST },
      refund: { perMinute: v.RATE_LIMIT_REFUND_PER_MIN, burst: v.RATE_LIMIT_REFUND_BURST },
      read: { perMinute: v.RATE_LIMIT_READ_PER_MIN, burst: v.RATE_LIMIT_READ_BURST },
    }),
    rateLimitEnabled: v.RATE_LIMIT_ENABLED,
    logAccess: v.LOG_ACCESS,
    bodySizeBytesMax: v.BODY_SIZE_BYTES_MAX,
    admission: admissionConfigOf("GATEWAY", v),
  });
}
