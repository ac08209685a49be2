/**
 * Server-sent events of one order's payment, for the OrderStatus island. The
 * store's server polls the gateway (the browser never talks to it), takes the
 * order's webhook state when that is newer, and sends `payment` (the panel's
 * view, in the shopper's language) whenever something changed, then
 * `settled` once no capture or refund is in flight, and closes. A stream lives at most
 * `streamLifetimeMs`; EventSource reconnects by itself after that.
 */
import { paymentView } from "../../../gateway/payment.ts";
import { currentPayment } from "../../../orders/current_payment.ts";
import { findOwnOrder } from "../../../orders/own_order.ts";
import { isNoticeKind, orderStatusView } from "../../../orders/status_view.ts";
import type { Handlers } from "../../../server/context.ts";

/** Long enough for a settlement with retries; short enough that idle tabs release the server. */
export const streamLifetimeMs = 120_000;

/** Browsers wait this long before reconnecting a closed stream. */
const reconnectDelayMs = 2_000;

const encoder = new TextEncoder();

function frame(event: string, data: unknown): Uint8Array {
  return encoder.encode(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
}

export const handler: Handlers = {
  async GET(_req, ctx) {
    const placed = await findOwnOrder(ctx);
    const notice = ctx.url.searchParams.get("notice");
    const noticeKind = isNoticeKind(notice) ? notice : undefined;
    const pollMs = ctx.deps.config.statusPollMs;
    const stop = new AbortController();
    const wait = (ms: number) =>
      new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, ms);
        stop.signal.addEventListener("abort", () => {
          clearTimeout(timer);
          resolve();
        }, { once: true });
      });

    const body = new ReadableStream<Uint8Array>({
      async start(controller) {
        controller.enqueue(encoder.encode(`retry: ${reconnectDelayMs}\n\n`));
        const deadline = Date.now() + streamLifetimeMs;
        let last = "";
        while (!stop.signal.aborted && Date.now() < deadline) {
          const [result, order] = await Promise.all([
            ctx.deps.gateway.getPayment(placed.paymentId),
            // A state store hiccup only loses the webhook state for this poll.
            ctx.deps.state.findOrder(placed.orderId).catch(() => undefined),
          ]);
          if (stop.signal.aborted) break;
          const payment = currentPayment(
            order ?? placed,
            result.ok ? paymentView(result.payment) : undefined,
          );
          if (payment) {
            const view = orderStatusView(payment, ctx.i18n, noticeKind);
            const json = JSON.stringify(view);
            if (json !== last) controller.enqueue(frame("payment", view));
            last = json;
            if (!view.inFlight) {
              controller.enqueue(frame("settled", { status: view.status }));
              break;
            }
          }
          await wait(pollMs);
        }
        if (!stop.signal.aborted) controller.close();
      },
      cancel() {
        stop.abort();
      },
    });
    return new Response(body, {
      headers: {
        "content-type": "text/event-stream; charset=utf-8",
        "cache-control": "no-store",
        "x-accel-buffering": "no",
      },
    });
  },
};
