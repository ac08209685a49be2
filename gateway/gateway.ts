import type { Hono } from "hono";
import type { GatewayConfig } from "@pay/lib/config";
import { type Db, findApiKey } from "@pay/lib/db";
import { createMeasuredAdmission } from "@pay/lib/http";
import { createGatewayApp } from "./app.ts";
import { createApiKeyVerifier } from "./auth/api_key_verifier.ts";
import { createGatewayMetrics, type GatewayMetrics } from "./metrics.ts";
import { createRateLimiter } from "./rate_limit/limiter.ts";
import type { GatewaySharedStores } from "./shared_stores.ts";
import { createNodeHttpClient, type UpstreamClient } from "./upstream/client.ts";
import { type Discovery, type Resolver, startDiscovery } from "./upstream/discovery.ts";
import { createForwarder, type Forwarder } from "./upstream/forward.ts";
import { anyUpstreamReady, type HealthProbe, startHealthProbe } from "./upstream/health_probe.ts";
import { UpstreamPool } from "./upstream/pool.ts";

export interface GatewayOptions {
  readonly config: GatewayConfig;
  /** INTERNAL_AUTH_SECRET: signs every forwarded request. */
  readonly internalSecret: string;
  readonly db: Db;
  /** Rate-limit buckets and their readiness: Redis (scale-out) or this process (embedded). */
  readonly shared: GatewaySharedStores;
  readonly resolver?: Resolver;
  readonly log?: (line: string) => void;
  /** The payment API's OpenAPI document (ingest's buildOpenApiDocument in production). */
  readonly openApiDocument: () => Promise<unknown>;
}

export interface Gateway {
  // deno-lint-ignore no-explicit-any
  readonly app: Hono<any>;
  readonly metrics: GatewayMetrics;
  readonly upstreams: UpstreamPool;
  readonly discovery: Discovery;
  readonly probe: HealthProbe;
  readonly forwarder: Forwarder;
  /** Stops timers and closes upstream connections (not the db pool or the shared stores, which the caller owns). */
  close(): void;
}

/** Builds a gateway from its configuration and adapters, without listening. */
export async function createGateway(options: GatewayOptions): Promise<Gateway> {
  const { config } = options;
  const metrics = createGatewayMetrics();
  const upstreams = new UpstreamPool([], {
    onHealthChange: (u) => metrics.upstreamHealthy.set({ upstream: u.url }, u.healthy ? 1 : 0),
    onInFlightChange: (u) => metrics.upstreamInFlight.set({ upstream: u.url }, u.inFlight),
    onRemove: (u) => {
      metrics.upstreamHealthy.remove({ upstream: u.url });
      metrics.upstreamInFlight.remove({ upstream: u.url });
    },
  }, config.upstreamInFlightMax);
  const client: UpstreamClient = createNodeHttpClient();
  const discovery = await startDiscovery(config.upstreams, upstreams, {
    refreshMs: config.dnsRefreshMs,
    resolver: options.resolver,
    log: options.log,
  });
  const probe = startHealthProbe(upstreams, client, config.probeIntervalMs);
  const forwarder = createForwarder({
    pool: upstreams,
    client,
    secret: options.internalSecret,
    timeoutMs: config.upstreamTimeoutMs,
    lockWaitMs: config.failoverLockWaitMs,
    metrics,
  });
  const verifier = createApiKeyVerifier({
    lookup: (keyId) => findApiKey(options.db, keyId),
    ttlMs: config.apiKeyCacheTtlMs,
    onLookup: (source) => metrics.apiKeyLookups.inc({ source }),
    onDeprecatedKey: ({ keyId, merchantId }) =>
      (options.log ?? console.warn)(JSON.stringify({
        level: "warn",
        msg:
          "Deprecated API key format pk_<env>_…: issue an sk_ key (deno task merchant:create --add-key) and revoke this one",
        keyId,
        merchantId,
      })),
  });
  const limiter = config.rateLimitEnabled
    ? createRateLimiter({
      store: options.shared.rateLimits,
      rules: config.rateLimits,
      metrics,
      log: options.log,
    })
    : null;
  const app = createGatewayApp({
    admission: createMeasuredAdmission(config.admission, metrics.registry, "gateway"),
    verifier,
    limiter,
    forwarder,
    metrics,
    bodySizeBytesMax: config.bodySizeBytesMax,
    nowMs: Date.now,
    logAccess: config.logAccess,
    log: options.log,
    readiness: async () => {
      const shared = Object.entries(options.shared.readiness);
      const results = await Promise.all(shared.map(([, check]) => check()));
      return {
        ...Object.fromEntries(shared.map(([name], i) => [name, results[i]!])),
        upstream: await anyUpstreamReady(upstreams, client),
      };
    },
    openApiDocument: options.openApiDocument,
  });
  return {
    app,
    metrics,
    upstreams,
    discovery,
    probe,
    forwarder,
    close() {
      probe.stop();
      discovery.stop();
      client.close();
    },
  };
}
