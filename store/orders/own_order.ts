import { message } from "../i18n/i18n.ts";
import type { RequestContext } from "../server/context.ts";
import { HttpError } from "../server/http_error.ts";
import type { Order } from "../state/port.ts";

const orderIdPattern = /^ord_[0-9a-z]{26}$/;

/**
 * The order named in the URL, if this session placed it or found it by its
 * number and email (orders/lookup); anyone else's order is a 404.
 */
export async function findOwnOrder(ctx: RequestContext<unknown>): Promise<Order> {
  const orderId = ctx.params.id ?? "";
  const order = orderIdPattern.test(orderId) ? await ctx.deps.state.findOrder(orderId) : undefined;
  const own = order !== undefined &&
    (order.sessionId === ctx.session.id ||
      (await ctx.session.data()).orderIds.includes(order.orderId));
  if (!own) {
    throw new HttpError("not_found", message("order.notFound", { id: orderId.slice(0, 40) }));
  }
  return order;
}
