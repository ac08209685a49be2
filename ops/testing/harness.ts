import { createBus, type PipelineBus, silentBusLogger } from "@pay/lib/bus";
import { readBusConfig, readGatewayConfig, type ServiceTarget } from "@pay/lib/config";
import {
  applyLedgerEvent,
  type Db,
  insertPaymentEventStatement,
  insertPaymentStatement,
  type PaymentRecord,
  runBatch,
} from "@pay/lib/db";
import {
  type Currency,
  type EventId,
  type MerchantId,
  merchantPayableAccount,
  type MinorUnits,
  newEventId,
  newPaymentId,
  type PaymentId,
  type PaymentStatus,
  pgClearingAccount,
} from "@pay/lib/domain";
import type { PgSettlementReport } from "@pay/lib/pg";
import {
  freshTestDatabase,
  freshTestRedis,
  type TestDatabase,
  type TestRedis,
} from "@pay/lib/testing";
import { type FetchFn, MetricsSampler } from "../metrics/sampler.ts";
import type { OpsContext } from "../operations/context.ts";

/** A fake network: each host answers through its handler; unknown hosts refuse the connection. */
export class FakeNetwork {
  readonly handlers = new Map<string, (request: Request) => Response | Promise<Response>>();

  /** Serves `text` as `/metrics` of `host` (and 404 elsewhere, unless `also` answers). */
  metrics(host: string, text: () => string): void {
    this.handlers.set(
      host,
      (request) =>
        new URL(request.url).pathname === "/metrics"
          ? new Response(text())
          : new Response("", { status: 404 }),
    );
  }

  readonly fetch: FetchFn = async (input, init) => {
    const request = new Request(input, init);
    const handler = this.handlers.get(new URL(request.url).host);
    if (!handler) throw new TypeError(`error sending request: Connection refused: ${request.url}`);
    return await handler(request);
  };
}

export interface OpsHarness {
  readonly ctx: OpsContext;
  readonly db: TestDatabase;
  /**
   * The environment of an ops process a test starts on this database (the
   * CLI, the MCP server, ops/main.ts): the embedded profile (no Redis
   * connection), the test database's storage, a data folder of its own.
   */
  readonly processEnv: Readonly<Record<string, string>>;
  readonly bus: PipelineBus;
  readonly network: FakeNetwork;
  /** Settlement reports the fake PG serves, by day. */
  readonly reports: Map<string, PgSettlementReport>;
  /** Moves the sampler's clock (scrape timestamps) forward. */
  tick(ms: number): void;
  close(): Promise<void>;
}

/** A harness whose context has a Redis (the scale-out profile's rate limits, cache, nonces). */
export interface RedisOpsHarness extends OpsHarness {
  readonly redis: TestRedis;
}

export interface OpsHarnessOptions {
  readonly samplesMax?: number;
  readonly rateLimitRules?: OpsContext["rateLimitRules"];
}

/**
 * Rate-limit rules that refill slowly (one request a minute), so a test that
 * exhausts a bucket sees it still empty when it looks, however slow the machine.
 */
export const slowRateLimitRules: OpsContext["rateLimitRules"] = {
  authorize: { perMinute: 1, burst: 3 },
  capture: { perMinute: 1, burst: 3 },
  refund: { perMinute: 1, burst: 3 },
  read: { perMinute: 1, burst: 3 },
};

export const testTargets: readonly ServiceTarget[] = [
  { name: "ingest-1", url: "http://ingest-1.test:8181" },
  { name: "workers", url: "http://workers.test:8084" },
];

/**
 * Operations' context over a fresh database (MariaDB or SQLite: testStorageKind),
 * a memory bus and a fake network, without Redis as under the embedded profile:
 * the operations on Redis roles answer 409 not_in_profile.
 */
export async function opsHarness(
  name: string,
  options: OpsHarnessOptions = {},
): Promise<OpsHarness> {
  return await buildOpsHarness(name, options, null);
}

/**
 * The same context with a Redis key prefix of its own, as under the scale-out
 * profile: its test file declares `// test-needs: redis`.
 */
export async function redisOpsHarness(
  name: string,
  options: OpsHarnessOptions = {},
): Promise<RedisOpsHarness> {
  const redis = await freshTestRedis(name);
  return { ...await buildOpsHarness(name, options, redis), redis };
}

async function buildOpsHarness(
  name: string,
  options: OpsHarnessOptions,
  redis: TestRedis | null,
): Promise<OpsHarness> {
  const db = await freshTestDatabase(name);
  // The embedded bus and any file an ops process makes, apart from the repository's .data/.
  const dataDir = await Deno.makeTempDir({ prefix: `${name}_data_` });
  const bus = await createBus(readBusConfig({ BUS: "memory" }), { logger: silentBusLogger });
  const network = new FakeNetwork();
  const reports = new Map<string, PgSettlementReport>();
  let samplerNowMs = Date.now();
  const sampler = new MetricsSampler({
    targets: testTargets,
    timeoutMs: 1_000,
    samplesMax: options.samplesMax ?? 100,
    fetch: network.fetch,
    now: () => samplerNowMs,
  });
  const ctx: OpsContext = {
    pool: db.pool,
    redis: redis?.redis ?? null,
    redisKeyPrefix: redis?.config.keyPrefix ?? "",
    busKind: "memory",
    bus: () => Promise.resolve(bus),
    sampler,
    rateLimitRules: options.rateLimitRules ?? readGatewayConfig({}).rateLimits,
    fetchReport: (date) =>
      Promise.resolve(reports.get(date) ?? { date, captures: [], refunds: [] }),
    pgUrl: "http://pg.test:8090",
    opsToken: "t".repeat(32),
    fetch: network.fetch,
    now: () => new Date(),
  };
  return {
    ctx,
    db,
    processEnv: {
      ...Deno.env.toObject(),
      ...db.env,
      PROFILE: "embedded",
      DATA_DIR: dataDir,
      OPS_SCRAPE_TARGETS: "",
      NO_COLOR: "1",
    },
    bus,
    network,
    reports,
    tick: (ms) => void (samplerNowMs += ms),
    async close() {
      await sampler.stop();
      await bus.close();
      await redis?.close();
      await db.close();
      await Deno.remove(dataDir, { recursive: true });
    },
  };
}

/** Inserts a payment (and its first timeline event) as ingest would have. */
export async function insertPayment(
  pool: Db,
  fields: {
    merchantId?: string;
    status?: PaymentStatus;
    amount?: number;
    currency?: Currency;
    capturedAmount?: number;
    createdAt?: Date;
  } = {},
): Promise<PaymentRecord> {
  const createdAt = fields.createdAt ?? new Date();
  const payment: PaymentRecord = {
    id: fields.createdAt ? paymentIdAt(createdAt) : newPaymentId(),
    merchantId: (fields.merchantId ?? "M123") as MerchantId,
    idempotencyKey: crypto.randomUUID(),
    status: fields.status ?? "AUTHORIZED",
    amount: fields.amount ?? 10_000,
    currency: fields.currency ?? "KRW",
    capturedAmount: fields.capturedAmount ?? 0,
    refundedAmount: 0,
    orderId: "order-1",
    description: null,
    pgAuthorizationId: "pga_1",
    declineCode: null,
    authExpiresAt: null,
    createdAt,
    updatedAt: createdAt,
  };
  const insert = insertPaymentStatement(payment);
  const event = insertPaymentEventStatement({
    paymentId: payment.id,
    from: null,
    to: "AUTHORIZED",
    amount: payment.amount,
    requestId: null,
    reason: null,
    at: createdAt,
  });
  await runBatch(pool, [insert]);
  await runBatch(pool, [event]);
  return payment;
}

const crockford = "0123456789abcdefghjkmnpqrstvwxyz";

/** A payment id whose time part is `at` (ids sort by creation time). */
export function paymentIdAt(at: Date): PaymentId {
  let time = "";
  let t = at.getTime();
  for (let i = 0; i < 10; i++) {
    time = crockford[t % 32] + time;
    t = Math.floor(t / 32);
  }
  const random = Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => crockford[b % 32])
    .join("");
  return `pay_${time}${random}` as PaymentId;
}

/** Posts a capture journal entry for `payment` (balanced unless `unbalancedBy` is given). */
export async function postCapture(
  pool: Db,
  payment: PaymentRecord,
  amount: number,
  unbalancedBy = 0,
): Promise<EventId> {
  const eventId = newEventId();
  await applyLedgerEvent(pool, "ledger", eventId, {
    sourceEventId: eventId,
    paymentId: payment.id,
    merchantId: payment.merchantId,
    entryType: "capture",
    currency: payment.currency,
    lines: [
      { account: pgClearingAccount, direction: "DEBIT", amount: amount as MinorUnits },
      {
        account: merchantPayableAccount(payment.merchantId),
        direction: "CREDIT",
        amount: (amount - unbalancedBy) as MinorUnits,
      },
    ],
  });
  return eventId;
}

/** A Prometheus text body with one breaker and some traffic. */
export function metricsText(options: {
  breaker?: string;
  state?: number;
  calls?: Record<string, number>;
  requests?: Array<{ status: number; count: number }>;
  buckets?: Array<[string, number]>;
}): string {
  const lines: string[] = [];
  if (options.breaker) {
    lines.push(
      "# HELP circuit_breaker_state Circuit breaker state",
      "# TYPE circuit_breaker_state gauge",
    );
    lines.push(
      `circuit_breaker_state{name="${options.breaker}",service="x"} ${options.state ?? 0}`,
    );
    for (const [result, n] of Object.entries(options.calls ?? {})) {
      lines.push(`circuit_breaker_calls_total{name="${options.breaker}",result="${result}"} ${n}`);
    }
  }
  for (const r of options.requests ?? []) {
    lines.push(
      `ingest_http_requests_total{route="/api/payments/authorize",method="POST",status="${r.status}"} ${r.count}`,
    );
  }
  for (const [le, n] of options.buckets ?? []) {
    lines.push(
      `ingest_http_request_duration_seconds_bucket{route="/x",method="POST",le="${le}"} ${n}`,
    );
  }
  return lines.join("\n") + "\n";
}
