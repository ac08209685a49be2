/**
 * Webhook delivery latency: payment event committed → first delivery
 * attempt, p50/p99, with the real processes (workers/e2e/platform.ts) and a
 * local receiver, at a modest steady rate of authorize + capture flows.
 *
 *   deno run --allow-all workers/webhooks/latency_bench.ts [flowsPerSecond=20] [seconds=30] [profile=scale-out]
 *
 * scale-out (MariaDB, Redis) is the profile of the recorded figures; embedded runs on nothing but Deno.
 */
import { profiles } from "@pay/lib/config";
import { readWebhookFirstAttemptDelaysMs } from "@pay/lib/db";
import { startPlatform, until } from "../e2e/platform.ts";
import { startReceiver } from "./testing.ts";

const flowsPerSecond = Number(Deno.args[0] ?? 20);
const seconds = Number(Deno.args[1] ?? 30);
const profile = profiles.find((p) => p === (Deno.args[2] ?? "scale-out"));
if (!profile) throw new Error(`Profile must be one of ${profiles.join(", ")}: ${Deno.args[2]}`);

const receiver = startReceiver();
const platform = await startPlatform("wh_latency_bench", {
  profile,
  env: {
    WEBHOOK_ALLOW_PRIVATE_URLS: "true",
    LOG_ACCESS: "false",
    // The bench measures delivery, not the merchant's rate limit: far above what it offers.
    RATE_LIMIT_AUTHORIZE_PER_MIN: "10000000",
    RATE_LIMIT_AUTHORIZE_BURST: "1000000",
    RATE_LIMIT_CAPTURE_PER_MIN: "10000000",
    RATE_LIMIT_CAPTURE_BURST: "1000000",
  },
});
try {
  const created = await platform.api("POST", "/api/webhook-endpoints", { url: receiver.url });
  if (created.status !== 201) throw new Error(`Endpoint not created: ${created.status}`);
  const since = new Date();
  const flows = flowsPerSecond * seconds;
  const started = performance.now();
  const running: Promise<void>[] = [];
  // Events to expect: one per authorized payment, one per capture accepted (CAPTURED follows).
  let authorized = 0;
  let captureAccepted = 0;
  let refused = 0;
  for (let i = 0; i < flows; i++) {
    const due = started + (i * 1000) / flowsPerSecond;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    running.push((async () => {
      const a = await platform.api("POST", "/api/payments/authorize", {
        amount: 1000,
        currency: "KRW",
      }, `bench-${i}`);
      if (a.status !== 201) return void refused++;
      authorized++;
      const c = await platform.api("POST", `/api/payments/capture/${a.body.paymentId}`, {});
      if (c.status === 202) captureAccepted++;
      else refused++;
    })());
  }
  await Promise.all(running);
  const load = await Deno.readTextFile("/proc/loadavg");
  // authorized + captured per flow (capture-requested is no webhook type).
  const expected = authorized + captureAccepted;
  await until(() => receiver.received.length >= expected, "every event delivered", 120_000);
  const delays = (await readWebhookFirstAttemptDelaysMs(platform.db.pool, since)).sort((a, b) =>
    a - b
  );
  const at = (q: number) => delays[Math.min(delays.length - 1, Math.floor(q * delays.length))]!;
  console.log(JSON.stringify({
    profile,
    flowsPerSecond,
    seconds,
    deliveries: delays.length,
    authorized,
    captureAccepted,
    refused,
    firstAttemptDelayMs: {
      p50: Math.round(at(0.5)),
      p90: Math.round(at(0.9)),
      p99: Math.round(at(0.99)),
      max: Math.round(delays.at(-1)!),
    },
    loadavg: load.trim(),
    cpus: navigator.hardwareConcurrency,
  }));
} finally {
  await platform.stop();
  await receiver.close();
}
