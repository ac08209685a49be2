import { addToCart } from "../../cart/cart.ts";
import { type Handlers, redirect } from "../../server/context.ts";
import { textField, wholeNumberField } from "../../server/form_fields.ts";

/** The product page's form posts here; the shopper lands on the cart. */
export const handler: Handlers = {
  async POST(_req, ctx) {
    const slug = textField(ctx.form, "slug");
    const colour = textField(ctx.form, "colour");
    const quantity = wholeNumberField(ctx.form, "quantity");
    await ctx.session.update((data) => ({
      data: { ...data, cart: addToCart(data.cart, slug, colour, quantity) },
      result: undefined,
    }));
    return redirect(`/cart?added=${encodeURIComponent(slug)}`);
  },
};
