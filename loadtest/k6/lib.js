// Shared by the k6 scripts here: requests of the payment API through the
// gateway, with the trends and error rate the original scripts reported.
// k6 runs this file; Deno does not (see loadtest/README.md).
import http from "k6/http";
import { check, sleep } from "k6";
import { Rate, Trend } from "k6/metrics";

/** The dev merchant's key (DEV_API_KEY's default), printed by `deno task start`. */
const devApiKey = "pk_dev_devm123key0000000_devsecretdevsecretdevsecret0000";

export const BASE_URL = (__ENV.BASE_URL || "http://127.0.0.1:8080").replace(/\/$/, "");
export const ENABLE_CAPTURE = (__ENV.ENABLE_CAPTURE || "false").toLowerCase() === "true";
export const ENABLE_REFUND = (__ENV.ENABLE_REFUND || "false").toLowerCase() === "true";

// Load goes to this machine only, as with `deno task load`.
const host = BASE_URL.replace(/^http:\/\//, "").replace(/[/:].*$/, "").replace(/^\[|\]$/g, "");
if (
  !/^http:\/\//.test(BASE_URL) ||
  !(/^127\.\d+\.\d+\.\d+$/.test(host) || host === "localhost" || host === "::1")
) {
  throw new Error(
    `BASE_URL must be http:// on this machine (127.0.0.1, localhost, [::1]): ${BASE_URL}`,
  );
}

// One merchant allows 100 authorizes/s by default (RATE_LIMIT_AUTHORIZE_PER_MIN=6000): give
// several keys (API_KEYS=key1,key2,...; `deno task merchant:create`) or start the gateway
// with RATE_LIMIT_ENABLED=false for rates above that.
const apiKeys = (__ENV.API_KEYS || __ENV.API_KEY || devApiKey).split(",").map((k) => k.trim())
  .filter((k) => k !== "");

const authorizeTrend = new Trend("payment_authorize_duration", true);
const captureTrend = new Trend("payment_capture_duration", true);
const refundTrend = new Trend("payment_refund_duration", true);
/** Capture request sent → payment CAPTURED (seen by polling GET), the platform's settlement latency. */
const captureCompletionTrend = new Trend("payment_capture_completion_duration", true);
const errorRate = new Rate("payment_errors");

/** Polls for CAPTURED at most this often and this many times (2 s in all). */
const pollIntervalS = 0.1;
const pollAttemptsMax = 20;
const errorSamplesMax = 10;
let errorSamples = 0;

function keyFor() {
  return apiKeys[(__VU + __ITER) % apiKeys.length];
}

function params(apiKey, idempotencyKey) {
  const headers = { "Content-Type": "application/json", Authorization: `Bearer ${apiKey}` };
  if (idempotencyKey) headers["Idempotency-Key"] = idempotencyKey;
  return { headers };
}

function logError(step, res) {
  if (errorSamples >= errorSamplesMax) return;
  errorSamples++;
  const body = res.body ? String(res.body).substring(0, 200) : "N/A";
  console.error(
    `ERROR #${errorSamples}: ${step} status=${res.status} error=${res.error} body=${body}`,
  );
}

function buildAmount() {
  return (Math.floor(Math.random() * 50) + 1) * 1000;
}

function buildIdempotencyKey() {
  return `k6-${__VU}-${__ITER}-${Date.now()}-${Math.random().toString(36).slice(2, 8)}`;
}

/** POST /api/payments/authorize; the payment id and key on 201. */
function authorize(apiKey) {
  const key = buildIdempotencyKey();
  const body = JSON.stringify({ amount: buildAmount(), currency: "KRW" });
  const res = http.post(`${BASE_URL}/api/payments/authorize`, body, params(apiKey, key));
  authorizeTrend.add(res.timings.duration);
  const ok = check(res, { "authorize 201": (r) => r.status === 201 });
  errorRate.add(!ok);
  if (!ok) {
    logError("authorize", res);
    return undefined;
  }
  return { paymentId: res.json("paymentId"), key };
}

/** POST /api/payments/{capture|refund}/{id}; true on 202. */
function settle(kind, apiKey, payment, trend) {
  const body = kind === "refund" ? JSON.stringify({ reason: "k6 refund simulation" }) : "{}";
  const res = http.post(
    `${BASE_URL}/api/payments/${kind}/${payment.paymentId}`,
    body,
    params(apiKey, `${payment.key}-${kind}`),
  );
  trend.add(res.timings.duration);
  const ok = check(res, { [`${kind} 202`]: (r) => r.status === 202 });
  errorRate.add(!ok);
  if (!ok) logError(kind, res);
  return ok;
}

/** Polls GET /api/payments/{id} until `status`; false when it does not come in time. */
function waitFor(apiKey, paymentId, status) {
  for (let i = 0; i < pollAttemptsMax; i++) {
    const res = http.get(`${BASE_URL}/api/payments/${paymentId}`, params(apiKey), {
      tags: { name: "poll" },
    });
    if (res.status === 200 && res.json("status") === status) return true;
    sleep(pollIntervalS);
  }
  return false;
}

/**
 * One iteration: authorize, then capture (and wait for CAPTURED) and refund
 * when asked; by default as the original's ENABLE_CAPTURE / ENABLE_REFUND say.
 */
export function paymentIteration(capture = ENABLE_CAPTURE, refund = ENABLE_REFUND) {
  const apiKey = keyFor();
  const payment = authorize(apiKey);
  if (!payment || (!capture && !refund)) return;
  if (capture) {
    const sentAt = Date.now();
    if (!settle("capture", apiKey, payment, captureTrend)) return;
    const captured = waitFor(apiKey, payment.paymentId, "CAPTURED");
    errorRate.add(!captured);
    if (!captured) return;
    captureCompletionTrend.add(Date.now() - sentAt);
  }
  if (refund) settle("refund", apiKey, payment, refundTrend);
}

/** The original thresholds, tightened to this platform's targets (1% failed, p95 500 ms). */
export function thresholds(capture = ENABLE_CAPTURE, refund = ENABLE_REFUND) {
  const t = {
    http_req_failed: ["rate<0.01"],
    http_req_duration: ["p(95)<500"],
    payment_errors: ["rate<0.01"],
    payment_authorize_duration: ["p(95)<500"],
  };
  if (capture) {
    t.payment_capture_duration = ["p(95)<600"];
    t.payment_capture_completion_duration = ["p(99)<1000"];
  }
  if (refund) t.payment_refund_duration = ["p(95)<700"];
  return t;
}
