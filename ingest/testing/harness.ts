import {
  type Profile,
  readIngestConfig,
  readInternalAuthConfig,
  readWebhooksConfig,
} from "@pay/lib/config";
import { countRows as countTableRows } from "@pay/lib/db";
import type { PaymentMode } from "@pay/lib/domain";
import { signedHeaders } from "@pay/lib/http";
import { createRegistry, type Registry } from "@pay/lib/metrics";
import { createFakePgClient, type FakePgClient, type PgClient } from "@pay/lib/pg";
import {
  freshTestDatabase,
  freshTestRedis,
  type TestDatabase,
  type TestRedis,
} from "@pay/lib/testing";
import { buildIngestApp } from "../app.ts";
import {
  embeddedIngestStores,
  type IngestSharedStores,
  redisIngestStores,
} from "../shared_stores.ts";

/** What the harness needs of a test database: its port and its closing. */
export type HarnessDatabase = Pick<TestDatabase, "pool" | "close">;

export interface IngestHarness {
  readonly db: HarnessDatabase;
  /** The Redis of the scale-out profile; null embedded, where no client exists. */
  readonly redis: TestRedis | null;
  readonly pg: FakePgClient;
  readonly registry: Registry;
  readonly fetch: (request: Request) => Promise<Response>;
  /** Sends a request signed as the gateway would, for `merchantId`. */
  call(method: string, path: string, options?: CallOptions): Promise<Response>;
  close(): Promise<void>;
}

export interface CallOptions {
  readonly merchantId?: string;
  /** The mode of the merchant's key the gateway signs; default test. */
  readonly mode?: PaymentMode;
  readonly body?: unknown;
  /** Raw body text, sent as is (for malformed-JSON cases). */
  readonly rawBody?: string;
  readonly idempotencyKey?: string;
  readonly headers?: Record<string, string>;
  readonly sign?: boolean;
}

export const testSecret = "test-internal-secret-0123456789abcdef";

/**
 * An ingest app over its own fresh test database (MariaDB or SQLite, as
 * TEST_STORAGE says), with a fake PG by default, and its shared stores in a
 * temporary data folder without any Redis client (embedded, the default) or
 * in a fresh Redis prefix (scale-out: a test of Redis's roles asks for it and
 * its file declares `// test-needs: redis`).
 */
export async function ingestHarness(
  name: string,
  options: {
    pg?: PgClient;
    env?: Record<string, string>;
    opsToken?: string;
    /** A database of the test's own (a private server it kills); default: freshTestDatabase(name). */
    db?: HarnessDatabase;
    log?: (fields: Record<string, unknown>) => void;
    /** Where the shared stores live; default embedded (no Redis client). */
    profile?: Profile;
  } = {},
): Promise<IngestHarness> {
  const db = options.db ?? await freshTestDatabase(name);
  const config = readIngestConfig(options.env ?? {});
  const { redis, shared, dataDir } = options.profile === "scale-out"
    ? await redisStores(name, config.idempotencyCacheTtlSeconds)
    : await embeddedStores();
  const pg = createFakePgClient();
  const registry = createRegistry("ingest");
  const app = buildIngestApp({
    config,
    internalAuth: readInternalAuthConfig({ INTERNAL_AUTH_SECRET: testSecret }),
    webhooks: readWebhooksConfig(options.env ?? {}),
    pool: db.pool,
    shared,
    pg: options.pg ?? pg,
    registry,
    now: () => new Date(),
    opsToken: options.opsToken ?? null,
    log: options.log ??
      ((fields) => fields.level !== "info" && console.error(JSON.stringify(fields))),
  });
  const fetch = async (request: Request) => await app.fetch(request);
  return {
    db,
    redis,
    pg,
    registry,
    fetch,
    call: (method, path, o = {}) => fetch(signedRequest(method, path, o)),
    async close() {
      await db.close();
      shared.close();
      await redis?.close();
      if (dataDir) await Deno.remove(dataDir, { recursive: true });
    },
  };
}

async function embeddedStores() {
  const dataDir = await Deno.makeTempDir({ prefix: "ingest_embedded_" });
  return { redis: null, shared: embeddedIngestStores(dataDir), dataDir };
}

async function redisStores(name: string, cacheTtlSeconds: number): Promise<{
  redis: TestRedis;
  shared: IngestSharedStores;
  dataDir?: string;
}> {
  const redis = await freshTestRedis(name);
  return { redis, shared: redisIngestStores(redis.redis, cacheTtlSeconds) };
}

export function signedRequest(method: string, path: string, o: CallOptions = {}): Request {
  const body = o.rawBody ?? (o.body === undefined ? "" : JSON.stringify(o.body));
  const headers: Record<string, string> = {
    ...(body ? { "content-type": "application/json" } : {}),
    ...(o.idempotencyKey ? { "idempotency-key": o.idempotencyKey } : {}),
    ...(o.sign === false ? {} : signedHeaders(testSecret, {
      method,
      pathWithQuery: path,
      merchantId: o.merchantId ?? "M123",
      mode: o.mode ?? "test",
      body,
      timestampSeconds: Math.floor(Date.now() / 1000),
      nonce: crypto.randomUUID(),
    })),
    ...o.headers,
  };
  return new Request(`http://ingest.test${path}`, {
    method,
    headers,
    body: method === "GET" ? undefined : body,
  });
}

/** Counts rows of `table`, for "nothing was written" checks. */
export async function countRows(db: HarnessDatabase, table: string): Promise<number> {
  return await countTableRows(db.pool, table);
}
