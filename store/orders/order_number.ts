/**
 * Order numbers shoppers read, type and say on the phone: the day the order
 * was placed in the shop's time zone, then 8 random characters of
 * Crockford's base 32 (no I, L, O or U to misread): `20251124-7KQ3M9TX`.
 * With the email given at checkout it finds the order from any device.
 */
import { compactDate } from "@pay/lib/i18n";
import type { Order, StoreState } from "../state/port.ts";

const alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/** 40 random bits: a day would need about a million orders for a 1-in-a-million clash. */
export const orderNumberRandomChars = 8;

const orderNumberPattern = /^\d{8}-[0-9A-HJKMNP-TV-Z]{8}$/;

export function newOrderNumber(now: Date, timeZone: string): string {
  const bytes = crypto.getRandomValues(new Uint8Array(orderNumberRandomChars));
  const random = Array.from(bytes, (b) => alphabet[b % alphabet.length]).join("");
  return `${compactDate(now, timeZone)}-${random}`;
}

/**
 * An order number as a shopper may type it (lower case, spaces, no dash,
 * O for 0, I or L for 1) in its written form, or undefined when it cannot be one.
 */
export function normalizeOrderNumber(input: string): string | undefined {
  const compact = input.toUpperCase().replace(/[\s-]/g, "").replace(/O/g, "0").replace(
    /[IL]/g,
    "1",
  );
  const written = `${compact.slice(0, 8)}-${compact.slice(8)}`;
  return orderNumberPattern.test(written) ? written : undefined;
}

/** The state store's index from a number to its order (kept as long as the order). */
export const orderNumberKey = (orderNumber: string) => `order-number:${orderNumber}`;

/** The number a shopper sees; orders placed before numbers existed show their id. */
export function orderNumberOf(order: Order): string {
  return order.orderNumber ?? order.orderId;
}

/** The order with this number placed with this email, or undefined (either one wrong). */
export async function findOrderByNumber(
  state: StoreState,
  orderNumber: string,
  email: string,
): Promise<Order | undefined> {
  const orderId = await state.readValue(orderNumberKey(orderNumber));
  const order = orderId === undefined ? undefined : await state.findOrder(orderId);
  return order?.email !== undefined && order.email === email.toLowerCase() ? order : undefined;
}
