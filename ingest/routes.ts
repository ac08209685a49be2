import type { Context, Hono } from "hono";
import type { PaymentOwner } from "@pay/lib/db";
import { DomainError, isPaymentId, isRefundId, ValidationError } from "@pay/lib/domain";
import { countPaymentTransition } from "@pay/lib/metrics";
import type { IngestDeps, IngestEnv } from "./deps.ts";
import { jsonObjectBody } from "./http/json_body.ts";
import { requestFingerprint } from "./idempotency/fingerprint.ts";
import {
  type CommandOutcome,
  type GuardDeps,
  type KeyBinding,
  runIdempotent,
} from "./idempotency/guard.ts";
import type { IngestMetrics } from "./metrics.ts";
import { authorize, type AuthorizeDeps } from "./payments/authorize.ts";
import { cancel, capture, type CommandDeps, refund } from "./payments/commands.ts";
import { decodeCursor, getPayment, getRefund, listMerchantPayments } from "./payments/read.ts";
import {
  authorizeBodySchema,
  cancelBodySchema,
  captureBodySchema,
  idempotencyKeySchema,
  listQuerySchema,
  parseOrThrow,
  refundBodySchema,
} from "./payments/schemas.ts";

export interface RouteDeps {
  readonly deps: IngestDeps;
  readonly guard: GuardDeps;
  readonly authorizeDeps: AuthorizeDeps;
  readonly metrics: IngestMetrics;
}

/** The payment API of DESIGN §3 as ingest serves it behind the gateway. */
export function mountPaymentRoutes(app: Hono<IngestEnv>, r: RouteDeps): void {
  const commandDeps: CommandDeps = {
    pool: r.deps.pool,
    now: r.deps.now,
    onTransition: (from, to) => countPaymentTransition(r.deps.registry, from, to),
  };

  app.post("/api/payments/authorize", (c) => {
    const input = parseOrThrow(authorizeBodySchema, bodyOf(c));
    const merchantId = ownMerchant(c, input.merchantId);
    const key = idempotencyKeyOf(c, input.idempotencyKey);
    if (!key) {
      throw new ValidationError(
        "Idempotency-Key: is required on authorize (the header, or the body's idempotencyKey)",
        "Idempotency-Key",
      );
    }
    const scope = scopeOf(c, merchantId, key);
    const { fingerprint, path: requestPath } = scope;
    return runIdempotent(
      r.guard,
      scope,
      (binding) =>
        authorize(r.authorizeDeps, {
          ...input,
          merchantId,
          mode: c.get("mode"),
          idempotencyKey: key,
          fingerprint,
          requestPath,
        }, binding.record),
    );
  });

  app.post("/api/payments/capture/:paymentId", (c) => {
    const input = parseOrThrow(captureBodySchema, bodyOf(c));
    const command = {
      owner: ownerOf(c, input.merchantId),
      paymentId: paymentIdOf(c),
      amount: input.amount,
    };
    return keyed(
      c,
      r.guard,
      command.owner.merchantId,
      input.idempotencyKey,
      (binding) => capture(commandDeps, command, binding),
    );
  });

  app.post("/api/payments/refund/:paymentId", (c) => {
    const input = parseOrThrow(refundBodySchema, bodyOf(c));
    const command = {
      owner: ownerOf(c, input.merchantId),
      paymentId: paymentIdOf(c),
      amount: input.amount,
      reason: input.reason,
    };
    return keyed(
      c,
      r.guard,
      command.owner.merchantId,
      input.idempotencyKey,
      (binding) => refund(commandDeps, command, binding),
    );
  });

  app.post("/api/payments/cancel/:paymentId", (c) => {
    const input = parseOrThrow(cancelBodySchema, bodyOf(c));
    const command = {
      owner: ownerOf(c, input.merchantId),
      paymentId: paymentIdOf(c),
      reason: input.reason,
    };
    return keyed(
      c,
      r.guard,
      command.owner.merchantId,
      input.idempotencyKey,
      (binding) => cancel(commandDeps, command, binding),
    );
  });

  app.get("/api/payments/:paymentId", async (c) => {
    return c.json(await getPayment(r.deps.pool, ownerOf(c), paymentIdOf(c)));
  });

  app.get("/api/payments/:paymentId/refunds/:refundId", async (c) => {
    const paymentId = paymentIdOf(c);
    return c.json(await getRefund(r.deps.pool, ownerOf(c), paymentId, refundIdOf(c)));
  });

  app.get("/api/payments", async (c) => {
    const { cursor, ...filters } = parseOrThrow(listQuerySchema, c.req.query());
    const beforeId = cursor === undefined ? undefined : decodeCursor(cursor);
    if (cursor !== undefined && !beforeId) {
      throw new ValidationError(`cursor: is not a valid cursor: ${cursor}`, "cursor");
    }
    return c.json(await listMerchantPayments(r.deps.pool, ownerOf(c), { ...filters, beforeId }));
  });
}

function bodyOf(c: Context<IngestEnv>): Record<string, unknown> {
  let body = c.get("jsonBody");
  if (body === undefined) {
    body = jsonObjectBody(c.get("rawBody"), c.req.header("content-type"));
    c.set("jsonBody", body);
  }
  return body;
}

/** The signed merchant in the mode of its key; a body merchantId, when given, must be it. */
function ownerOf(c: Context<IngestEnv>, bodyMerchantId?: string): PaymentOwner {
  return { merchantId: ownMerchant(c, bodyMerchantId), mode: c.get("mode") };
}

/** A body merchantId, when given, must be the signed merchant (DESIGN §3). */
function ownMerchant(c: Context<IngestEnv>, bodyMerchantId: string | undefined): string {
  const merchantId = c.get("merchantId");
  if (bodyMerchantId !== undefined && bodyMerchantId !== merchantId) {
    throw new DomainError(
      "forbidden",
      `merchantId does not match the authenticated merchant: ${bodyMerchantId}`,
      {
        param: "merchantId",
      },
    );
  }
  return merchantId;
}

function paymentIdOf(c: Context<IngestEnv>): string {
  return pathIdOf(c, "paymentId", isPaymentId, "a payment id (pay_…)");
}

function refundIdOf(c: Context<IngestEnv>): string {
  return pathIdOf(c, "refundId", isRefundId, "a refund id (ref_…)");
}

function pathIdOf(
  c: Context<IngestEnv>,
  param: string,
  isId: (value: string) => boolean,
  what: string,
): string {
  const id = c.req.param(param) ?? "";
  if (!isId(id)) throw new ValidationError(`${param}: is not ${what}: ${id.slice(0, 64)}`, param);
  return id;
}

/** The header wins; the seed's body field also works; both given must agree. */
function idempotencyKeyOf(c: Context<IngestEnv>, bodyKey: string | undefined): string | undefined {
  const header = c.req.header("idempotency-key");
  if (header === undefined) return bodyKey;
  const key = parseOrThrow(idempotencyKeySchema, header, "Idempotency-Key");
  if (bodyKey !== undefined && bodyKey !== key) {
    throw new ValidationError(
      "idempotencyKey: differs from the Idempotency-Key header",
      "idempotencyKey",
    );
  }
  return key;
}

function scopeOf(c: Context<IngestEnv>, merchantId: string, key: string) {
  const path = new URL(c.req.url).pathname;
  return {
    merchantId,
    key,
    method: c.req.method,
    path,
    fingerprint: requestFingerprint(c.req.method, path, bodyOf(c), c.get("mode")),
  };
}

async function keyed(
  c: Context<IngestEnv>,
  guard: GuardDeps,
  merchantId: string,
  bodyKey: string | undefined,
  command: (binding?: KeyBinding) => Promise<CommandOutcome>,
): Promise<Response> {
  const key = idempotencyKeyOf(c, bodyKey);
  if (key) return runIdempotent(guard, scopeOf(c, merchantId, key), command);
  const outcome = await command();
  return new Response(outcome.body, {
    status: outcome.httpStatus,
    headers: { "content-type": "application/json" },
  });
}
