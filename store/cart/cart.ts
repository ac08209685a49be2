/**
 * The cart: pure functions over a small serializable value. The session state
 * adapters store it as JSON; every change bumps `version`, which a checkout
 * attempt records so a cart edited after the checkout page was shown is never
 * paid with the old total.
 */
import { amountMinorMax } from "@pay/lib/domain";
import { type Colour, findColour, findProduct, type Product } from "../catalog/products.ts";
import { message, type StoreMessage } from "../i18n/i18n.ts";

/** A shopper buys a handful of one item at most; more is a typo or a reseller bot. */
export const lineQuantityMax = 10;

/** Distinct lines (product and colour) in one cart; the catalog has six products. */
export const cartLinesMax = 20;

export interface CartLine {
  readonly slug: string;
  readonly colourId: string;
  readonly quantity: number;
}

export interface Cart {
  readonly version: number;
  readonly lines: readonly CartLine[];
}

export const emptyCart: Cart = Object.freeze({ version: 0, lines: Object.freeze([]) });

/** A cart line joined with the catalog, with its amount computed. */
export interface PricedLine {
  readonly line: CartLine;
  readonly product: Product;
  readonly colour: Colour;
  readonly lineTotal: number;
}

/** A refused cart change; `reason` is shown to the shopper in their language. */
export class CartError extends Error {
  constructor(readonly reason: StoreMessage) {
    super(`${reason.key} ${JSON.stringify(reason.values ?? {})}`);
    this.name = "CartError";
  }
}

function assertQuantity(quantity: number): void {
  if (!Number.isSafeInteger(quantity) || quantity < 1 || quantity > lineQuantityMax) {
    throw new CartError(message("cart.error.quantity", { max: lineQuantityMax, quantity }));
  }
}

function assertKnown(slug: string, colourId: string): void {
  const product = findProduct(slug);
  if (!product) throw new CartError(message("cart.error.product", { slug }));
  if (!findColour(product, colourId)) {
    throw new CartError(message("cart.error.colour", { colour: colourId }));
  }
}

function sameLine(a: CartLine, slug: string, colourId: string): boolean {
  return a.slug === slug && a.colourId === colourId;
}

/** Adds `quantity` of a product in a colour; an existing line grows up to the per-line maximum. */
export function addToCart(cart: Cart, slug: string, colourId: string, quantity: number): Cart {
  assertKnown(slug, colourId);
  assertQuantity(quantity);
  const existing = cart.lines.find((l) => sameLine(l, slug, colourId));
  if (existing) {
    const merged = Math.min(existing.quantity + quantity, lineQuantityMax);
    return setQuantity(cart, slug, colourId, merged);
  }
  if (cart.lines.length >= cartLinesMax) {
    throw new CartError(message("cart.error.linesMax", { max: cartLinesMax }));
  }
  return { version: cart.version + 1, lines: [...cart.lines, { slug, colourId, quantity }] };
}

/** Sets the quantity of an existing line. */
export function setQuantity(cart: Cart, slug: string, colourId: string, quantity: number): Cart {
  assertQuantity(quantity);
  if (!cart.lines.some((l) => sameLine(l, slug, colourId))) {
    throw new CartError(message("cart.error.notInCart", { slug, colour: colourId }));
  }
  return {
    version: cart.version + 1,
    lines: cart.lines.map((l) => sameLine(l, slug, colourId) ? { ...l, quantity } : l),
  };
}

export function removeFromCart(cart: Cart, slug: string, colourId: string): Cart {
  const lines = cart.lines.filter((l) => !sameLine(l, slug, colourId));
  return lines.length === cart.lines.length ? cart : { version: cart.version + 1, lines };
}

/** Empties the cart after it was paid; the version keeps counting so old attempts stay stale. */
export function clearCart(cart: Cart): Cart {
  return { version: cart.version + 1, lines: [] };
}

export function itemCount(cart: Cart): number {
  return cart.lines.reduce((sum, l) => sum + l.quantity, 0);
}

/** Lines with catalog data; lines of products no longer sold are dropped. */
export function priceLines(cart: Cart): PricedLine[] {
  const priced: PricedLine[] = [];
  for (const line of cart.lines) {
    const product = findProduct(line.slug);
    const colour = product && findColour(product, line.colourId);
    if (!product || !colour) continue;
    priced.push({
      line,
      product,
      colour,
      lineTotal: product.price * line.quantity,
    });
  }
  return priced;
}

/** The amount to pay, in minor units of the shop currency. */
export function cartTotal(cart: Cart): number {
  const total = priceLines(cart).reduce((sum, l) => sum + l.lineTotal, 0);
  if (total > amountMinorMax) {
    throw new CartError(message("cart.error.totalMax", { total }));
  }
  return total;
}
