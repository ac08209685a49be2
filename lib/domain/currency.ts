/**
 * Supported ISO 4217 currencies and their minor-unit exponents.
 *
 * The exponent says how many decimal digits the minor unit has: KRW has none
 * (amounts are whole won), USD has two (amounts are cents).
 */
export const currencyExponents = {
  KRW: 0,
  JPY: 0,
  USD: 2,
  EUR: 2,
  GBP: 2,
  CNY: 2,
  SGD: 2,
  HKD: 2,
  AUD: 2,
  CAD: 2,
  CHF: 2,
  KWD: 3,
} as const;

export type Currency = keyof typeof currencyExponents;

export const supportedCurrencies: readonly Currency[] = Object.freeze(
  Object.keys(currencyExponents) as Currency[],
);

export function isCurrency(value: unknown): value is Currency {
  return typeof value === "string" && Object.hasOwn(currencyExponents, value);
}

export function currencyExponent(currency: Currency): number {
  return currencyExponents[currency];
}
