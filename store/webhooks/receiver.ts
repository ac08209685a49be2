/**
 * The store's webhook route: verifies a delivery (Standard Webhooks, the
 * `standardwebhooks` package), deduplicates it by `webhook-id` and moves the
 * matching order. It answers 2xx only after the order is stored, so a failure
 * is retried by the platform; a bad or stale signature is 400 and changes nothing.
 */
import { Webhook, WebhookVerificationError } from "standardwebhooks";
import { BodyTooLargeError, problem, problemResponse, readBodyLimited } from "@pay/lib/http";
import type { StoreState } from "../state/port.ts";
import { paymentEventSchema, progressOrder } from "./order_progress.ts";

export const webhookPath = "/webhooks/payments";

/** An event is a payment without timeline: a few KB; far less than this. */
export const webhookBodyBytesMax = 65_536;

/** How long a delivered `webhook-id` is remembered: the platform retries for about 3 days. */
export const webhookSeenTtlMs = 7 * 86_400_000;

export const webhookSeenKey = (id: string) => `webhook-seen:${id}`;

/** Handles one delivery; `secret` is the endpoint's `whsec_…` secret. */
export async function receiveWebhook(
  request: Request,
  state: StoreState,
  secret: string,
): Promise<Response> {
  if (request.method !== "POST") {
    return problemResponse(problem("method_not_allowed", "Deliveries are POSTed"), {
      allow: "POST",
    });
  }
  let body: string;
  try {
    body = new TextDecoder().decode(await readBodyLimited(request, webhookBodyBytesMax));
  } catch (error) {
    if (!(error instanceof BodyTooLargeError)) throw error;
    return problemResponse(problem("payload_too_large", `Larger than ${webhookBodyBytesMax} B`));
  }
  let payload: unknown;
  try {
    payload = new Webhook(secret).verify(body, Object.fromEntries(request.headers));
  } catch (error) {
    if (!(error instanceof WebhookVerificationError)) throw error;
    return problemResponse(problem("validation_error", `Signature refused: ${error.message}`));
  }
  const parsed = paymentEventSchema.safeParse(payload);
  const webhookId = request.headers.get("webhook-id") ?? "";
  if (!parsed.success) {
    // Signed by the platform but not a payment event the store knows: nothing to do.
    return new Response(null, { status: 204 });
  }
  if (await state.readValue(webhookSeenKey(webhookId)) !== undefined) {
    return new Response(null, { status: 204, headers: { "webhook-duplicate": "true" } });
  }
  const event = parsed.data;
  const orderId = event.data.payment.orderId;
  if (orderId) {
    // Compare-and-set: a delivery racing another for the same order is applied to the order
    // as the other left it, so an older event never overwrites a newer one.
    await state.updateOrder(
      orderId,
      (order) =>
        order.paymentId === event.data.payment.paymentId ? progressOrder(order, event) : undefined,
    );
  }
  // Remembered only once the order is stored: a failure above is retried in full.
  await state.writeValue(webhookSeenKey(webhookId), "1", webhookSeenTtlMs);
  return new Response(null, { status: 204 });
}
