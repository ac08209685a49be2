import { formatKrw } from "../../client/format.ts";
import { formatInstant } from "../../client/payment_view.ts";
import type { Handlers, PageProps } from "../../server/context.ts";
import type { Order } from "../../state/port.ts";

/** Orders shown on the history page; the session remembers at most `sessionOrdersMax`. */
export const handler: Handlers<readonly Order[]> = {
  async GET(_req, ctx) {
    const { orderIds } = await ctx.session.data();
    const orders = await Promise.all(orderIds.map((id) => ctx.deps.state.findOrder(id)));
    return ctx.render(orders.filter((o): o is Order => o !== undefined), { title: "Your orders" });
  },
};

export default function OrdersPage({ data: orders }: PageProps<readonly Order[]>) {
  return (
    <section aria-labelledby="orders-title">
      <h1 id="orders-title">Your orders</h1>
      {orders.length === 0
        ? (
          <div class="panel empty">
            <p>You have not placed an order in this browser yet.</p>
            <a class="button button--primary" href="/">Start shopping</a>
          </div>
        )
        : (
          <ul class="order-list">
            {orders.map((o) => (
              <li class="panel order-list__item" key={o.orderId}>
                <a class="order-list__link" href={`/orders/${o.orderId}`}>
                  Order {o.orderId}
                </a>
                <span>{o.lines.map((l) => `${l.name} × ${l.quantity}`).join(", ")}</span>
                <span class="order-list__meta">
                  {formatInstant(o.createdAt)} · {formatKrw(o.amount)}
                </span>
              </li>
            ))}
          </ul>
        )}
    </section>
  );
}
