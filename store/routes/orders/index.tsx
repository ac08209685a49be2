import { orderNumberOf } from "../../orders/order_number.ts";
import type { Handlers, PageProps } from "../../server/context.ts";
import type { Order } from "../../state/port.ts";

/**
 * The orders this session placed or found by number and email; the session
 * remembers at most `sessionOrdersMax`. Each shows the state its webhooks
 * moved it to (no gateway call per order).
 */
export const handler: Handlers<readonly Order[]> = {
  async GET(_req, ctx) {
    const { orderIds } = await ctx.session.data();
    const orders = await Promise.all(orderIds.map((id) => ctx.deps.state.findOrder(id)));
    return ctx.render(orders.filter((o): o is Order => o !== undefined), {
      title: ctx.i18n.t("orders.title"),
    });
  },
};

export default function OrdersPage({ data: orders, i18n }: PageProps<readonly Order[]>) {
  const { t } = i18n;
  return (
    <section aria-labelledby="orders-title">
      <h1 id="orders-title">{t("orders.title")}</h1>
      {orders.length === 0
        ? (
          <div class="panel empty">
            <p>{t("orders.empty")}</p>
            <a class="button button--primary" href="/">{t("orders.start")}</a>
          </div>
        )
        : (
          <ul class="order-list">
            {orders.map((o) => (
              <li class="panel order-list__item" key={o.orderId}>
                <span class="order-list__head">
                  <a class="order-list__link" href={`/orders/${o.orderId}`}>
                    {t("orders.link", { number: orderNumberOf(o) })}
                  </a>
                  {o.payment && (
                    <span class="order-list__status" data-status={o.payment.status}>
                      {t("payment.status", { status: o.payment.status })}
                    </span>
                  )}
                </span>
                <span>
                  {i18n.list(
                    o.lines.map((l) => t("orders.line", { name: l.name, quantity: l.quantity })),
                  )}
                </span>
                <span class="order-list__meta">
                  {t("orders.meta", {
                    time: i18n.time(o.createdAt),
                    amount: i18n.money(o.amount, o.currency),
                  })}
                </span>
              </li>
            ))}
          </ul>
        )}
      <p class="hint orders-lookup">
        {t("orders.lookupPrompt")} <a href="/orders/lookup">{t("orders.lookupLink")}</a>
      </p>
    </section>
  );
}
