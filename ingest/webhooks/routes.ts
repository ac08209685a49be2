import type { Context, Hono } from "hono";
import {
  countWebhookEndpoints,
  deleteWebhookEndpoint,
  findWebhookEndpoint,
  findWebhookEvent,
  insertWebhookEndpointStatement,
  listWebhookEndpoints,
  listWebhookEvents,
  rotateWebhookEndpointSecret,
  runTransactionBatch,
  type Statement,
  updateWebhookEndpoint,
  type WebhookEndpointRecord,
} from "@pay/lib/db";
import {
  allWebhookEvents,
  isEventId,
  isWebhookEndpointId,
  newWebhookEndpointId,
  newWebhookSecret,
  NotFoundError,
  ValidationError,
  webhookSecretOverlapMs,
} from "@pay/lib/domain";
import { checkWebhookUrl } from "@pay/lib/webhooks";
import type { IngestDeps, IngestEnv } from "../deps.ts";
import { jsonObjectBody } from "../http/json_body.ts";
import { requestFingerprint } from "../idempotency/fingerprint.ts";
import { type CommandOutcome, type GuardDeps, runIdempotent } from "../idempotency/guard.ts";
import { idempotencyKeySchema, parseOrThrow } from "../payments/schemas.ts";
import { decodeEventCursor, encodeEventCursor, endpointJson, eventJson } from "./json.ts";
import {
  createEndpointSchema,
  emptyBodySchema,
  eventListQuerySchema,
  updateEndpointSchema,
  webhookEndpointsPerMerchantMax,
} from "./schemas.ts";

export interface WebhookRouteDeps {
  readonly deps: IngestDeps;
  readonly guard: GuardDeps;
  /** WEBHOOK_ALLOW_PRIVATE_URLS: loopback and private addresses accepted (development). */
  readonly allowPrivateUrls: boolean;
  /** Events older than this are past retention (WEBHOOK_EVENT_RETENTION_MS). */
  readonly eventRetentionMs: number;
}

/**
 * Webhook endpoints and the events API (DESIGN §11) as ingest serves them
 * behind the gateway: merchant-scoped (another merchant's endpoint or event
 * is 404), POSTs idempotent with an Idempotency-Key.
 */
export function mountWebhookRoutes(app: Hono<IngestEnv>, r: WebhookRouteDeps): void {
  const { pool } = r.deps;

  app.post("/api/webhook-endpoints", (c) => {
    const body = bodyOf(c);
    const input = parseOrThrow(createEndpointSchema, body);
    const url = checkWebhookUrl(input.url, r.allowPrivateUrls);
    return keyed(c, r.guard, body, async (record) => {
      if (await countWebhookEndpoints(pool, merchantOf(c)) >= webhookEndpointsPerMerchantMax) {
        throw new ValidationError(
          `A merchant has at most ${webhookEndpointsPerMerchantMax} webhook endpoints`,
        );
      }
      const now = r.deps.now();
      const endpoint: WebhookEndpointRecord = {
        id: newWebhookEndpointId(),
        merchantId: merchantOf(c),
        url,
        description: input.description ?? null,
        events: input.events ?? [allWebhookEvents],
        status: "enabled",
        disabledReason: null,
        secret: newWebhookSecret(),
        previousSecret: null,
        previousSecretExpiresAt: null,
        consecutiveFailures: 0,
        failingSince: null,
        disabledAt: null,
        createdAt: now,
        updatedAt: now,
      };
      const outcome = jsonOutcome(201, endpointJson(endpoint, true));
      await runTransactionBatch(pool, [
        insertWebhookEndpointStatement(endpoint),
        ...record(outcome),
      ]);
      return outcome;
    });
  });

  app.get("/api/webhook-endpoints", async (c) => {
    const endpoints = await listWebhookEndpoints(
      pool,
      merchantOf(c),
      webhookEndpointsPerMerchantMax,
    );
    return c.json({ data: endpoints.map((e) => endpointJson(e)) });
  });

  app.get("/api/webhook-endpoints/:id", async (c) => {
    return c.json(endpointJson(await ownEndpoint(c)));
  });

  app.patch("/api/webhook-endpoints/:id", async (c) => {
    const input = parseOrThrow(updateEndpointSchema, bodyOf(c));
    const url = input.url === undefined
      ? undefined
      : checkWebhookUrl(input.url, r.allowPrivateUrls);
    const updated = await updateWebhookEndpoint(
      pool,
      merchantOf(c),
      endpointIdOf(c),
      { ...input, url },
      r.deps.now(),
    );
    if (!updated) throw notFound(endpointIdOf(c));
    return c.json(endpointJson(updated));
  });

  app.delete("/api/webhook-endpoints/:id", async (c) => {
    if (!await deleteWebhookEndpoint(pool, merchantOf(c), endpointIdOf(c))) {
      throw notFound(endpointIdOf(c));
    }
    return c.body(null, 204);
  });

  app.post("/api/webhook-endpoints/:id/rotate-secret", (c) => {
    const body = bodyOf(c);
    parseOrThrow(emptyBodySchema, body);
    return keyed(c, r.guard, body, async (record) => {
      const endpoint = await ownEndpoint(c);
      const now = r.deps.now();
      const overlapUntil = new Date(now.getTime() + webhookSecretOverlapMs);
      const rotated = { ...endpoint, secret: newWebhookSecret(), updatedAt: now };
      const outcome = jsonOutcome(200, {
        ...endpointJson(rotated, true),
        previousSecretExpiresAt: overlapUntil.toISOString(),
      });
      const done = await rotateWebhookEndpointSecret(pool, {
        merchantId: endpoint.merchantId,
        id: endpoint.id,
        secret: rotated.secret,
        overlapUntil,
        now,
      }, record(outcome));
      if (!done) throw notFound(endpoint.id);
      return outcome;
    });
  });

  app.get("/api/events", async (c) => {
    const query = parseOrThrow(eventListQuerySchema, c.req.query());
    const before = query.cursor === undefined ? undefined : decodeEventCursor(query.cursor);
    if (query.cursor !== undefined && !before) {
      throw new ValidationError("cursor: is not a valid cursor", "cursor");
    }
    // One extra row tells whether another page exists without a COUNT.
    const rows = await listWebhookEvents(pool, {
      merchantId: merchantOf(c),
      type: query.type,
      paymentId: query.paymentId,
      since: retentionStart(r),
      before,
      limit: query.limit + 1,
    });
    const page = rows.slice(0, query.limit);
    const last = page.at(-1);
    return c.json({
      data: page.map(eventJson),
      nextCursor: rows.length > query.limit && last ? encodeEventCursor(last) : null,
    });
  });

  app.get("/api/events/:id", async (c) => {
    const id = c.req.param("id");
    const event = isEventId(id)
      ? await findWebhookEvent(pool, merchantOf(c), id, retentionStart(r))
      : undefined;
    if (!event) throw new NotFoundError(`No such event: ${id.slice(0, 64)}`);
    return c.json(eventJson(event));
  });

  async function ownEndpoint(c: Context<IngestEnv>): Promise<WebhookEndpointRecord> {
    const id = endpointIdOf(c);
    const endpoint = await findWebhookEndpoint(pool, merchantOf(c), id);
    if (!endpoint) throw notFound(id);
    return endpoint;
  }
}

function retentionStart(r: WebhookRouteDeps): Date {
  return new Date(r.deps.now().getTime() - r.eventRetentionMs);
}

function merchantOf(c: Context<IngestEnv>): string {
  return c.get("merchantId");
}

/** A malformed id names no endpoint of this merchant: 404, like another merchant's. */
function endpointIdOf(c: Context<IngestEnv>): string {
  const id = c.req.param("id") ?? "";
  if (!isWebhookEndpointId(id)) throw notFound(id);
  return id;
}

function notFound(id: string): NotFoundError {
  return new NotFoundError(`No such webhook endpoint: ${id.slice(0, 64)}`);
}

function bodyOf(c: Context<IngestEnv>): Record<string, unknown> {
  let body = c.get("jsonBody");
  if (body === undefined) {
    body = jsonObjectBody(c.get("rawBody"), c.req.header("content-type"));
    c.set("jsonBody", body);
  }
  return body;
}

function jsonOutcome(httpStatus: number, body: unknown): CommandOutcome {
  return { httpStatus, body: JSON.stringify(body), paymentId: null };
}

/**
 * Runs a creating command under the idempotency guard when the request has
 * an Idempotency-Key (its record commits with the effect), else once.
 */
async function keyed(
  c: Context<IngestEnv>,
  guard: GuardDeps,
  body: Record<string, unknown>,
  command: (record: (outcome: CommandOutcome) => Statement[]) => Promise<CommandOutcome>,
): Promise<Response> {
  const header = c.req.header("idempotency-key");
  if (header === undefined) {
    const outcome = await command(() => []);
    return new Response(outcome.body, {
      status: outcome.httpStatus,
      headers: { "content-type": "application/json" },
    });
  }
  const key = parseOrThrow(idempotencyKeySchema, header);
  const path = new URL(c.req.url).pathname;
  const scope = {
    merchantId: merchantOf(c),
    key,
    method: c.req.method,
    path,
    fingerprint: requestFingerprint(c.req.method, path, body),
  };
  return await runIdempotent(guard, scope, (binding) => command((o) => [binding.record(o)]));
}
