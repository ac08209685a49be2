/**
 * The platform as real processes for end-to-end tests: pgsim, two ingest
 * instances, the workers and the gateway, each on a free port, in one
 * profile over state of their own (profileFixture): embedded (one SQLite
 * file and the embedded bus in a fresh data folder; runs everywhere) or
 * scale-out (a fresh MariaDB database and a Redis key prefix; its test
 * files declare `// test-needs: mariadb, redis`).
 */
import type { Profile } from "@pay/lib/config";
import { createApiKey, createMerchant } from "@pay/lib/db";
import { freePort, type ServiceProcess, startService, type TestDatabase } from "@pay/lib/testing";
import { profileFixture } from "../testing/profile_fixture.ts";

/** How long a condition may take to come true before the test fails, naming it. */
export const conditionTimeoutMs = 45_000;

/** Pause between two looks at a condition. */
const pollIntervalMs = 50;

/** Secret shared by the gateway and ingest in the test (any 32+ characters). */
const internalSecret = "e2e-internal-secret-0123456789abcdef";

export const merchantId = "M_E2E";

export interface Platform {
  readonly profile: Profile;
  readonly db: TestDatabase;
  readonly pgsim: ServiceProcess;
  readonly gateway: ServiceProcess;
  readonly workers: ServiceProcess;
  /** Environment every service got (profile, data folder, database, Redis prefix, PG URL). */
  readonly env: Readonly<Record<string, string>>;
  /** Calls the public API as the test merchant. */
  api(method: string, path: string, body?: unknown, idempotencyKey?: string): Promise<ApiAnswer>;
  /** Turns pgsim's outage on or off. */
  setOutage(outage: boolean): Promise<void>;
  stop(): Promise<void>;
}

export interface ApiAnswer {
  readonly status: number;
  // deno-lint-ignore no-explicit-any
  readonly body: any;
}

/** Workers settings for a test: fast polling and a retry schedule that spans a short outage. */
const workersTestEnv = {
  OUTBOX_POLL_IDLE_MS: "10",
  SETTLEMENT_RETRY_INTERVAL_MS: "100",
  SETTLEMENT_BACKOFF_BASE_MS: "200",
  SETTLEMENT_BACKOFF_CAP_MS: "2000",
  SETTLEMENT_ATTEMPTS_MAX: "60",
  SETTLEMENT_PG_TIMEOUT_MS: "2000",
  SETTLEMENT_LEASE_MS: "10000",
};

export interface PlatformOptions {
  readonly profile: Profile;
  /** Go to every service, e.g. `{ BUS: "kafka", KAFKA_BROKERS: ... }`. */
  readonly env?: Readonly<Record<string, string>>;
}

export async function startPlatform(name: string, options: PlatformOptions): Promise<Platform> {
  const fixture = await profileFixture(name, options.profile);
  const { db } = fixture;
  await createMerchant(db.pool, { id: merchantId, name: "End-to-end merchant" });
  const { apiKey } = await createApiKey(db.pool, { merchantId, env: "test" });
  const ports = {
    pgsim: freePort(),
    ingest: [freePort(), freePort()],
    workers: freePort(),
    gateway: freePort(),
  };
  const pgUrl = `http://127.0.0.1:${ports.pgsim}`;
  const env = {
    ...fixture.env,
    PG_URL: pgUrl,
    INTERNAL_AUTH_SECRET: internalSecret,
    ...options.env,
  };
  const started: ServiceProcess[] = [];
  const start = async (service: Parameters<typeof startService>[0]) => {
    const process = await startService(service);
    started.push(process);
    return process;
  };
  try {
    const pgsim = await start({
      name: "pgsim",
      entry: "pgsim/main.ts",
      port: ports.pgsim,
      env: {
        PGSIM_PORT: String(ports.pgsim),
        PGSIM_LATENCY_MS_MIN: "5",
        PGSIM_LATENCY_MS_MAX: "15",
      },
    });
    const [workers, gateway] = await Promise.all([
      start({
        name: "workers",
        entry: "workers/main.ts",
        port: ports.workers,
        env: { ...env, ...workersTestEnv, WORKERS_PORT: String(ports.workers) },
      }),
      start({
        name: "gateway",
        entry: "gateway/main.ts",
        port: ports.gateway,
        env: {
          ...env,
          GATEWAY_PORT: String(ports.gateway),
          INGEST_UPSTREAMS: ports.ingest.map((p) => `http://127.0.0.1:${p}`).join(","),
          RATE_LIMIT_ENABLED: "false",
          LOG_ACCESS: "false",
        },
      }),
      ...ports.ingest.map((port, i) =>
        start({
          name: `ingest-${i + 1}`,
          entry: "ingest/main.ts",
          port,
          env: { ...env, INGEST_PORT: String(port) },
        })
      ),
    ]);
    return {
      profile: options.profile,
      db,
      pgsim,
      gateway,
      workers,
      env,
      api: (method, path, body, idempotencyKey) =>
        callApi(gateway.url, apiKey, method, path, body, idempotencyKey),
      async setOutage(outage) {
        const answer = await fetch(`${pgsim.url}/admin/faults`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ outage }),
        });
        await answer.body?.cancel();
        if (!answer.ok) throw new Error(`pgsim refused the fault: ${answer.status}`);
      },
      async stop() {
        for (const process of started.toReversed()) await process.stop();
        await fixture.close();
      },
    };
  } catch (error) {
    for (const process of started.toReversed()) await process.stop();
    await fixture.close();
    throw error;
  }
}

async function callApi(
  baseUrl: string,
  apiKey: string,
  method: string,
  path: string,
  body?: unknown,
  idempotencyKey?: string,
): Promise<ApiAnswer> {
  const headers: Record<string, string> = { authorization: `Bearer ${apiKey}` };
  if (body !== undefined) headers["content-type"] = "application/json";
  if (idempotencyKey) headers["idempotency-key"] = idempotencyKey;
  const answer = await fetch(`${baseUrl}${path}`, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await answer.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch { /* not JSON: kept as text for the failure message */ }
  return { status: answer.status, body: parsed };
}

/** Polls `condition` until it holds; fails naming `what` after conditionTimeoutMs. */
export async function until(
  condition: () => Promise<boolean> | boolean,
  what: string,
  timeoutMs = conditionTimeoutMs,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) {
      throw new Error(`Timed out after ${timeoutMs} ms waiting for: ${what}`);
    }
    await new Promise((resolve) => setTimeout(resolve, pollIntervalMs));
  }
}
