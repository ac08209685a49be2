import type { RequestContext } from "../server/context.ts";
import { HttpError } from "../server/http_error.ts";
import type { Order } from "../state/port.ts";

const orderIdPattern = /^ord_[0-9a-z]{26}$/;

/** The order named in the URL, if this session placed it; someone else's order is a 404. */
export async function findOwnOrder(ctx: RequestContext<unknown>): Promise<Order> {
  const orderId = ctx.params.id ?? "";
  const order = orderIdPattern.test(orderId) ? await ctx.deps.state.findOrder(orderId) : undefined;
  if (!order || order.sessionId !== ctx.session.id) {
    throw new HttpError("not_found", `No order ${orderId.slice(0, 40)} in this browser session`);
  }
  return order;
}
