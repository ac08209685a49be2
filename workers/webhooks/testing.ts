/** Fixtures of the webhook worker tests: payments with outbox events, endpoints, a receiver. */
import { Hono } from "hono";
import type { DeliveredMessage } from "@pay/lib/bus";
import {
  type Db,
  insertOutboxEventStatement,
  insertPaymentStatement,
  insertWebhookEndpointStatement,
  type PaymentRecord,
  runTransactionBatch,
} from "@pay/lib/db";
import {
  type EventEnvelope,
  eventTypeOf,
  type MerchantId,
  newEventId,
  newPaymentId,
  newWebhookEndpointId,
  newWebhookSecret,
  type PaymentTopic,
} from "@pay/lib/domain";

/** A stored AUTHORIZED payment and its `payment.authorized` outbox event, as ingest writes them. */
export async function authorizedPayment(
  pool: Db,
  merchantId: string,
): Promise<{ payment: PaymentRecord; message: DeliveredMessage; envelope: EventEnvelope }> {
  const now = new Date();
  const payment: PaymentRecord = {
    id: newPaymentId(),
    merchantId: merchantId as MerchantId,
    idempotencyKey: crypto.randomUUID(),
    status: "AUTHORIZED",
    amount: 5000,
    currency: "KRW",
    capturedAmount: 0,
    refundedAmount: 0,
    orderId: "order-1",
    description: null,
    pgAuthorizationId: "auth_1",
    declineCode: null,
    authExpiresAt: null,
    createdAt: now,
    updatedAt: now,
  };
  const topic: PaymentTopic = "payment.authorized";
  const envelope: EventEnvelope = {
    eventId: newEventId(),
    type: eventTypeOf(topic),
    paymentId: payment.id,
    merchantId: payment.merchantId,
    amount: payment.amount,
    currency: payment.currency,
    occurredAt: now.toISOString(),
    data: { from: null, to: "AUTHORIZED" },
  };
  await runTransactionBatch(pool, [
    insertPaymentStatement(payment),
    insertOutboxEventStatement(topic, envelope),
  ]);
  const message: DeliveredMessage = {
    topic,
    key: payment.id,
    value: JSON.stringify(envelope),
    headers: { eventId: envelope.eventId },
    partition: 0,
    offset: "0",
    deliveryCount: 1,
  };
  return { payment, message, envelope };
}

/** Registers an endpoint directly (the API's insert), created a second in the past. */
export async function registerEndpoint(
  pool: Db,
  merchantId: string,
  url: string,
  options: { events?: string[]; status?: "enabled" | "disabled" } = {},
): Promise<{ id: string; secret: string }> {
  const at = new Date(Date.now() - 1_000);
  const endpoint = {
    id: newWebhookEndpointId(),
    merchantId,
    url,
    description: null,
    events: options.events ?? ["*"],
    status: options.status ?? "enabled",
    disabledReason: options.status === "disabled" ? "merchant" : null,
    secret: newWebhookSecret(),
    previousSecret: null,
    previousSecretExpiresAt: null,
    consecutiveFailures: 0,
    failingSince: null,
    disabledAt: null,
    createdAt: at,
    updatedAt: at,
  };
  await runTransactionBatch(pool, [insertWebhookEndpointStatement(endpoint)]);
  return { id: endpoint.id, secret: endpoint.secret };
}

export interface ReceivedWebhook {
  /** Path and query as requested. */
  readonly path: string;
  readonly headers: Record<string, string>;
  readonly body: string;
}

export interface ReceiverOptions {
  /** Answers 500 to this many first requests (Infinity: to every one), 204 after. */
  readonly failFirst?: number;
  readonly delayMs?: number;
  /** The address to listen on: 127.0.0.1 unless given ("::1" for IPv6). */
  readonly hostname?: string;
  /** Serves https with this certificate. */
  readonly tls?: { readonly cert: string; readonly key: string };
  /** Answers every request instead of the `failFirst` rule. */
  readonly answer?: (request: Request) => Response | Promise<Response>;
}

/**
 * A merchant's receiver on an ephemeral port: answers 500 to the first
 * `failFirst` requests (or every one), 204 after; records them all.
 */
export function startReceiver(options: ReceiverOptions = {}) {
  const received: ReceivedWebhook[] = [];
  const waiters: Array<() => void> = [];
  const app = new Hono();
  app.post("*", async (c) => {
    const body = await c.req.text();
    const headers = Object.fromEntries(c.req.raw.headers.entries());
    const url = new URL(c.req.url);
    received.push({ path: url.pathname + url.search, headers, body });
    for (const wake of waiters.splice(0)) wake();
    if (options.delayMs) await new Promise((r) => setTimeout(r, options.delayMs));
    if (options.answer) return options.answer(c.req.raw);
    return received.length <= (options.failFirst ?? 0)
      ? c.text("receiver down", 500)
      : c.body(null, 204);
  });
  const hostname = options.hostname ?? "127.0.0.1";
  const server = Deno.serve(
    { hostname, port: 0, onListen: () => {}, ...options.tls },
    app.fetch,
  );
  const host = hostname.includes(":") ? `[${hostname}]` : hostname;
  const url = `${options.tls ? "https" : "http"}://${host}:${server.addr.port}/hook`;
  return {
    url,
    port: server.addr.port,
    received,
    /** Resolves once `count` requests arrived; fails after `timeoutMs`. */
    async waitFor(count: number, timeoutMs = 10_000): Promise<void> {
      const deadline = Date.now() + timeoutMs;
      while (received.length < count) {
        if (Date.now() > deadline) {
          throw new Error(`Receiver got ${received.length} of ${count} requests`);
        }
        await new Promise<void>((resolve) => {
          waiters.push(resolve);
          setTimeout(resolve, 100);
        });
      }
    },
    close: () => server.shutdown(),
  };
}

/** Waits until `check` holds, polling; fails naming `what` after `timeoutMs`. */
export async function eventually(
  what: string,
  check: () => Promise<boolean>,
  timeoutMs = 10_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!await check()) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for: ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
