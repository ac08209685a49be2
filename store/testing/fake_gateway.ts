/**
 * A fake of the gateway's public API (DESIGN §3) for the store's tests: a
 * small Hono app on an ephemeral port that keeps payments in memory. It
 * follows the contract the real gateway implements: Bearer API key,
 * Idempotency-Key required on authorize with replay / mismatch / in-use
 * answers, test card tokens, asynchronous capture and refund (the "settlement
 * worker" moves CAPTURE_REQUESTED and REFUND_REQUESTED on after a delay, or
 * when the test calls `settleAll()`), problem+json errors.
 */
import { Hono } from "hono";
import type { Context } from "hono";
import { newPaymentId, type PaymentStatus } from "@pay/lib/domain";
import { problem, type ProblemCode } from "@pay/lib/http";

export interface FakeEvent {
  readonly from: PaymentStatus | null;
  readonly to: PaymentStatus;
  readonly amount: number | null;
  readonly requestId: string | null;
  readonly reason: string | null;
  readonly at: string;
}

export interface FakePayment {
  paymentId: string;
  merchantId: string;
  status: PaymentStatus;
  amount: number;
  currency: string;
  capturedAmount: number;
  refundedAmount: number;
  orderId: string | null;
  description: string | null;
  createdAt: string;
  updatedAt: string;
  events: FakeEvent[];
  /** Amount of the capture or refund the settlement worker is working on. */
  pendingAmount: number;
}

export interface FakeGatewayOptions {
  readonly apiKey: string;
  /** Delay before the fake settlement worker settles a request, or "manual" for `settleAll()`. */
  readonly settle: { readonly delayMs: number } | "manual";
}

/** A scripted refusal for the next matching call (rate limit, outage). */
export interface ScriptedFailure {
  readonly code: ProblemCode;
  readonly retryAfterSeconds?: number;
}

type Endpoint = "authorize" | "capture" | "refund" | "cancel";

interface IdempotencyRecord {
  readonly fingerprint: string;
  response?: { status: number; body: unknown };
}

export interface FakeGateway {
  readonly url: string;
  readonly payments: ReadonlyMap<string, FakePayment>;
  /** Authorize calls received, replays included. */
  authorizeCalls(): number;
  failNext(endpoint: Endpoint, failure: ScriptedFailure): void;
  /** Makes authorize calls wait until the returned function is called. */
  holdAuthorizations(): () => void;
  settleAll(): void;
  /** Webhook endpoints registered (the endpoints API's minimal surface: list, create, rotate-secret). */
  readonly webhookEndpoints: ReadonlyMap<string, FakeWebhookEndpoint>;
  close(): Promise<void>;
}

export interface FakeWebhookEndpoint {
  readonly id: string;
  readonly url: string;
  secret: string;
}

const merchantId = "M123";
const cardTokens = new Set(["tok_visa", "tok_decline", "tok_timeout"]);

export function startFakeGateway(options: FakeGatewayOptions): FakeGateway {
  const payments = new Map<string, FakePayment>();
  const webhookEndpoints = new Map<string, FakeWebhookEndpoint>();
  const idempotency = new Map<string, IdempotencyRecord>();
  const scripted = new Map<Endpoint, ScriptedFailure[]>();
  const timers = new Set<ReturnType<typeof setTimeout>>();
  let hold: Promise<void> | undefined;
  let authorizeCallCount = 0;

  function now(): string {
    return new Date().toISOString();
  }

  function move(p: FakePayment, to: PaymentStatus, amount: number | null, reason?: string) {
    p.events.push({
      from: p.status,
      to,
      amount,
      requestId: null,
      reason: reason ?? null,
      at: now(),
    });
    p.status = to;
    p.updatedAt = now();
  }

  function settle(p: FakePayment): void {
    if (p.status === "CAPTURE_REQUESTED") {
      p.capturedAmount = p.pendingAmount;
      move(p, "CAPTURED", p.pendingAmount);
    } else if (p.status === "REFUND_REQUESTED") {
      p.refundedAmount += p.pendingAmount;
      move(
        p,
        p.refundedAmount >= p.capturedAmount ? "REFUNDED" : "PARTIALLY_REFUNDED",
        p.pendingAmount,
      );
    }
  }

  function scheduleSettle(p: FakePayment): void {
    if (options.settle === "manual") return;
    const timer = setTimeout(() => {
      timers.delete(timer);
      settle(p);
    }, options.settle.delayMs);
    timers.add(timer);
  }

  function fail(
    c: Context,
    code: ProblemCode,
    detail: string,
    headers: Record<string, string> = {},
  ) {
    const p = problem(code, detail);
    return c.body(JSON.stringify(p), p.status as 400, {
      "content-type": "application/problem+json",
      ...headers,
    });
  }

  function view(p: FakePayment, withHistory: boolean) {
    const { pendingAmount: _pending, events, ...rest } = p;
    return withHistory ? { ...rest, events, ledger: [] } : rest;
  }

  /** Runs `command` under the idempotency contract; replays, mismatches and in-use answers. */
  async function idempotent(
    c: Context,
    endpoint: Endpoint,
    body: Record<string, unknown>,
    command: () => Promise<{ status: number; body: unknown; store: boolean }>,
  ): Promise<Response> {
    const key = c.req.header("idempotency-key");
    if (!key) {
      if (endpoint === "authorize") {
        return fail(c, "validation_error", "Idempotency-Key is required");
      }
      const result = await command();
      return c.json(result.body, result.status as 200);
    }
    const fingerprint = `${c.req.method} ${c.req.path} ${JSON.stringify(sortKeys(body))}`;
    const record = idempotency.get(key);
    if (record) {
      if (record.fingerprint !== fingerprint) {
        return fail(c, "idempotency_key_mismatch", `Key used with a different request: ${key}`);
      }
      if (!record.response) {
        return fail(c, "idempotency_key_in_use", `Key still being processed: ${key}`);
      }
      return c.json(record.response.body, record.response.status as 200, {
        "idempotent-replayed": "true",
      });
    }
    const fresh: IdempotencyRecord = { fingerprint };
    idempotency.set(key, fresh);
    const result = await command();
    if (result.store) fresh.response = { status: result.status, body: result.body };
    else idempotency.delete(key);
    return c.json(result.body, result.status as 200);
  }

  const app = new Hono();
  app.get("/health", (c) => c.json({ status: "ok" }));

  app.use("/api/*", async (c, next) => {
    if (c.req.header("authorization") !== `Bearer ${options.apiKey}`) {
      return fail(c, "unauthorized", "Missing or invalid API key");
    }
    const endpoint = c.req.path.split("/")[3] as Endpoint;
    const queued = c.req.method === "POST" ? scripted.get(endpoint)?.shift() : undefined;
    if (queued) {
      const headers: Record<string, string> = queued.retryAfterSeconds === undefined
        ? {}
        : { "retry-after": String(queued.retryAfterSeconds) };
      return fail(c, queued.code, `Scripted ${queued.code}`, headers);
    }
    await next();
  });

  app.post("/api/payments/authorize", async (c) => {
    authorizeCallCount++;
    const body = await c.req.json().catch(() => undefined) as Record<string, unknown> | undefined;
    if (!body || !Number.isSafeInteger(body.amount) || (body.amount as number) <= 0) {
      return fail(c, "validation_error", "amount must be a positive integer");
    }
    const method = String(body.paymentMethod ?? "tok_visa");
    if (!cardTokens.has(method)) return fail(c, "validation_error", `Unknown card: ${method}`);
    return await idempotent(c, "authorize", body, async () => {
      if (hold) await hold;
      if (method === "tok_timeout") {
        const p = problem("pg_unavailable", "The payment gateway did not answer in time");
        return { status: 503, body: p, store: false };
      }
      const at = now();
      const declined = method === "tok_decline";
      const p: FakePayment = {
        paymentId: newPaymentId(),
        merchantId,
        status: declined ? "AUTH_FAILED" : "AUTHORIZED",
        amount: body.amount as number,
        currency: String(body.currency ?? "KRW"),
        capturedAmount: 0,
        refundedAmount: 0,
        orderId: typeof body.orderId === "string" ? body.orderId : null,
        description: typeof body.description === "string" ? body.description : null,
        createdAt: at,
        updatedAt: at,
        events: [],
        pendingAmount: 0,
      };
      p.events.push({
        from: null,
        to: p.status,
        amount: p.amount,
        requestId: null,
        reason: declined ? "card_declined" : null,
        at,
      });
      payments.set(p.paymentId, p);
      if (declined) {
        const refusal = {
          ...problem("card_declined", "The card was declined"),
          paymentId: p.paymentId,
        };
        return { status: 402, body: refusal, store: true };
      }
      return { status: 201, body: view(p, false), store: true };
    });
  });

  app.post("/api/payments/:action/:id", async (c) => {
    const action = c.req.param("action") as Endpoint;
    if (action !== "capture" && action !== "refund" && action !== "cancel") {
      return fail(c, "not_found", `No such route: ${c.req.path}`);
    }
    const p = payments.get(c.req.param("id"));
    if (!p) return fail(c, "not_found", `No such payment: ${c.req.param("id")}`);
    const body = await c.req.json().catch(() => ({})) as Record<string, unknown>;
    return await idempotent(c, action, body, () => Promise.resolve(apply(action, p, body)));
  });

  function apply(action: Endpoint, p: FakePayment, body: Record<string, unknown>) {
    const refusal = (code: ProblemCode, detail: string) => ({
      status: problem(code, detail).status,
      body: problem(code, detail, { paymentId: p.paymentId }),
      store: true,
    });
    if (action === "cancel") {
      if (p.status !== "AUTHORIZED") return refusal("invalid_state", `Cannot cancel ${p.status}`);
      move(p, "CANCELLED", p.amount);
      return { status: 200, body: view(p, false), store: true };
    }
    if (action === "capture") {
      if (p.status !== "AUTHORIZED") return refusal("invalid_state", `Cannot capture ${p.status}`);
      const amount = typeof body.amount === "number" ? body.amount : p.amount;
      if (amount > p.amount) return refusal("amount_exceeds_authorized", `Too much: ${amount}`);
      p.pendingAmount = amount;
      move(p, "CAPTURE_REQUESTED", amount);
      scheduleSettle(p);
      return { status: 202, body: view(p, false), store: true };
    }
    if (p.status !== "CAPTURED" && p.status !== "PARTIALLY_REFUNDED") {
      return refusal("invalid_state", `Cannot refund ${p.status}`);
    }
    const refundable = p.capturedAmount - p.refundedAmount;
    const amount = typeof body.amount === "number" ? body.amount : refundable;
    if (!Number.isSafeInteger(amount) || amount <= 0) {
      return refusal("validation_error", `Bad amount: ${amount}`);
    }
    if (amount > refundable) return refusal("amount_exceeds_refundable", `Too much: ${amount}`);
    p.pendingAmount = amount;
    move(p, "REFUND_REQUESTED", amount, typeof body.reason === "string" ? body.reason : undefined);
    scheduleSettle(p);
    return { status: 202, body: view(p, false), store: true };
  }

  app.get("/api/webhook-endpoints", (c) =>
    c.json({
      data: [...webhookEndpoints.values()].map(({ id, url }) => ({ id, url, status: "enabled" })),
    }));

  app.post("/api/webhook-endpoints", async (c) => {
    const body = await c.req.json().catch(() => ({})) as Record<string, unknown>;
    if (typeof body.url !== "string") return fail(c, "validation_error", "url is required");
    const endpoint = {
      id: `we_${crypto.randomUUID().replaceAll("-", "")}`,
      url: body.url,
      secret: newWebhookSecret(),
    };
    webhookEndpoints.set(endpoint.id, endpoint);
    return c.json({ ...endpoint, status: "enabled" }, 201);
  });

  app.post("/api/webhook-endpoints/:id/rotate-secret", (c) => {
    const endpoint = webhookEndpoints.get(c.req.param("id"));
    if (!endpoint) return fail(c, "not_found", `No such endpoint: ${c.req.param("id")}`);
    endpoint.secret = newWebhookSecret();
    return c.json({ ...endpoint, status: "enabled" });
  });

  app.get("/api/payments/:id", (c) => {
    const p = payments.get(c.req.param("id"));
    if (!p) return fail(c, "not_found", `No such payment: ${c.req.param("id")}`);
    return c.json(view(p, true));
  });

  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, app.fetch);

  return {
    url: `http://127.0.0.1:${server.addr.port}`,
    payments,
    webhookEndpoints,
    authorizeCalls: () => authorizeCallCount,
    failNext(endpoint, failure) {
      scripted.set(endpoint, [...(scripted.get(endpoint) ?? []), failure]);
    },
    holdAuthorizations() {
      let release!: () => void;
      hold = new Promise<void>((resolve) => (release = resolve));
      return () => {
        hold = undefined;
        release();
      };
    },
    settleAll() {
      for (const p of payments.values()) settle(p);
    },
    async close() {
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      await server.shutdown();
    },
  };
}

function newWebhookSecret(): string {
  return `whsec_${btoa(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(24))))}`;
}

function sortKeys(value: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(value).sort(([a], [b]) => a.localeCompare(b)));
}
