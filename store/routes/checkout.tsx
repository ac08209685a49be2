import { formatKrw, priceLines } from "../cart/cart.ts";
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
import PayButton from "../islands/PayButton.tsx";
import { type Handlers, type PageProps, redirect, type RequestContext } from "../server/context.ts";
import { textField } from "../server/form_fields.ts";
import { HttpError } from "../server/http_error.ts";
import type { CartLine } from "../cart/cart.ts";

interface CheckoutData {
  readonly attemptKey: string;
  readonly amount: number;
  readonly lines: readonly CartLine[];
  readonly card: CardToken;
  readonly refusal?: RefusalView;
  readonly stale?: boolean;
}

async function renderCheckout(
  ctx: RequestContext<CheckoutData>,
  card: CardToken,
  extra: { refusal?: RefusalView; stale?: boolean; status?: number; headers?: HeadersInit } = {},
): Promise<Response> {
  const attempt = await prepareAttempt(ctx.session);
  if (!attempt) return redirect("/cart");
  const { cart } = await ctx.session.data();
  return ctx.render(
    {
      attemptKey: attempt.key,
      amount: attempt.amount,
      lines: cart.lines,
      card,
      refusal: extra.refusal,
      stale: extra.stale,
    },
    { title: "Checkout", status: extra.status, headers: extra.headers },
  );
}

export const handler: Handlers<CheckoutData> = {
  GET: (_req, ctx) => renderCheckout(ctx, "tok_visa"),

  async POST(_req, ctx) {
    const key = textField(ctx.form, "attempt");
    const card = textField(ctx.form, "card");
    if (!isAttemptKey(key)) throw new HttpError("validation_error", "Malformed checkout attempt");
    if (!isCardToken(card)) throw new HttpError("validation_error", `Unknown test card: ${card}`);
    const outcome = await payAttempt(ctx.deps, ctx.session, key, card);
    ctx.deps.metrics.checkoutOutcomes.inc({
      outcome: outcome.kind === "refused" ? outcome.failure.code : outcome.kind,
    });
    switch (outcome.kind) {
      case "paid":
        return redirect(
          `/orders/${outcome.orderId}${outcome.captured ? "" : "?notice=capture-pending"}`,
        );
      case "stale":
        return await renderCheckout(ctx, card, { stale: true, status: 409 });
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
          refusal,
          status: refusal.status,
          headers: retryAfter === undefined ? {} : { "retry-after": String(retryAfter) },
        });
      }
    }
  },
};

export default function CheckoutPage({ data, csrfToken }: PageProps<CheckoutData>) {
  const lines = priceLines({ version: 0, lines: data.lines }).map((l) => ({
    key: `${l.line.slug}-${l.line.colourId}`,
    name: l.product.name,
    colourName: l.colourName,
    quantity: l.line.quantity,
    unitPrice: l.product.price,
  }));
  return (
    <section aria-labelledby="checkout-title">
      <h1 id="checkout-title">Checkout</h1>
      {data.refusal && (
        <Notice tone="error" title={data.refusal.title} message={data.refusal.message} />
      )}
      {data.stale && (
        <Notice
          tone="error"
          title="Your cart changed"
          message="The cart changed since this page was shown. Check the total below and pay again."
        />
      )}
      <div class="checkout-layout">
        <section class="panel" aria-labelledby="review-title">
          <h2 id="review-title">Review your order</h2>
          <OrderLines caption="Items in this order" lines={lines} total={data.amount} />
          <p class="hint">
            <a href="/cart">Change the cart</a>
          </p>
        </section>
        <form class="panel pay-form" method="post" action="/checkout" id="checkout-form">
          <input type="hidden" name="_csrf" value={csrfToken} />
          <input type="hidden" name="attempt" value={data.attemptKey} />
          <fieldset class="cards">
            <legend>Pay with a test card</legend>
            {testCards.map((c) => (
              <label class="card-option" key={c.token}>
                <input type="radio" name="card" value={c.token} checked={c.token === data.card} />
                <span>{c.label}</span>
              </label>
            ))}
          </fieldset>
          <p class="pay-form__total">
            Total <strong>{formatKrw(data.amount)}</strong>
          </p>
          <PayButton label={`Pay ${formatKrw(data.amount)}`} />
          <p class="hint">
            Pressing Pay twice is safe: this checkout carries one payment key, so you are charged at
            most once.
          </p>
        </form>
      </div>
    </section>
  );
}
