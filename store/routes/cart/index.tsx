import {
  type Cart,
  cartTotal,
  formatKrw,
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

interface CartPageData {
  readonly cart: Cart;
  readonly added?: string;
}

export const handler: Handlers<CartPageData> = {
  async GET(_req, ctx) {
    const { cart } = await ctx.session.data();
    const added = findProduct(ctx.url.searchParams.get("added") ?? "")?.name;
    return ctx.render({ cart, added }, { title: "Your cart" });
  },
  /** One form per line: its buttons say whether to update the quantity or remove the line. */
  async POST(_req, ctx) {
    const intent = textField(ctx.form, "intent");
    const slug = textField(ctx.form, "slug");
    const colour = textField(ctx.form, "colour");
    if (intent !== "update" && intent !== "remove") {
      throw new HttpError("validation_error", `Unknown cart action: ${intent}`);
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

export default function CartPage({ data, csrfToken }: PageProps<CartPageData>) {
  const lines = priceLines(data.cart);
  if (lines.length === 0) {
    return (
      <section class="panel empty" aria-labelledby="cart-title">
        <h1 id="cart-title">Your cart is empty</h1>
        <p>Find something you love in Signature Tech or Atelier Living.</p>
        <a class="button button--primary" href="/">Browse the collections</a>
      </section>
    );
  }
  return (
    <section aria-labelledby="cart-title">
      <h1 id="cart-title">Your cart</h1>
      {data.added && <Notice tone="success" message={`${data.added} was added to your cart.`} />}
      <div class="cart-layout">
        <ul class="cart-lines">
          {lines.map(({ line, product, colourName, lineTotal }) => {
            const id = `${line.slug}-${line.colourId}`;
            return (
              <li class="cart-line" key={id}>
                <img class="cart-line__image" src={product.image} alt="" width={96} height={96} />
                <div class="cart-line__info">
                  <a class="cart-line__name" href={`/products/${product.slug}`}>{product.name}</a>
                  <span class="cart-line__meta">
                    {colourName} · {formatKrw(product.price)} each
                  </span>
                </div>
                <form class="cart-line__form" method="post" action="/cart">
                  <input type="hidden" name="_csrf" value={csrfToken} />
                  <input type="hidden" name="slug" value={line.slug} />
                  <input type="hidden" name="colour" value={line.colourId} />
                  <label for={`qty-${id}`}>
                    Quantity<span class="visually-hidden">of {product.name}, {colourName}</span>
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
                    Update
                  </button>
                  <button type="submit" class="button button--link" name="intent" value="remove">
                    Remove<span class="visually-hidden">{product.name}, {colourName}</span>
                  </button>
                </form>
                <p class="cart-line__total">{formatKrw(lineTotal)}</p>
              </li>
            );
          })}
        </ul>
        <aside class="panel summary" aria-labelledby="summary-title">
          <h2 id="summary-title">Order summary</h2>
          <dl class="summary__rows">
            <div>
              <dt>Subtotal</dt>
              <dd>{formatKrw(cartTotal(data.cart))}</dd>
            </div>
            <div>
              <dt>Delivery</dt>
              <dd>Free</dd>
            </div>
            <div class="summary__total">
              <dt>Total</dt>
              <dd>{formatKrw(cartTotal(data.cart))}</dd>
            </div>
          </dl>
          <a class="button button--primary button--wide" href="/checkout">Go to checkout</a>
        </aside>
      </div>
    </section>
  );
}
