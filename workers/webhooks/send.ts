import {
  checkDestination,
  DestinationRefusedError,
  type HostResolver,
  type PinnedDestination,
  signWebhook,
} from "@pay/lib/webhooks";
import { postPinned } from "./pinned_post.ts";

export { webhookResponseBytesMax } from "./pinned_post.ts";

/** One attempt's timeout, connection to last body byte (the bound). */
export const webhookTimeoutMs = 10_000;

/** What a delivery attempt sends. */
export interface WebhookRequest {
  readonly url: string;
  readonly eventId: string;
  readonly payload: string;
  readonly secrets: readonly string[];
}

export type AttemptResult = "delivered" | "http_error" | "timeout" | "network_error" | "refused";

export interface AttemptReport {
  readonly result: AttemptResult;
  readonly statusCode: number | null;
  readonly error: string | null;
  readonly latencyMs: number;
}

export interface SendOptions {
  readonly resolve: HostResolver;
  readonly allowPrivate: boolean;
  readonly timeoutMs?: number;
  readonly now?: () => Date;
  /** Trust roots instead of the default ones (tests: a local TLS receiver). */
  readonly caCerts?: readonly string[];
}

/**
 * POSTs an event to an endpoint, signed per Standard Webhooks: the resolved
 * addresses are checked first (SSRF) and the request goes to the address
 * checked (no second lookup to rebind), redirects are not followed (a 3xx is a
 * failure), the body is read up to `webhookResponseBytesMax`, and only a 2xx
 * delivers. Never throws: every failure is a report.
 */
export async function sendWebhook(
  request: WebhookRequest,
  options: SendOptions,
): Promise<AttemptReport> {
  const started = performance.now();
  const elapsed = () => performance.now() - started;
  let destination: PinnedDestination;
  try {
    destination = await checkDestination(request.url, options.resolve, options.allowPrivate);
  } catch (error) {
    const refused = error instanceof DestinationRefusedError;
    return {
      result: refused ? "refused" : "network_error",
      statusCode: null,
      error: refused ? error.message : `Host lookup failed: ${String(error)}`,
      latencyMs: elapsed(),
    };
  }
  const signal = AbortSignal.timeout(options.timeoutMs ?? webhookTimeoutMs);
  try {
    const headers = signWebhook(
      request.secrets,
      request.eventId,
      (options.now ?? (() => new Date()))(),
      request.payload,
    );
    const response = await postPinned(destination, {
      headers: { ...headers, "content-type": "application/json", "user-agent": "pay-webhooks/1" },
      body: request.payload,
      signal,
      caCerts: options.caCerts,
    });
    const delivered = response.statusCode >= 200 && response.statusCode < 300;
    return {
      result: delivered ? "delivered" : "http_error",
      statusCode: response.statusCode,
      error: delivered ? null : `HTTP ${response.statusCode}: ${response.body.slice(0, 200)}`,
      latencyMs: elapsed(),
    };
  } catch (error) {
    const timedOut = signal.aborted;
    return {
      result: timedOut ? "timeout" : "network_error",
      statusCode: null,
      error: timedOut ? "Timed out" : String(error).slice(0, 300),
      latencyMs: elapsed(),
    };
  }
}
