/**
 * Test and live mode (as integrators know them from Stripe): every API key
 * belongs to one mode, a payment records the mode of the key that created
 * it, and a key of one mode never sees the other mode's payments.
 */
export const paymentModes = ["test", "live"] as const;

export type PaymentMode = typeof paymentModes[number];

export function isPaymentMode(value: unknown): value is PaymentMode {
  return value === "live" || value === "test";
}

/**
 * The mode of a key's `<env>` part: `live` is live; `test` and the former
 * `dev` of `pk_dev_…` keys are test, so no key made for development ever
 * reaches live payments.
 */
export function modeOfKeyEnv(env: string): PaymentMode {
  return env === "live" ? "live" : "test";
}
