import {
  type Cart,
  cartTotal,
  lineQuantityMax,
  priceLines,
  removeFromCart,
  setQuantity,
} from "../../cart/cart.ts";
import { findProduct } from "../../catalog/products.ts";
import { Notice } from "../../components/Notice.tsx";
import { type Handlers, type PageProps, redirect } from "../../server/context.ts";
import { textField, wholeNumberField } from "../../server/form_fields.ts";
import { HttpError } from "../../server/http_error.ts";
import { message } from "../../i18n/i18n.ts";

interface CartPageData {
  readonly cart: Cart;
  readonly added?: string;
}

export const handler: Handlers<CartPageData> = {
  async GET(_req, ctx) {
    const { cart } = await ctx.session.data();
    const added = findProduct(ctx.url.searchParams.get("added") ?? "")?.name;
    return ctx.render({ cart, added }, { title: ctx.i18n.t("cart.title") });
  },
  /** One form per line: its buttons say whether to update the quantity or remove the line. */
  async POST(_req, ctx) {
    const intent = textField(ctx.form, "intent");
    const slug = textField(ctx.form, "slug");
    const colour = textField(ctx.form, "colour");
    if (intent !== "update" && intent !== "remove") {
      throw new HttpError("validation_error", message("cart.error.action", { intent }));
    }
    const quantity = intent === "update" ? wholeNumberField(ctx.form, "quantity") : 0;
    await ctx.session.update((data) => ({
      data: {
        ...data,
        cart: intent === "update"
          ? setQuantity(data.cart, slug, colour, quantity)
          : removeFromCart(data.cart, slug, colour),
      },
      result: undefined,
    }));
    return redirect("/cart");
  },
};

export default function CartPage({ data, csrfToken, i18n }: PageProps<CartPageData>) {
  const { t } = i18n;
  const lines = priceLines(data.cart);
  if (lines.length === 0) {
    return (
      <section class="panel empty" aria-labelledby="cart-title">
        <h1 id="cart-title">{t("cart.emptyTitle")}</h1>
        <p>{t("cart.emptyLead")}</p>
        <a class="button button--primary" href="/">{t("cart.browse")}</a>
      </section>
    );
  }
  return (
    <section aria-labelledby="cart-title">
      <h1 id="cart-title">{t("cart.title")}</h1>
      {data.added && <Notice tone="success" message={t("cart.added", { name: data.added })} />}
      <div class="cart-layout">
        <ul class="cart-lines">
          {lines.map(({ line, product, colour, lineTotal }) => {
            const id = `${line.slug}-${line.colourId}`;
            const which = { name: product.name, colour: i18n.text(colour.name) };
            return (
              <li class="cart-line" key={id}>
                <img class="cart-line__image" src={product.image} alt="" width={96} height={96} />
                <div class="cart-line__info">
                  <a class="cart-line__name" href={`/products/${product.slug}`}>{product.name}</a>
                  <span class="cart-line__meta">
                    {t("cart.lineMeta", { colour: which.colour, price: i18n.money(product.price) })}
                  </span>
                </div>
                <form class="cart-line__form" method="post" action="/cart">
                  <input type="hidden" name="_csrf" value={csrfToken} />
                  <input type="hidden" name="slug" value={line.slug} />
                  <input type="hidden" name="colour" value={line.colourId} />
                  <label for={`qty-${id}`}>
                    <span aria-hidden="true">{t("cart.quantity")}</span>
                    <span class="visually-hidden">{t("cart.quantityOf", which)}</span>
                  </label>
                  <input
                    id={`qty-${id}`}
                    name="quantity"
                    type="number"
                    inputMode="numeric"
                    min={1}
                    max={lineQuantityMax}
                    value={line.quantity}
                  />
                  <button
                    type="submit"
                    class="button button--secondary"
                    name="intent"
                    value="update"
                  >
                    {t("cart.update")}
                  </button>
                  <button type="submit" class="button button--link" name="intent" value="remove">
                    <span aria-hidden="true">{t("cart.remove")}</span>
                    <span class="visually-hidden">{t("cart.removeWhich", which)}</span>
                  </button>
                </form>
                <p class="cart-line__total">{i18n.money(lineTotal)}</p>
              </li>
            );
          })}
        </ul>
        <aside class="panel summary" aria-labelledby="summary-title">
          <h2 id="summary-title">{t("cart.summary")}</h2>
          <dl class="summary__rows">
            <div>
              <dt>{t("cart.subtotal")}</dt>
              <dd>{i18n.money(cartTotal(data.cart))}</dd>
            </div>
            <div>
              <dt>{t("cart.delivery")}</dt>
              <dd>{t("cart.free")}</dd>
            </div>
            <div class="summary__total">
              <dt>{t("cart.total")}</dt>
              <dd>{i18n.money(cartTotal(data.cart))}</dd>
            </div>
          </dl>
          <a class="button button--primary button--wide" href="/checkout">{t("cart.checkout")}</a>
        </aside>
      </div>
    </section>
  );
}
