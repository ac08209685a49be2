import type { Context, Hono } from "hono";
import { DomainError, isPaymentId, ValidationError } from "@pay/lib/domain";
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
import { decodeCursor, getPayment, listMerchantPayments } from "./payments/read.ts";
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
        "Idempotency-Key header is required on authorize",
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
          idempotencyKey: key,
          fingerprint,
          requestPath,
        }, binding.record),
    );
  });

  app.post("/api/payments/capture/:paymentId", (c) => {
    const input = parseOrThrow(captureBodySchema, bodyOf(c));
    const command = {
      merchantId: ownMerchant(c, input.merchantId),
      paymentId: paymentIdOf(c),
      amount: input.amount,
    };
    return keyed(
      c,
      r.guard,
      command.merchantId,
      input.idempotencyKey,
      (binding) => capture(commandDeps, command, binding),
    );
  });

  app.post("/api/payments/refund/:paymentId", (c) => {
    const input = parseOrThrow(refundBodySchema, bodyOf(c));
    const command = {
      merchantId: ownMerchant(c, input.merchantId),
      paymentId: paymentIdOf(c),
      amount: input.amount,
      reason: input.reason,
    };
    return keyed(
      c,
      r.guard,
      command.merchantId,
      input.idempotencyKey,
      (binding) => refund(commandDeps, command, binding),
    );
  });

  app.post("/api/payments/cancel/:paymentId", (c) => {
    const input = parseOrThrow(cancelBodySchema, bodyOf(c));
    const command = {
      merchantId: ownMerchant(c, input.merchantId),
      paymentId: paymentIdOf(c),
      reason: input.reason,
    };
    return keyed(
      c,
      r.guard,
      command.merchantId,
      input.idempotencyKey,
      (binding) => cancel(commandDeps, command, binding),
    );
  });

  app.get("/api/payments/:paymentId", async (c) => {
    return c.json(await getPayment(r.deps.pool, c.get("merchantId"), paymentIdOf(c)));
  });

  app.get("/api/payments", async (c) => {
    const query = parseOrThrow(listQuerySchema, c.req.query());
    const beforeId = query.cursor === undefined ? undefined : decodeCursor(query.cursor);
    if (query.cursor !== undefined && !beforeId) {
      throw new ValidationError("cursor: is not a valid cursor", "cursor");
    }
    return c.json(
      await listMerchantPayments(r.deps.pool, c.get("merchantId"), { ...query, beforeId }),
    );
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
  const id = c.req.param("paymentId") ?? "";
  if (!isPaymentId(id)) {
    throw new ValidationError(`paymentId: is not a payment id: ${id.slice(0, 64)}`, "paymentId");
  }
  return id;
}

/** The header wins; the seed's body field also works; both given must agree. */
function idempotencyKeyOf(c: Context<IngestEnv>, bodyKey: string | undefined): string | undefined {
  const header = c.req.header("idempotency-key");
  if (header === undefined) return bodyKey;
  const key = parseOrThrow(idempotencyKeySchema, header);
  if (bodyKey !== undefined && bodyKey !== key) {
    throw new ValidationError(
      "Idempotency-Key header and body idempotencyKey differ",
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
    fingerprint: requestFingerprint(c.req.method, path, bodyOf(c)),
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
