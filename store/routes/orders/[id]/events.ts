/**
 * Server-sent events of one order's payment, for the OrderStatus island. The
 * store's server polls the gateway (the browser never talks to it) and sends
 * `payment` whenever something changed, then `settled` once no capture or
 * refund is in flight, and closes. A stream lives at most
 * `streamLifetimeMs`; EventSource reconnects by itself after that.
 */
import { isInFlight, type PaymentView } from "../../../client/payment_view.ts";
import { paymentView } from "../../../gateway/payment.ts";
import { findOwnOrder } from "../../../orders/own_order.ts";
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
    const order = await findOwnOrder(ctx);
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
          const result = await ctx.deps.gateway.getPayment(order.paymentId);
          if (stop.signal.aborted) break;
          if (result.ok) {
            const view: PaymentView = paymentView(result.payment);
            const json = JSON.stringify(view);
            if (json !== last) controller.enqueue(frame("payment", view));
            last = json;
            if (!isInFlight(view.status)) {
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
