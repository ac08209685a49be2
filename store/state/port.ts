/**
 * Where the store keeps what a shopper did: the session (cart, current
 * checkout attempt, orders placed) and the orders themselves. Adapters:
 * `redis.ts` (shared by every store process; the scale-out default),
 * `sqlite.ts` (a file for one store process; the embedded default) and
 * `memory.ts` (one process, lost on restart; tests).
 */
import type { PaymentStatus } from "@pay/lib/domain";
import type { Cart, CartLine } from "../cart/cart.ts";

/**
 * One press-ready checkout: created when the checkout page is rendered, its
 * `key` is the Idempotency-Key of the authorize call, so submitting the form
 * twice (double click, reload of the POST, back button) pays at most once.
 */
export interface CheckoutAttempt {
  readonly key: string;
  readonly orderId: string;
  /** What the shopper reads and types (orders/order_number.ts). */
  readonly orderNumber: string;
  /** The cart version this attempt prices; a later cart edit makes it stale. */
  readonly cartVersion: number;
  readonly amount: number;
  readonly createdAt: string;
}

/** A paid attempt, remembered so a late resubmission of its form finds its order. */
export interface PaidAttempt {
  readonly key: string;
  readonly orderId: string;
}

export interface SessionData {
  readonly cart: Cart;
  readonly checkout?: CheckoutAttempt;
  readonly paidAttempts: readonly PaidAttempt[];
  /** Newest first. */
  readonly orderIds: readonly string[];
}

/** An order line as it was bought (names and prices copied, so catalog edits never rewrite it). */
export interface OrderLine extends CartLine {
  readonly name: string;
  readonly colourName: string;
  readonly unitPrice: number;
}

export interface Order {
  readonly orderId: string;
  /** The human number (absent on orders placed before numbers existed: they show their id). */
  readonly orderNumber?: string;
  /** Lower-cased; with the number it finds the order from another session (absent on old orders). */
  readonly email?: string;
  /** The session that placed it; only that session may see or change it. */
  readonly sessionId: string;
  readonly paymentId: string;
  /** Idempotency key of the authorize call; the capture key is derived from it. */
  readonly attemptKey: string;
  readonly lines: readonly OrderLine[];
  readonly amount: number;
  readonly currency: string;
  readonly createdAt: string;
  /** The payment as the newest verified webhook announced it (absent until one arrived). */
  readonly payment?: OrderPayment;
}

/** What a webhook moved the order to (DESIGN §11: `data.payment` of the event). */
export interface OrderPayment {
  readonly status: PaymentStatus;
  readonly capturedAmount: number;
  readonly refundedAmount: number;
  /** The payment's `updatedAt` (or the event's `createdAt`): an older event never moves it back. */
  readonly asOf: string;
  /** The `webhook-id` of the delivery that set it. */
  readonly eventId: string;
}

export interface StoreState {
  /** The session's data, or an empty session when it has none (new or expired). */
  readSession(sessionId: string): Promise<SessionData>;
  /**
   * Applies `change` atomically (compare-and-set, retried on a concurrent
   * write) and returns its result. `change` must be pure: it may run again.
   */
  updateSession<T>(
    sessionId: string,
    change: (data: SessionData) => { data: SessionData; result: T },
  ): Promise<T>;
  /** Saves an order; saving the same order again is harmless. */
  saveOrder(order: Order): Promise<void>;
  findOrder(orderId: string): Promise<Order | undefined>;
  /**
   * Applies `change` to the stored order atomically (compare-and-set, retried
   * when another write landed since the read) and returns the order as stored
   * afterwards. `change` returns undefined to leave it as it is; it must be
   * pure (it may run again). An unknown order stays unknown: undefined.
   */
  updateOrder(
    orderId: string,
    change: (order: Order) => Order | undefined,
  ): Promise<Order | undefined>;
  /** A small named value (a webhook id seen, the webhook secret), or undefined. */
  readValue(key: string): Promise<string | undefined>;
  /** Writes a small named value kept `ttlMs` (overwrites). */
  writeValue(key: string, value: string, ttlMs: number): Promise<void>;
  /** Resolves when the store can be reached (readiness). */
  ping(): Promise<void>;
  close(): Promise<void>;
}

export const emptySession: SessionData = Object.freeze({
  cart: Object.freeze({ version: 0, lines: Object.freeze([]) }),
  paidAttempts: Object.freeze([]),
  orderIds: Object.freeze([]),
});

/** Orders a session remembers (newest kept); a shopper's history page shows these. */
export const sessionOrdersMax = 50;

/** Paid attempts a session remembers: far more than open checkout tabs anyone keeps. */
export const paidAttemptsMax = 20;

/** How long orders are kept: the refund window of a typical shop. */
export const orderRetentionMs = 30 * 86_400_000;

/**
 * Compare-and-set tries of one session update. A try fails only when a rival
 * write landed since its read, and each rival lands once, so this many tries
 * always suffice for this many concurrent writers: far more than the two or
 * three requests one shopper's double clicks and tabs send at once.
 */
export const sessionUpdateAttemptsMax = 10;

/** Compare-and-set tries of one order update: the same reasoning, for webhook deliveries and pages. */
export const orderUpdateAttemptsMax = sessionUpdateAttemptsMax;

/** Thrown when an order update lost every try to concurrent writers. */
export function orderUpdateLost(orderId: string): Error {
  return new Error(`Order update lost ${orderUpdateAttemptsMax} races in a row: ${orderId}`);
}
