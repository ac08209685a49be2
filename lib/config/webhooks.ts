import { boolVar, type Env, intVar, parseEnv } from "./env.ts";

export const webhooksVars = {
  WEBHOOK_ALLOW_PRIVATE_URLS: boolVar(
    false,
    "Allow webhook endpoints on loopback and private addresses (local development only; `deno task start` sets it)",
  ),
  WEBHOOK_DISPATCH_POLL_MS: intVar(
    200,
    10,
    60000,
    "Sleep of an idle webhook dispatcher between claims (bounds retry pick-up; new events wake it at once)",
  ),
  WEBHOOK_DISPATCH_BATCH_SIZE: intVar(
    50,
    1,
    1000,
    "Webhook deliveries one dispatcher claims and sends concurrently",
  ),
  WEBHOOK_DELIVERY_LEASE_MS: intVar(
    30000,
    11000,
    600000,
    "How long a claimed delivery stays invisible to other dispatchers (above the 10 s send timeout)",
  ),
  WEBHOOK_DISABLE_AFTER_FAILURES: intVar(
    10,
    1,
    100000,
    "Consecutive failed attempts after which an endpoint is disabled (with WEBHOOK_DISABLE_AFTER_MS)",
  ),
  WEBHOOK_DISABLE_AFTER_MS: intVar(
    259200000,
    0,
    2592000000,
    "How long an endpoint's run of failures must last before it is disabled (default 3 days)",
  ),
  WEBHOOK_EVENT_RETENTION_MS: intVar(
    2592000000,
    3600000,
    31536000000,
    "How long webhook events (and their deliveries) are kept and listed (default 30 days)",
  ),
  WEBHOOK_SWEEP_INTERVAL_MS: intVar(
    5000,
    100,
    3600000,
    "How often the webhook-event sweeper derives events whose bus message was lost",
  ),
  WEBHOOK_SWEEP_GRACE_MS: intVar(
    30000,
    0,
    3600000,
    "How long after leaving the outbox an event may still be on its way to the webhook consumer",
  ),
};

export interface WebhooksConfig {
  readonly allowPrivateUrls: boolean;
  readonly dispatchPollMs: number;
  readonly dispatchBatchSize: number;
  readonly deliveryLeaseMs: number;
  readonly disableAfterFailures: number;
  readonly disableAfterMs: number;
  readonly eventRetentionMs: number;
  readonly sweepIntervalMs: number;
  readonly sweepGraceMs: number;
}

export function readWebhooksConfig(env: Env): WebhooksConfig {
  const v = parseEnv(webhooksVars, env);
  return Object.freeze({
    allowPrivateUrls: v.WEBHOOK_ALLOW_PRIVATE_URLS,
    dispatchPollMs: v.WEBHOOK_DISPATCH_POLL_MS,
    dispatchBatchSize: v.WEBHOOK_DISPATCH_BATCH_SIZE,
    deliveryLeaseMs: v.WEBHOOK_DELIVERY_LEASE_MS,
    disableAfterFailures: v.WEBHOOK_DISABLE_AFTER_FAILURES,
    disableAfterMs: v.WEBHOOK_DISABLE_AFTER_MS,
    eventRetentionMs: v.WEBHOOK_EVENT_RETENTION_MS,
    sweepIntervalMs: v.WEBHOOK_SWEEP_INTERVAL_MS,
    sweepGraceMs: v.WEBHOOK_SWEEP_GRACE_MS,
  });
}
