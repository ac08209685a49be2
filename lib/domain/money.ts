import { type Currency, currencyExponent } from "./currency.ts";

/**
 * Largest amount, in minor units, one payment may carry.
 *
 * 10^11 - 1 keeps every sum of a few amounts far inside Number.MAX_SAFE_INTEGER
 * and inside BIGINT, and is ~100 billion won or ~1 billion dollars: no card
 * payment comes near it, so a larger value is a bug or an attack.
 */
export const amountMinorMax = 99_999_999_999;

/** An amount in a currency's minor unit. Always an integer in [1, amountMinorMax]. */
export type MinorUnits = number & { readonly __brand: "MinorUnits" };

export interface Money {
  readonly amount: MinorUnits;
  readonly currency: Currency;
}

export function isValidAmount(value: unknown): value is MinorUnits {
  return typeof value === "number" && Number.isSafeInteger(value) && value > 0 &&
    value <= amountMinorMax;
}

export function minorUnits(value: number): MinorUnits {
  if (!isValidAmount(value)) {
    throw new RangeError(`Amount is not a positive integer of minor units: ${value}`);
  }
  return value;
}

/** Formats an amount for people, e.g. `₩1,690,000` or `$12.50`. */
export function formatMoney(amount: number, currency: Currency, locale = "en-US"): string {
  const exponent = currencyExponent(currency);
  const major = amount / 10 ** exponent;
  return new Intl.NumberFormat(locale, {
    style: "currency",
    currency,
    minimumFractionDigits: exponent,
    maximumFractionDigits: exponent,
  }).format(major);
}
