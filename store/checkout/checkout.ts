/**
 * Checkout: one idempotency key per attempt. The attempt is created when the
 * checkout page is rendered (and reused by re-renders while the cart stays the
 * same), carried in the form, and sent as the Idempotency-Key of the
 * authorize call, so a double click, a reload of the POST or a second tab
 * never pays twice: the gateway replays the first answer. The store then
 * captures with a key derived from it, saves the order and empties the cart.
 */
import { sortableId } from "@pay/lib/domain";
import { cartTotal, clearCart, priceLines } from "../cart/cart.ts";
import { shopCurrency } from "../catalog/products.ts";
import type { GatewayClient, GatewayFailure, GatewayResult } from "../gateway/client.ts";
import type { Payment } from "../gateway/payment.ts";
import type { Session } from "../server/context.ts";
import { newOrderNumber, orderNumberKey } from "../orders/order_number.ts";
import {
  type CheckoutAttempt,
  type Order,
  orderRetentionMs,
  paidAttemptsMax,
  type SessionData,
  sessionOrdersMax,
  type StoreState,
} from "../state/port.ts";

/** Test card tokens the gateway's PG simulator understands (the catalog says what each does). */
export const testCards = ["tok_visa", "tok_decline", "tok_timeout"] as const;

export type CardToken = typeof testCards[number];

export function isCardToken(value: unknown): value is CardToken {
  return testCards.some((card) => card === value);
}

/**
 * How often a submission waits for a twin still in flight at the gateway
 * (409 idempotency_key_in_use), and how long between tries: 20 x 250 ms
 * covers an authorize that waits out the PG timeout (2 s) with margin.
 */
export const inUseRetryAttemptsMax = 20;
export const inUseRetryDelayMs = 250;

const attemptKeyPattern = /^[0-9a-f-]{36}$/;

export function isAttemptKey(value: unknown): value is string {
  return typeof value === "string" && attemptKeyPattern.test(value);
}

export function captureKeyOf(attemptKey: string): string {
  return `${attemptKey}:capture`;
}

/**
 * The current attempt for the cart, creating one when there is none or the
 * cart changed. `timeZone` dates its order number.
 */
export async function prepareAttempt(
  session: Session,
  timeZone: string,
): Promise<CheckoutAttempt | undefined> {
  return await session.update((data) => {
    if (data.cart.lines.length === 0) return { data, result: undefined };
    const current = data.checkout;
    // An attempt made before order numbers existed is replaced: it was never paid.
    if (current && current.cartVersion === data.cart.version && current.orderNumber) {
      return { data, result: current };
    }
    const now = new Date();
    const attempt: CheckoutAttempt = {
      key: crypto.randomUUID(),
      orderId: `ord_${sortableId()}`,
      orderNumber: newOrderNumber(now, timeZone),
      cartVersion: data.cart.version,
      amount: cartTotal(data.cart),
      createdAt: now.toISOString(),
    };
    return { data: { ...data, checkout: attempt }, result: attempt };
  });
}

/** Drops the current attempt, so the next render gets a fresh key (after a decline, say). */
export async function abandonAttempt(session: Session, key: string): Promise<void> {
  await session.update((data) => ({
    data: data.checkout?.key === key ? { ...data, checkout: undefined } : data,
    result: undefined,
  }));
}

export type CheckoutOutcome =
  | { readonly kind: "paid"; readonly orderId: string; readonly captured: boolean }
  /** The form's attempt is not the current one and was never paid (cart changed, expired). */
  | { readonly kind: "stale" }
  | { readonly kind: "refused"; readonly failure: GatewayFailure };

export interface CheckoutDeps {
  readonly gateway: GatewayClient;
  readonly state: StoreState;
  /** Waits between retries of a request whose twin is in flight; tests may shorten it. */
  readonly delay?: (ms: number) => Promise<void>;
}

const defaultDelay = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** What the shopper entered on the checkout form. */
export interface CheckoutForm {
  readonly attemptKey: string;
  readonly card: CardToken;
  /** Lower-cased; finds the order again with its number (orders/order_number.ts). */
  readonly email: string;
}

/** Pays the attempt `form.attemptKey` of `session` with `form.card`. */
export async function payAttempt(
  deps: CheckoutDeps,
  session: Session,
  form: CheckoutForm,
): Promise<CheckoutOutcome> {
  const { attemptKey, card } = form;
  const data = await session.data();
  const paid = data.paidAttempts.find((p) => p.key === attemptKey);
  if (paid) return { kind: "paid", orderId: paid.orderId, captured: true };
  const attempt = data.checkout;
  if (!attempt || attempt.key !== attemptKey || attempt.cartVersion !== data.cart.version) {
    return { kind: "stale" };
  }
  const lines = priceLines(data.cart);
  const retry = (call: () => Promise<GatewayResult>) => retryWhileInUse(deps, call);
  const authorized = await retry(() =>
    deps.gateway.authorize({
      amount: attempt.amount,
      currency: shopCurrency,
      orderId: attempt.orderId,
      description: lines.map((l) => `${l.product.name} x${l.line.quantity}`).join(", ").slice(
        0,
        255,
      ),
      paymentMethod: card,
    }, attempt.key)
  );
  if (!authorized.ok) return { kind: "refused", failure: authorized.failure };

  const order = orderOf(session.id, attempt, authorized.payment, data, form.email);
  await deps.state.saveOrder(order);
  await deps.state.writeValue(orderNumberKey(attempt.orderNumber), order.orderId, orderRetentionMs);
  const captured = await retry(() =>
    deps.gateway.capture(order.paymentId, captureKeyOf(attempt.key))
  );
  await session.update((current) => ({ data: markPaid(current, attempt), result: undefined }));
  return { kind: "paid", orderId: order.orderId, captured: captured.ok };
}

function orderOf(
  sessionId: string,
  attempt: CheckoutAttempt,
  payment: Payment,
  data: SessionData,
  email: string,
): Order {
  return {
    orderId: attempt.orderId,
    orderNumber: attempt.orderNumber,
    email,
    sessionId,
    paymentId: payment.paymentId,
    attemptKey: attempt.key,
    lines: priceLines(data.cart).map((l) => ({
      ...l.line,
      name: l.product.name,
      // The English name is kept for the record; pages show the catalog's name in their language.
      colourName: l.colour.name.en,
      unitPrice: l.product.price,
    })),
    amount: attempt.amount,
    currency: shopCurrency,
    createdAt: attempt.createdAt,
  };
}

/** Empties the cart and remembers the attempt as paid; applying it twice changes nothing more. */
function markPaid(data: SessionData, attempt: CheckoutAttempt): SessionData {
  if (data.paidAttempts.some((p) => p.key === attempt.key)) return data;
  return {
    cart: data.cart.version === attempt.cartVersion ? clearCart(data.cart) : data.cart,
    checkout: data.checkout?.key === attempt.key ? undefined : data.checkout,
    paidAttempts: [{ key: attempt.key, orderId: attempt.orderId }, ...data.paidAttempts]
      .slice(0, paidAttemptsMax),
    orderIds: [attempt.orderId, ...data.orderIds.filter((id) => id !== attempt.orderId)]
      .slice(0, sessionOrdersMax),
  };
}

async function retryWhileInUse(
  deps: CheckoutDeps,
  call: () => Promise<GatewayResult>,
): Promise<GatewayResult> {
  const delay = deps.delay ?? defaultDelay;
  let result = await call();
  for (let attempt = 1; attempt < inUseRetryAttemptsMax; attempt++) {
    if (result.ok || result.failure.code !== "idempotency_key_in_use") return result;
    await delay(inUseRetryDelayMs);
    result = await call();
  }
  return result;
}
