import { type AdmissionConfig, admissionConfigOf, admissionVarsOf } from "./admission.ts";
import { durationVar, type Env, intVar, parseEnv, urlVar } from "./env.ts";

export const ingestVars = {
  INGEST_PORT: intVar(8181, 1, 65535, "Port of this ingest instance"),
  PG_URL: urlVar("http://127.0.0.1:8090", "Base URL of the payment gateway (pgsim in development)"),
  PG_TIMEOUT_MS: intVar(2000, 50, 60000, "Timeout of one PG call from ingest"),
  BODY_SIZE_BYTES_MAX: intVar(16384, 256, 1048576, "Largest request body accepted (413 above)"),
  IDEMPOTENCY_RETENTION: durationVar("24h", "How long idempotency records are kept in MariaDB"),
  IDEMPOTENCY_CACHE_TTL_SECONDS: intVar(
    600,
    1,
    86400,
    "TTL of idempotency records cached in Redis",
  ),
  AUTH_EXPIRY: durationVar("7d", "Age at which an uncaptured authorization expires"),
  // One instance: its database pool and PG calls saturate far below the ceiling (the gateway's
  // UPSTREAM_IN_FLIGHT_MAX). The floor of 24 lets a burst of 20 concurrent repeats of one key
  // (they wait on each other) through.
  ...admissionVarsOf("INGEST", { limitInitial: 32, limitMin: 24, limitMax: 128, queueSizeMax: 32 }),
};

export interface IngestConfig {
  readonly port: number;
  readonly pgUrl: string;
  readonly pgTimeoutMs: number;
  readonly bodySizeBytesMax: number;
  readonly idempotencyRetentionMs: number;
  readonly idempotencyCacheTtlSeconds: number;
  readonly authExpiryMs: number;
  /** Admission control before signature, idempotency and database work. */
  readonly admission: AdmissionConfig;
}

export function readIngestConfig(env: Env): IngestConfig {
  const v = parseEnv(ingestVars, env);
  return Object.freeze({
    port: v.INGEST_PORT,
    pgUrl: v.PG_URL,
    pgTimeoutMs: v.PG_TIMEOUT_MS,
    bodySizeBytesMax: v.BODY_SIZE_BYTES_MAX,
    idempotencyRetentionMs: v.IDEMPOTENCY_RETENTION,
    idempotencyCacheTtlSeconds: v.IDEMPOTENCY_CACHE_TTL_SECONDS,
    authExpiryMs: v.AUTH_EXPIRY,
    admission: admissionConfigOf("INGEST", v),
  });
}
