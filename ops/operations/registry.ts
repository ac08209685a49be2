import { z } from "zod";
import { rateLimitClasses } from "@pay/lib/config";
import { outboxRequeueRowsMax } from "@pay/lib/db";
import { topics } from "@pay/lib/domain";
import {
  breakerStatus,
  diagnoseBreakers,
  failurePattern,
  failurePatternWindowSecondsMax,
  forceBreaker,
} from "./breakers.ts";
import { busHealth } from "./bus_health.ts";
import { cacheStats } from "./cache_stats.ts";
import { dlqList, dlqReplay, dlqRowsMax } from "./dlq.ts";
import { idempotencyLookup } from "./idempotency.ts";
import {
  booleanInput,
  idListInput,
  instantInput,
  limitInput,
  merchantIdInput,
  paymentIdInput,
  paymentStatusInput,
  utcDateInput,
} from "./input.ts";
import { ledgerCheck, ledgerLookup } from "./ledger.ts";
import {
  webhookDeliveries,
  webhookDeliveryRowsMax,
  webhookEndpointRowsMax,
  webhookEndpoints,
  webhookReplayEvent,
  webhookReplayRange,
  webhookReplayRangeEventsMax,
} from "./webhooks.ts";
import { defineOperation, type Operation } from "./operation.ts";
import { outboxStatus, requeueOutbox } from "./outbox.ts";
import {
  paymentDetail,
  paymentsQueryRowsMax,
  paymentStatistics,
  queryPayments,
} from "./payments.ts";
import { blockedMerchants, rateLimitReset, rateLimitStatus } from "./rate_limits.ts";
import {
  reconciliationCheck,
  reconciliationReport,
  triggerReconciliation,
} from "./reconciliation.ts";

const topicInput = z.string().min(1).max(200).describe(
  `Original topic, e.g. ${topics.captured}`,
);

const webhookIdInput = z.string().regex(/^[A-Za-z0-9_-]{1,40}$/, "an id like we_... or evt_...");
const endpointIdInput = webhookIdInput.describe("Webhook endpoint id, e.g. we_01j...");
const eventIdInput = webhookIdInput.describe("Event id, e.g. evt_01j...");

/** Every operation, in the order the API index, MCP tool list and CLI help show them. */
export const operations: readonly Operation[] = [
  defineOperation({
    name: "breaker-status",
    summary: "State and call counts of every circuit breaker, scraped from each service's /metrics",
    method: "GET",
    path: "/breakers",
    mcp: "breaker_status",
    input: {},
    run: (ctx) => breakerStatus(ctx),
    problems: (r) => r.breakers.some((b) => b.state !== "closed") || r.services.some((s) => !s.up),
  }),
  defineOperation({
    name: "breaker-diagnose",
    summary:
      "Which breaker is open, its recent failure rate and the likely cause (PG down, bus down)",
    method: "GET",
    path: "/breakers/diagnosis",
    mcp: "breaker_diagnose",
    input: {},
    run: (ctx) => diagnoseBreakers(ctx),
    problems: (r) => !r.healthy,
  }),
  defineOperation({
    name: "failure-pattern",
    summary: "Calls, failure and timeout shares and state changes of one breaker over a window",
    method: "GET",
    path: "/breakers/failure-pattern",
    mcp: "failure_pattern",
    input: {
      name: z.string().min(1).max(100).describe("Breaker name, e.g. pg-authorize, bus-publish"),
      windowSeconds: z.coerce.number().int().min(1).max(failurePatternWindowSecondsMax).default(300)
        .describe("How far back to look (default 300 s)"),
    },
    positional: ["name"],
    run: (ctx, i) => failurePattern(ctx, i.name, i.windowSeconds),
  }),
  defineOperation({
    name: "breaker-force",
    summary: "Force a breaker open (held until closed) or closed in the services that have it",
    method: "POST",
    path: "/breakers/:name/:action",
    mutating: true,
    input: {
      name: z.string().min(1).max(100).describe("Breaker name"),
      action: z.enum(["open", "close"]),
      service: z.string().min(1).max(64).optional().describe(
        "Only this service (a scrape target name)",
      ),
    },
    positional: ["name", "action"],
    run: (ctx, i) => forceBreaker(ctx, i.name, i.action, i.service),
    problems: (r) => r.results.some((x) => !x.ok),
  }),
  defineOperation({
    name: "bus-health",
    summary: "Whether the event bus answers; topic streams and consumer-group backlog; DLQ pending",
    method: "GET",
    path: "/bus",
    mcp: "bus_health",
    input: {},
    run: (ctx) => busHealth(ctx),
    problems: (r) => !r.healthy,
  }),
  defineOperation({
    name: "payments",
    summary: "Payments by id, merchant, status and creation time range, newest first",
    method: "GET",
    path: "/payments",
    mcp: "query_payments",
    input: {
      paymentId: paymentIdInput.optional(),
      merchantId: merchantIdInput.optional(),
      status: paymentStatusInput.optional(),
      from: instantInput.optional().describe("Created at or after (ISO 8601)"),
      to: instantInput.optional().describe("Created before (ISO 8601)"),
      beforeId: paymentIdInput.optional().describe("Page cursor: the previous page's nextCursor"),
      limit: limitInput(50, paymentsQueryRowsMax),
    },
    run: (ctx, i) => queryPayments(ctx.pool, i),
  }),
  defineOperation({
    name: "payment-statistics",
    summary: "Payment counts and amounts by status and currency, last hour and last day",
    method: "GET",
    path: "/payments/statistics",
    mcp: "payment_statistics",
    input: { merchantId: merchantIdInput.optional() },
    run: (ctx, i) => paymentStatistics(ctx.pool, ctx.now(), i.merchantId),
  }),
  defineOperation({
    name: "payment",
    summary: "One payment with its timeline, ledger lines, PG requests and outbox events",
    method: "GET",
    path: "/payments/:paymentId",
    mcp: "payment_detail",
    input: { paymentId: paymentIdInput },
    positional: ["paymentId"],
    run: (ctx, i) => paymentDetail(ctx.pool, i.paymentId),
  }),
  defineOperation({
    name: "outbox",
    summary: "Outbox backlog (NEW rows, oldest age) and DEAD rows",
    method: "GET",
    path: "/outbox",
    mcp: "outbox_status",
    input: {
      limit: limitInput(50, 1_000),
      afterId: z.coerce.number().int().min(0).optional().describe(
        "DEAD rows after this id (paging)",
      ),
    },
    run: (ctx, i) => outboxStatus(ctx.pool, i),
    problems: (r) => r.dead > 0,
  }),
  defineOperation({
    name: "outbox-requeue",
    summary: "Requeue DEAD outbox rows (by ids, or all up to a limit) for publishing",
    method: "POST",
    path: "/outbox/requeue",
    mutating: true,
    input: {
      ids: idListInput.optional(),
      all: booleanInput.optional().describe("Requeue the oldest DEAD rows up to limit"),
      limit: z.coerce.number().int().min(1).max(outboxRequeueRowsMax).optional(),
    },
    run: (ctx, i) => requeueOutbox(ctx.pool, i),
  }),
  defineOperation({
    name: "ledger-check",
    summary: "Every journal entry balances and each merchant's payable matches the payments",
    method: "GET",
    path: "/ledger/check",
    mcp: "ledger_check",
    input: {},
    run: (ctx) => ledgerCheck(ctx.pool),
    problems: (r) => !r.ok,
  }),
  defineOperation({
    name: "ledger",
    summary: "One payment's journal entries, lines and net per account",
    method: "GET",
    path: "/ledger/:paymentId",
    mcp: "ledger_lookup",
    input: { paymentId: paymentIdInput },
    positional: ["paymentId"],
    run: (ctx, i) => ledgerLookup(ctx.pool, i.paymentId),
  }),
  defineOperation({
    name: "reconciliation",
    summary: "Latest reconciliation runs and the mismatches of the newest (or of runId)",
    method: "GET",
    path: "/reconciliation",
    mcp: "reconciliation_report",
    input: {
      limit: limitInput(10, 100),
      runId: z.coerce.number().int().positive().optional().describe("Show this run's mismatches"),
    },
    run: (ctx, i) => reconciliationReport(ctx.pool, i),
    problems: (r) => r.run !== null && r.run.status !== "CLEAN",
  }),
  defineOperation({
    name: "reconciliation-check",
    summary: "Reconcile a UTC day against the PG report and the ledger without storing (read-only)",
    method: "GET",
    path: "/reconciliation/check",
    mcp: "reconciliation_check",
    input: { date: utcDateInput.optional().describe("UTC date YYYY-MM-DD (default today)") },
    run: (ctx, i) => reconciliationCheck(ctx, i.date),
    problems: (r) => !r.clean,
  }),
  defineOperation({
    name: "reconciliation-run",
    summary: "Run and store a reconciliation of a UTC day now (default yesterday)",
    method: "POST",
    path: "/reconciliation/run",
    mutating: true,
    input: { date: utcDateInput.optional() },
    run: (ctx, i) => triggerReconciliation(ctx, i.date),
    problems: (r) => !r.clean,
  }),
  defineOperation({
    name: "dlq",
    summary: "Archived dead letters (never replayed ones unless includeReplayed), oldest first",
    method: "GET",
    path: "/dlq",
    mcp: "dlq_list",
    input: {
      topic: topicInput.optional(),
      from: instantInput.optional().describe("Failed at or after"),
      to: instantInput.optional().describe("Failed before"),
      includeReplayed: booleanInput.optional(),
      afterId: z.coerce.number().int().min(0).optional(),
      limit: limitInput(50, dlqRowsMax),
    },
    run: (ctx, i) =>
      dlqList(ctx.pool, {
        originalTopic: i.topic,
        from: i.from,
        to: i.to,
        includeReplayed: i.includeReplayed,
        afterId: i.afterId,
        limit: i.limit,
      }),
  }),
  defineOperation({
    name: "dlq-replay",
    summary: "Replay dead letters to their original topics (select by ids, topic or time range)",
    method: "POST",
    path: "/dlq/replay",
    mutating: true,
    input: {
      ids: idListInput.optional(),
      topic: topicInput.optional(),
      from: instantInput.optional(),
      to: instantInput.optional(),
      includeReplayed: booleanInput.optional(),
      limit: z.coerce.number().int().min(1).max(dlqRowsMax).optional(),
    },
    run: (ctx, i, meta) =>
      dlqReplay(ctx, {
        ids: i.ids,
        originalTopic: i.topic,
        from: i.from,
        to: i.to,
        includeReplayed: i.includeReplayed,
        limit: i.limit,
      }, meta.actor),
  }),
  defineOperation({
    name: "webhook-endpoints",
    summary: "Webhook endpoints of any merchant with failure run, pending deliveries, last attempt",
    method: "GET",
    path: "/webhooks/endpoints",
    mcp: "webhook_endpoints",
    input: {
      merchantId: merchantIdInput.optional(),
      status: z.enum(["enabled", "disabled"]).optional(),
      failing: booleanInput.optional().describe(
        "Only endpoints failing now or disabled after failures",
      ),
      limit: limitInput(100, webhookEndpointRowsMax),
    },
    run: (ctx, i) => webhookEndpoints(ctx, i),
    problems: (r) => r.disabledByFailures > 0,
  }),
  defineOperation({
    name: "webhook-failing",
    summary: "Webhook endpoints failing now or disabled after a run of failures",
    method: "GET",
    path: "/webhooks/endpoints/failing",
    mcp: "webhook_failing_endpoints",
    input: {
      merchantId: merchantIdInput.optional(),
      limit: limitInput(100, webhookEndpointRowsMax),
    },
    run: (ctx, i) => webhookEndpoints(ctx, { ...i, failing: true }),
    problems: (r) => r.endpoints.length > 0,
  }),
  defineOperation({
    name: "webhook-deliveries",
    summary: "Recent deliveries of an endpoint or an event: status code, latency, attempts, next",
    method: "GET",
    path: "/webhooks/deliveries",
    mcp: "webhook_deliveries",
    input: {
      endpointId: endpointIdInput.optional(),
      eventId: eventIdInput.optional(),
      limit: limitInput(50, webhookDeliveryRowsMax),
    },
    run: (ctx, i) => webhookDeliveries(ctx, i),
  }),
  defineOperation({
    name: "webhook-replay",
    summary: "Deliver one event again to one endpoint (idempotent: a pending delivery stays)",
    method: "POST",
    path: "/webhooks/replay",
    mutating: true,
    input: { eventId: eventIdInput, endpointId: endpointIdInput },
    positional: ["eventId", "endpointId"],
    run: (ctx, i, meta) => webhookReplayEvent(ctx, i.eventId, i.endpointId, meta.actor),
  }),
  defineOperation({
    name: "webhook-replay-range",
    summary: "Deliver again to one endpoint its merchant's events created in [from, to)",
    method: "POST",
    path: "/webhooks/replay-range",
    mutating: true,
    input: {
      endpointId: endpointIdInput,
      from: instantInput.describe("Events created at or after (ISO 8601)"),
      to: instantInput.describe("Events created before (ISO 8601)"),
      limit: limitInput(100, webhookReplayRangeEventsMax),
    },
    positional: ["endpointId"],
    run: (ctx, i, meta) => webhookReplayRange(ctx, i, meta.actor),
  }),
  defineOperation({
    name: "blocked-merchants",
    summary: "Merchants rate limited recently (within the last hour at most), latest first",
    method: "GET",
    path: "/rate-limits/blocked",
    mcp: "blocked_merchants",
    input: {
      withinSeconds: z.coerce.number().int().min(1).max(3_600).optional()
        .describe("How far back (default and cap: 3600 s)"),
    },
    run: (ctx, i) => blockedMerchants(ctx, i.withinSeconds),
  }),
  defineOperation({
    name: "rate-limit",
    summary: "A merchant's rate-limit buckets: limit, burst, remaining, reset",
    method: "GET",
    path: "/rate-limits/merchants/:merchantId",
    mcp: "rate_limit_status",
    input: { merchantId: merchantIdInput },
    positional: ["merchantId"],
    run: (ctx, i) => rateLimitStatus(ctx, i.merchantId),
  }),
  defineOperation({
    name: "rate-limit-reset",
    summary: "Refill a merchant's rate-limit buckets (all classes, or one)",
    method: "POST",
    path: "/rate-limits/merchants/:merchantId/reset",
    mutating: true,
    input: { merchantId: merchantIdInput, endpointClass: z.enum(rateLimitClasses).optional() },
    positional: ["merchantId"],
    run: (ctx, i) => rateLimitReset(ctx, i.merchantId, i.endpointClass),
  }),
  defineOperation({
    name: "idempotency",
    summary: "An idempotency key: the MariaDB record and the Redis cache entry",
    method: "GET",
    path: "/idempotency",
    mcp: "idempotency_lookup",
    input: {
      merchantId: merchantIdInput,
      key: z.string().min(1).max(255).describe("The Idempotency-Key the merchant sent"),
    },
    positional: ["merchantId", "key"],
    run: (ctx, i) => idempotencyLookup(ctx, i.merchantId, i.key),
  }),
  defineOperation({
    name: "cache-stats",
    summary: "Redis hits, misses, memory, and the platform's keys by prefix (bounded SCAN)",
    method: "GET",
    path: "/cache",
    mcp: "cache_stats",
    input: {},
    run: (ctx) => cacheStats(ctx),
  }),
];

export function operationNamed(name: string): Operation | undefined {
  return operations.find((op) => op.name === name);
}
