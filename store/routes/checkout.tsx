import { priceLines } from "../cart/cart.ts";
import { shopCurrency } from "../catalog/products.ts";
import {
  abandonAttempt,
  type CardToken,
  isAttemptKey,
  isCardToken,
  payAttempt,
  prepareAttempt,
  testCards,
} from "../checkout/checkout.ts";
import { describeRefusal, type RefusalView } from "../checkout/refusal.ts";
import { Notice } from "../components/Notice.tsx";
import { OrderLines } from "../components/OrderLines.tsx";
import { message } from "../i18n/i18n.ts";
import PayButton from "../islands/PayButton.tsx";
import { type Handlers, type PageProps, redirect, type RequestContext } from "../server/context.ts";
import { emailField, textField } from "../server/form_fields.ts";
import { HttpError } from "../server/http_error.ts";
import type { CartLine } from "../cart/cart.ts";

interface CheckoutData {
  readonly attemptKey: string;
  readonly amount: number;
  readonly lines: readonly CartLine[];
  readonly card: CardToken;
  /** What the shopper typed, shown again after a refusal. */
  readonly email: string;
  readonly refusal?: RefusalView;
  readonly stale?: boolean;
}

async function renderCheckout(
  ctx: RequestContext<CheckoutData>,
  card: CardToken,
  extra: {
    email?: string;
    refusal?: RefusalView;
    stale?: boolean;
    status?: number;
    headers?: HeadersInit;
  } = {},
): Promise<Response> {
  const attempt = await prepareAttempt(ctx.session, ctx.deps.config.timeZone);
  if (!attempt) return redirect("/cart");
  const { cart } = await ctx.session.data();
  return ctx.render(
    {
      attemptKey: attempt.key,
      amount: attempt.amount,
      lines: cart.lines,
      card,
      email: extra.email ?? "",
      refusal: extra.refusal,
      stale: extra.stale,
    },
    { title: ctx.i18n.t("checkout.title"), status: extra.status, headers: extra.headers },
  );
}

export const handler: Handlers<CheckoutData> = {
  GET: (_req, ctx) => renderCheckout(ctx, "tok_visa"),

  async POST(_req, ctx) {
    const key = textField(ctx.form, "attempt");
    const card = textField(ctx.form, "card");
    if (!isAttemptKey(key)) {
      throw new HttpError("validation_error", message("checkout.error.attempt"));
    }
    if (!isCardToken(card)) {
      throw new HttpError("validation_error", message("checkout.error.card", { card }));
    }
    const email = emailField(ctx.form, "email");
    const outcome = await payAttempt(ctx.deps, ctx.session, { attemptKey: key, card, email });
    ctx.deps.metrics.checkoutOutcomes.inc({
      outcome: outcome.kind === "refused" ? outcome.failure.code : outcome.kind,
    });
    switch (outcome.kind) {
      case "paid":
        return redirect(
          `/orders/${outcome.orderId}${outcome.captured ? "" : "?notice=capture-pending"}`,
        );
      case "stale":
        return await renderCheckout(ctx, card, { email, stale: true, status: 409 });
      case "refused": {
        const refusal = describeRefusal(outcome.failure);
        if (!refusal.keepAttempt) await abandonAttempt(ctx.session, key);
        if (outcome.failure.code === "unauthorized" || outcome.failure.code === "forbidden") {
          console.error(
            `store: the gateway refused the store's API key: ${outcome.failure.detail}`,
          );
        }
        const retryAfter = outcome.failure.retryAfterSeconds;
        return await renderCheckout(ctx, card, {
          email,
          refusal,
          status: refusal.status,
          headers: retryAfter === undefined ? {} : { "retry-after": String(retryAfter) },
        });
      }
    }
  },
};

export default function CheckoutPage({ data, csrfToken, i18n }: PageProps<CheckoutData>) {
  const { t } = i18n;
  const lines = priceLines({ version: 0, lines: data.lines }).map((l) => ({
    key: `${l.line.slug}-${l.line.colourId}`,
    name: l.product.name,
    colourName: i18n.text(l.colour.name),
    quantity: l.line.quantity,
    unitPrice: l.product.price,
  }));
  const total = i18n.money(data.amount, shopCurrency);
  return (
    <section aria-labelledby="checkout-title">
      <h1 id="checkout-title">{t("checkout.title")}</h1>
      {data.refusal && (
        <Notice
          tone="error"
          title={i18n.say(data.refusal.title)}
          message={i18n.say(data.refusal.message)}
        />
      )}
      {data.stale && (
        <Notice
          tone="error"
          title={t("checkout.staleTitle")}
          message={t("checkout.staleMessage")}
        />
      )}
      <div class="checkout-layout">
        <section class="panel" aria-labelledby="review-title">
          <h2 id="review-title">{t("checkout.review")}</h2>
          <OrderLines
            caption={t("checkout.linesCaption")}
            lines={lines}
            total={data.amount}
            i18n={i18n}
          />
          <p class="hint">
            <a href="/cart">{t("checkout.changeCart")}</a>
          </p>
        </section>
        <form class="panel pay-form" method="post" action="/checkout" id="checkout-form">
          <input type="hidden" name="_csrf" value={csrfToken} />
          <input type="hidden" name="attempt" value={data.attemptKey} />
          <fieldset class="contact">
            <legend>{t("checkout.contact")}</legend>
            <div class="field">
              <label for="checkout-email">{t("checkout.email")}</label>
              <input
                id="checkout-email"
                name="email"
                type="email"
                autoComplete="email"
                required
                maxLength={254}
                value={data.email}
                aria-describedby="checkout-email-hint"
              />
              <p class="hint" id="checkout-email-hint">{t("checkout.emailHint")}</p>
            </div>
          </fieldset>
          <fieldset class="cards">
            <legend>{t("checkout.cards")}</legend>
            {testCards.map((token) => (
              <label class="card-option" key={token}>
                <input type="radio" name="card" value={token} checked={token === data.card} />
                <span>{t("checkout.card", { card: token })}</span>
              </label>
            ))}
          </fieldset>
          <p class="pay-form__total">
            {t("checkout.total")} <strong>{total}</strong>
          </p>
          <PayButton
            label={t("checkout.pay", { amount: total })}
            busyLabel={t("checkout.paying")}
          />
          <p class="hint">{t("checkout.safeHint")}</p>
        </form>
      </div>
    </section>
  );
}
