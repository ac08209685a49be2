import assert from "node:assert/strict";
import type { StoreMessageKey } from "../i18n/i18n.ts";
import {
  addToCart,
  CartError,
  cartLinesMax,
  cartTotal,
  clearCart,
  emptyCart,
  itemCount,
  lineQuantityMax,
  priceLines,
  removeFromCart,
  setQuantity,
} from "./cart.ts";

Deno.test("adding the same product and colour twice merges into one line", () => {
  let cart = addToCart(emptyCart, "iphone-16-pro", "black-titanium", 1);
  cart = addToCart(cart, "iphone-16-pro", "black-titanium", 2);
  assert.equal(cart.lines.length, 1);
  assert.equal(cart.lines[0]!.quantity, 3);
  assert.equal(cart.version, 2);
});

Deno.test("different colours of one product are different lines", () => {
  let cart = addToCart(emptyCart, "iphone-16-pro", "black-titanium", 1);
  cart = addToCart(cart, "iphone-16-pro", "desert-titanium", 1);
  assert.equal(cart.lines.length, 2);
  assert.equal(itemCount(cart), 2);
});

Deno.test("the total is the sum of price times quantity in whole won", () => {
  let cart = addToCart(emptyCart, "iphone-16-pro", "black-titanium", 2); // 3,380,000
  cart = addToCart(cart, "balmuda-air-purifier", "white", 1); // 849,000
  cart = addToCart(cart, "ipad-pro-13", "silver", 3); // 5,520,000
  assert.equal(cartTotal(cart), 9_749_000);
  assert.deepEqual(priceLines(cart).map((l) => l.lineTotal), [3_380_000, 849_000, 5_520_000]);
});

Deno.test("merging stops at the per-line maximum", () => {
  let cart = addToCart(emptyCart, "galaxy-s25-ultra", "titanium-gray", lineQuantityMax - 1);
  cart = addToCart(cart, "galaxy-s25-ultra", "titanium-gray", 5);
  assert.equal(cart.lines[0]!.quantity, lineQuantityMax);
});

Deno.test("quantities outside 1..max, unknown products and unknown colours are refused", () => {
  assert.throws(() => addToCart(emptyCart, "iphone-16-pro", "black-titanium", 0), CartError);
  assert.throws(() => addToCart(emptyCart, "iphone-16-pro", "black-titanium", 1.5), CartError);
  assert.throws(
    () => addToCart(emptyCart, "iphone-16-pro", "black-titanium", lineQuantityMax + 1),
    refusal("cart.error.quantity", { max: 10, quantity: 11 }),
  );
  assert.throws(
    () => addToCart(emptyCart, "iphone-17", "black-titanium", 1),
    refusal("cart.error.product", { slug: "iphone-17" }),
  );
  assert.throws(
    () => addToCart(emptyCart, "iphone-16-pro", "pink", 1),
    refusal("cart.error.colour", { colour: "pink" }),
  );
  assert.throws(
    () => setQuantity(emptyCart, "iphone-16-pro", "black-titanium", 2),
    refusal("cart.error.notInCart", { slug: "iphone-16-pro", colour: "black-titanium" }),
  );
});

Deno.test("the number of distinct lines is bounded", () => {
  const lines = Array.from({ length: cartLinesMax }, (_, i) => ({
    slug: "iphone-16-pro",
    colourId: `c${i}`,
    quantity: 1,
  }));
  assert.throws(
    () => addToCart({ version: 1, lines }, "ipad-pro-13", "silver", 1),
    refusal("cart.error.linesMax", { max: 20 }),
  );
});

Deno.test("updating, removing and clearing bump the version", () => {
  let cart = addToCart(emptyCart, "dyson-gen5", "nickel-gold", 1);
  cart = setQuantity(cart, "dyson-gen5", "nickel-gold", 4);
  assert.equal(cartTotal(cart), 5_160_000);
  const removed = removeFromCart(cart, "dyson-gen5", "nickel-gold");
  assert.equal(removed.lines.length, 0);
  assert.equal(removed.version, cart.version + 1);
  assert.equal(removeFromCart(removed, "dyson-gen5", "nickel-gold"), removed);
  const cleared = clearCart(cart);
  assert.equal(cleared.lines.length, 0);
  assert.ok(cleared.version > cart.version);
});

Deno.test("lines of products no longer in the catalog are not priced", () => {
  const cart = { version: 1, lines: [{ slug: "discontinued", colourId: "x", quantity: 1 }] };
  assert.equal(priceLines(cart).length, 0);
  assert.equal(cartTotal(cart), 0);
});

/** Matches a CartError whose reason is `key` with `values`. */
function refusal(key: StoreMessageKey, values: Record<string, unknown>) {
  return (error: unknown) => {
    assert.ok(error instanceof CartError);
    assert.deepEqual(error.reason, { key, values });
    return true;
  };
}
