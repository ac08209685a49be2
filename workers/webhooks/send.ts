import {
  checkDestination,
  DestinationRefusedError,
  type HostResolver,
  signWebhook,
} from "@pay/lib/webhooks";

/** One attempt's timeout, connection to last body byte (the bound). */
export const webhookTimeoutMs = 10_000;

/** Response bytes read at most: enough for an error page, bounded against a hostile receiver. */
export const webhookResponseBytesMax = 64 * 1024;

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
}

/**
 * POSTs an event to an endpoint, signed per Standard Webhooks: the resolved
 * addresses are checked first (SSRF), redirects are not followed (a 3xx is a
 * failure), the body is read up to `webhookResponseBytesMax`, and only a 2xx
 * delivers. Never throws: every failure is a report.
 */
export async function sendWebhook(
  request: WebhookRequest,
  options: SendOptions,
): Promise<AttemptReport> {
  const started = performance.now();
  const elapsed = () => performance.now() - started;
  try {
    await checkDestination(request.url, options.resolve, options.allowPrivate);
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
    const response = await fetch(request.url, {
      method: "POST",
      headers: { ...headers, "content-type": "application/json", "user-agent": "pay-webhooks/1" },
      body: request.payload,
      redirect: "manual",
      signal,
    });
    const text = await readBounded(response);
    const delivered = response.status >= 200 && response.status < 300;
    return {
      result: delivered ? "delivered" : "http_error",
      statusCode: response.status,
      error: delivered ? null : `HTTP ${response.status}: ${text.slice(0, 200)}`,
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

/** Reads at most `webhookResponseBytesMax` of the body, then drops the rest. */
async function readBounded(response: Response): Promise<string> {
  if (!response.body) return "";
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  while (size < webhookResponseBytesMax) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    size += value.byteLength;
  }
  await reader.cancel().catch(() => {});
  const bytes = new Uint8Array(Math.min(size, webhookResponseBytesMax));
  let offset = 0;
  for (const chunk of chunks) {
    const part = chunk.subarray(0, bytes.length - offset);
    bytes.set(part, offset);
    offset += part.length;
  }
  return new TextDecoder().decode(bytes);
}
