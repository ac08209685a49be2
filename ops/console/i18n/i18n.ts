/**
 * The console's language for one request: catalogs, amounts, times and
 * durations, chosen like the shop's (`?lang=`, then the `ops_lang` cookie,
 * then Accept-Language; English when none matches).
 */
import type { Context } from "hono";
import { getCookie } from "hono/cookie";
import {
  type Catalogs,
  chooseLocale,
  createTranslator,
  formatDateTime,
  formatMoney,
  intlLocales,
  type Locale,
  localeCookieHeader,
  type MessageValues,
} from "@pay/lib/i18n";
import { type ConsoleMessageKey, en } from "./en.ts";
import { ko } from "./ko.ts";

export type { ConsoleMessageKey };

export const consoleCatalogs: Catalogs<typeof en> = { en, ko };

export const consoleLanguageCookie = "ops_lang";

/** Operators whose browser asks for neither language read English. */
export const consoleLocaleFallback: Locale = "en";

export interface ConsoleI18n {
  readonly locale: Locale;
  readonly timeZone: string;
  t(key: ConsoleMessageKey, values?: MessageValues): string;
  /** Minor units in `currency`: `₩10,000`, `10,000원`, `$12.50`. */
  money(amountMinor: number, currency: string): string;
  /** An instant in the console's zone, the zone named; a dash when there is none. */
  time(value: Date | string | null | undefined): string;
  /** A duration in the language's short units: `1.5 s`, `1.5초`. */
  seconds(seconds: number | null | undefined): string;
  percent(rate: number | null | undefined): string;
}

export function createConsoleI18n(locale: Locale, timeZone: string): ConsoleI18n {
  const t = createTranslator(consoleCatalogs, locale);
  const tag = intlLocales[locale];
  const unit = (value: number, name: string, digits: number) =>
    new Intl.NumberFormat(tag, {
      style: "unit",
      unit: name,
      unitDisplay: "short",
      maximumFractionDigits: digits,
    }).format(value);
  return {
    locale,
    timeZone,
    t,
    money: (amountMinor, currency) => formatMoney(amountMinor, currency, locale),
    time: (value) =>
      value === null || value === undefined ? "-" : formatDateTime(value, locale, timeZone),
    seconds(seconds) {
      if (seconds === null || seconds === undefined) return "-";
      if (seconds < 1) return unit(seconds * 1000, "millisecond", seconds < 0.01 ? 1 : 0);
      if (seconds < 120) return unit(seconds, "second", 1);
      if (seconds < 7200) return unit(seconds / 60, "minute", 0);
      return unit(seconds / 3600, "hour", 1);
    },
    percent: (rate) =>
      rate === null || rate === undefined ? "-" : new Intl.NumberFormat(tag, {
        style: "percent",
        maximumFractionDigits: rate < 0.1 ? 1 : 0,
      }).format(rate),
  };
}

/** The request's language and, when a `?lang=` link chose it anew, the cookie to remember it. */
export function consoleLanguageOf(c: Context): { locale: Locale; setCookie?: string } {
  const { locale, remember } = chooseLocale({
    query: c.req.query("lang") ?? null,
    cookie: getCookie(c, consoleLanguageCookie),
    acceptLanguage: c.req.header("accept-language") ?? null,
  }, consoleLocaleFallback);
  if (!remember) return { locale };
  const secure = new URL(c.req.url).protocol === "https:";
  return { locale, setCookie: localeCookieHeader(consoleLanguageCookie, locale, secure) };
}
