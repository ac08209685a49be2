import { Notice } from "../../components/Notice.tsx";
import { findOrderByNumber, normalizeOrderNumber } from "../../orders/order_number.ts";
import { type Handlers, type PageProps, redirect } from "../../server/context.ts";
import { emailField, textField } from "../../server/form_fields.ts";
import { sessionOrdersMax } from "../../state/port.ts";

interface LookupData {
  readonly orderNumber: string;
  readonly email: string;
  readonly notFound: boolean;
}

/**
 * Finds an order from any browser by its number and the email given at
 * checkout, and adds it to this session's orders: cookies cleared or another
 * device, the shopper still reaches their order. A wrong number and a wrong
 * email read the same, so the form tells nothing about other people's orders.
 */
export const handler: Handlers<LookupData> = {
  GET: (_req, ctx) =>
    ctx.render({ orderNumber: "", email: "", notFound: false }, {
      title: ctx.i18n.t("lookup.title"),
    }),

  async POST(_req, ctx) {
    const typed = textField(ctx.form, "orderNumber");
    const email = emailField(ctx.form, "email");
    const orderNumber = normalizeOrderNumber(typed);
    const order = orderNumber && await findOrderByNumber(ctx.deps.state, orderNumber, email);
    if (!order) {
      return ctx.render({ orderNumber: typed, email, notFound: true }, {
        title: ctx.i18n.t("lookup.title"),
        status: 404,
      });
    }
    await ctx.session.update((data) => ({
      data: {
        ...data,
        orderIds: [order.orderId, ...data.orderIds.filter((id) => id !== order.orderId)]
          .slice(0, sessionOrdersMax),
      },
      result: undefined,
    }));
    return redirect(`/orders/${order.orderId}`);
  },
};

export default function LookupPage({ data, csrfToken, i18n }: PageProps<LookupData>) {
  const { t } = i18n;
  return (
    <section class="lookup" aria-labelledby="lookup-title">
      <h1 id="lookup-title">{t("lookup.title")}</h1>
      <p>{t("lookup.lead")}</p>
      {data.notFound && <Notice tone="error" message={t("lookup.notFound")} />}
      <form class="panel lookup__form" method="post" action="/orders/lookup">
        <input type="hidden" name="_csrf" value={csrfToken} />
        <div class="field">
          <label for="lookup-number">{t("lookup.number")}</label>
          <input
            id="lookup-number"
            name="orderNumber"
            type="text"
            autoComplete="off"
            autoCapitalize="characters"
            spellcheck={false}
            required
            maxLength={40}
            value={data.orderNumber}
            aria-describedby="lookup-number-hint"
          />
          <p class="hint" id="lookup-number-hint">{t("lookup.numberHint")}</p>
        </div>
        <div class="field">
          <label for="lookup-email">{t("lookup.email")}</label>
          <input
            id="lookup-email"
            name="email"
            type="email"
            autoComplete="email"
            required
            maxLength={254}
            value={data.email}
          />
        </div>
        <button class="button button--primary" type="submit">{t("lookup.submit")}</button>
      </form>
    </section>
  );
}
