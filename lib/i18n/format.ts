/**
 * Amounts and times for people, with `Intl` only: this module is also bundled
 * into the shop's islands, so it imports nothing heavy.
 */
import { currencyExponent, isCurrency } from "../domain/currency.ts";
import type { Locale } from "./locale.ts";

/** The BCP 47 tag `Intl` formats each language with. */
export const intlLocales: Readonly<Record<Locale, string>> = { ko: "ko-KR", en: "en-US" };

/**
 * Currencies a language writes as a number followed by a word rather than
 * a symbol: Korean writes won as `1,690,000원`, never `₩1,690,000`.
 */
const currencySuffixes: Readonly<Partial<Record<Locale, Readonly<Record<string, string>>>>> = {
  ko: { KRW: "원" },
};

/** Minor-unit digits: the platform's table, else what `Intl` knows of the currency. */
function exponentOf(currency: string): number {
  if (isCurrency(currency)) return currencyExponent(currency);
  return new Intl.NumberFormat("en", { style: "currency", currency }).resolvedOptions()
    .maximumFractionDigits ?? 2;
}

/**
 * An amount in minor units as the language writes it: `1,690,000원` (ko),
 * `₩1,690,000` (en), `$12.50` and `US$12.50` for 1250 USD cents.
 */
export function formatMoney(amountMinor: number, currency: string, locale: Locale): string {
  const exponent = exponentOf(currency);
  const format = new Intl.NumberFormat(intlLocales[locale], {
    style: "currency",
    currency,
    minimumFractionDigits: exponent,
    maximumFractionDigits: exponent,
  });
  const major = amountMinor / 10 ** exponent;
  const suffix = currencySuffixes[locale]?.[currency];
  if (suffix === undefined) return format.format(major);
  const number = format.formatToParts(major)
    .filter((part) => part.type !== "currency" && part.type !== "literal")
    .map((part) => part.value).join("");
  return `${number}${suffix}`;
}

/**
 * A moment in `timeZone` with the zone named, to the second:
 * `2025년 11월 24일 오전 10:32:05 GMT+9`, `Nov 24, 2025, 10:32:05 AM GMT+9`.
 * Unreadable input is returned as given.
 */
export function formatDateTime(value: Date | string, locale: Locale, timeZone: string): string {
  const date = value instanceof Date ? value : new Date(value);
  if (Number.isNaN(date.getTime())) return String(value);
  return new Intl.DateTimeFormat(intlLocales[locale], {
    timeZone,
    year: "numeric",
    month: "short",
    day: "numeric",
    hour: "numeric",
    minute: "2-digit",
    second: "2-digit",
    timeZoneName: "short",
  }).format(date);
}

/** The calendar day of `date` in `timeZone` as `YYYYMMDD` (order numbers). */
export function compactDate(date: Date, timeZone: string): string {
  const parts = new Intl.DateTimeFormat("en-CA", {
    timeZone,
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
  }).formatToParts(date);
  const part = (type: string) => parts.find((p) => p.type === type)?.value ?? "";
  return `${part("year")}${part("month")}${part("day")}`;
}

/** True when `Intl` knows `timeZone` (an IANA name such as `Asia/Seoul`). */
export function isTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat("en", { timeZone });
    return true;
  } catch {
    return false;
  }
}
