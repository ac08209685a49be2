import type { IngestConfig, InternalAuthConfig, WebhooksConfig } from "@pay/lib/config";
import type { Db } from "@pay/lib/db";
import type { PaymentMode } from "@pay/lib/domain";
import type { Registry } from "@pay/lib/metrics";
import type { PgClient } from "@pay/lib/pg";
import type { IngestSharedStores } from "./shared_stores.ts";

/** What the ingest app needs from the outside world; main.ts builds it, tests fake parts of it. */
export interface IngestDeps {
  readonly config: IngestConfig;
  readonly internalAuth: InternalAuthConfig;
  /** Webhook settings ingest uses: private URLs allowed, event retention. */
  readonly webhooks: Pick<WebhooksConfig, "allowPrivateUrls" | "eventRetentionMs">;
  readonly pool: Db;
  /** Idempotency cache, nonces: Redis (scale-out) or none and a file (embedded). */
  readonly shared: IngestSharedStores;
  readonly pg: PgClient;
  readonly registry: Registry;
  readonly now: () => Date;
  readonly log: (fields: Record<string, unknown>) => void;
  /** OPS_TOKEN for the breaker admin routes; null disables them. */
  readonly opsToken: string | null;
}

/** Hono context variables set by ingest's middleware. */
export interface IngestEnv {
  Variables: {
    merchantId: string;
    /** The mode of the merchant's key, signed by the gateway. */
    mode: PaymentMode;
    requestId: string;
    rawBody: Uint8Array;
    /** The body parsed once (validation and the idempotency fingerprint both read it). */
    jsonBody: Record<string, unknown> | undefined;
  };
}
